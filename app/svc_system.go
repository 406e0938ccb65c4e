package app

import (
	"context"
	"math"
	"runtime"
	"strings"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/onnxrt"
	"pdmstudio/backend/store"
)

// System is the service for versions and diagnostics.
type System struct{ c *Core }

// Version returns the build's version, commit and Go version.
func (s *System) Version() VersionInfo { return CurrentVersion() }

// processStart is when this package was initialised: the start of the process, less the dynamic
// loading and runtime start before Go code runs.
var processStart = time.Now()

// UIMark records a milestone the UI reached (e.g. "dashboard-ready": the fleet's cards are on
// screen) in the log, with the time since the process started and the page's own clock
// (pageMS: performance.now() at the mark). The desktop start benchmark reads these lines.
func (s *System) UIMark(ctx context.Context, name string, pageMS float64) error {
	if len(name) == 0 || len(name) > 64 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-:.") != "" {
		return apperr.BadInput("bad mark name", apperr.FieldError{Field: "name", Message: "1 to 64 characters of a-z, 0-9, '-', ':' and '.'"})
	}
	if math.IsNaN(pageMS) || pageMS < 0 || pageMS > 24*3600*1000 {
		return apperr.BadInput("bad page time", apperr.FieldError{Field: "page_ms", Message: "milliseconds since the page started, 0 to 24 h"})
	}
	s.c.Log.Info("ui mark", "name", name, "since_process_start_ms", time.Since(processStart).Milliseconds(), "page_ms", int64(pageMS))
	return nil
}

// RuntimeStatus is one runtime library as doctor reports it.
type RuntimeStatus struct {
	Name           string   `json:"name"` // "onnxruntime" or "llama.cpp"
	Loaded         bool     `json:"loaded"`
	Path           string   `json:"path,omitempty"`
	Version        string   `json:"version,omitempty"`
	Providers      []string `json:"providers,omitempty"`       // ONNX Runtime execution providers available
	ActiveProvider string   `json:"active_provider,omitempty"` // the one sessions use
	Backends       []string `json:"backends,omitempty"`        // llama.cpp compute backends
	Notes          []string `json:"notes,omitempty"`
	Searched       []string `json:"searched,omitempty"`
	Error          string   `json:"error,omitempty"`
}

// DoctorReport is what `pdmstudio doctor --json` prints and the System page shows.
type DoctorReport struct {
	VersionInfo
	OS                  string          `json:"os"`
	Arch                string          `json:"arch"`
	DataDir             string          `json:"data_dir"`
	DatabasePath        string          `json:"database_path"`
	SchemaVersion       int64           `json:"schema_version"`
	LatestSchemaVersion int64           `json:"latest_schema_version"`
	Tables              []string        `json:"tables"`
	LogFile             string          `json:"log_file"`
	Workers             int             `json:"workers"`
	Runtimes            []RuntimeStatus `json:"runtimes"`
}

// Doctor inspects the installation: data dir, database schema, runtime libraries.
func (s *System) Doctor(ctx context.Context) (DoctorReport, error) {
	r := DoctorReport{VersionInfo: CurrentVersion(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		DataDir: s.c.Dir.Root, DatabasePath: s.c.Dir.DatabasePath(), LogFile: s.c.Dir.LogFile(), Workers: s.c.Jobs.Workers()}
	var err error
	if r.SchemaVersion, r.LatestSchemaVersion, err = s.c.Store.SchemaVersion(ctx); err != nil {
		return r, err
	}
	if r.Tables, err = s.c.Store.Tables(ctx); err != nil {
		return r, err
	}
	o := onnxrt.Probe()
	r.Runtimes = append(r.Runtimes, RuntimeStatus{Name: "onnxruntime", Loaded: o.Loaded, Path: o.Path, Version: o.Version,
		Providers: o.Providers, ActiveProvider: o.ActiveProvider, Notes: o.ProviderNotes, Searched: o.Searched, Error: o.Error})
	r.Runtimes = append(r.Runtimes, llamaStatus())
	return r, nil
}

// Auth is the service for the caller's identity. User accounts come with a later issue; until
// then the desktop user is a local admin.
type Auth struct{}

// Me returns who the caller is.
func (a *Auth) Me(ctx context.Context) Caller {
	c, _ := CallerFrom(ctx)
	return c
}

// Settings is the service for user preferences stored in the database.
type Settings struct{ c *Core }

// All returns every stored setting.
func (s *Settings) All(ctx context.Context) (map[string]string, error) {
	return s.c.Store.Settings(ctx)
}

// settingKeys are the settings a user may set, with their allowed values (nil: any non-empty value).
var settingKeys = map[string][]string{
	"ui.theme":             {"dark", "light"},
	"onnx.provider":        {"auto", "cpu"},
	"webview2.runtime_dir": nil,
}

// Set stores one setting after checking its key and value.
func (s *Settings) Set(ctx context.Context, key, value string) error {
	allowed, ok := settingKeys[key]
	if !ok {
		return apperr.BadInput("unknown setting", apperr.FieldError{Field: key, Message: "is not a setting PdM Studio knows"})
	}
	if allowed != nil && !contains(allowed, value) {
		return apperr.BadInput("invalid setting value", apperr.FieldError{Field: key,
			Message: "must be one of " + strings.Join(allowed, ", ") + ", not " + quote(value)})
	}
	if len(value) > 4096 {
		return apperr.BadInput("invalid setting value", apperr.FieldError{Field: key, Message: "is longer than 4096 characters"})
	}
	return s.c.Store.SetSetting(ctx, key, value)
}

// Jobs is the service for background jobs.
type Jobs struct{ c *Core }

// List returns jobs, newest first.
func (j *Jobs) List(ctx context.Context, f store.JobFilter) ([]jobs.Job, error) {
	return j.c.Jobs.List(ctx, f)
}

// Get returns one job.
func (j *Jobs) Get(ctx context.Context, id string) (jobs.Job, error) { return j.c.Jobs.Get(ctx, id) }

// Cancel asks a queued or running job to stop.
func (j *Jobs) Cancel(ctx context.Context, id string) error { return j.c.Jobs.Cancel(ctx, id) }

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func quote(s string) string { return "\"" + s + "\"" }
