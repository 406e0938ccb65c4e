package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pdmstudio/backend/alerts"
	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/fleet"
	"pdmstudio/backend/store"
	"pdmstudio/backend/telemetry"
)

// liveStartDelay is how long the live fleet waits before its first refresh when the last
// refresh's overview is stored: long enough for the UI's first render on a 2-core laptop
// (docs/benchmarks.md, "Fleet dashboard"), short enough that the fleet is current soon.
const liveStartDelay = 3 * time.Second

// newMonitor wires the live fleet onto the core: the registry's models, the event hub, and the
// registry's view of a machine's latest readings (so on-demand predictions use live telemetry).
func (c *Core) newMonitor() *telemetry.Monitor {
	// The start delay leaves the CPU to the window's first render (the stored overview shows meanwhile).
	m := &telemetry.Monitor{Store: c.Store, Dir: c.Dir, Models: c.Registry, Emit: c.Events.Emit, Log: c.Log, StartDelay: liveStartDelay}
	c.Registry.Live = func(ctx context.Context, machineID string, base int) (*datasets.Table, string, bool) {
		return m.Live(ctx, machineID, 200, base)
	}
	return m
}

// StartLive runs the live fleet until ctx ends: a refresh at once (after liveStartDelay when a
// stored overview can be shown meanwhile), then on the configured
// interval, and again soon after a job that can make a machine ready finishes. The desktop and
// `serve` call it; one-shot CLI commands do not.
func (c *Core) StartLive(ctx context.Context) {
	events, unsubscribe := c.Events.Subscribe()
	go func() {
		defer unsubscribe()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				if ev.Name != "job" {
					continue
				}
				// A finished job may have made a machine ready or changed its models or data.
				if j, ok := ev.Data.(store.Job); ok && j.Final() {
					c.Live.Kick()
				}
			}
		}
	}()
	go c.Live.Run(ctx)
}

// Overview is the whole fleet as of the latest refresh: every machine with its status (healthy,
// degrading, warning, critical, unknown), confidence, RUL (hours), anomaly score, key sensors,
// and the counts per status now and at the refresh before.
func (f *Fleet) Overview(ctx context.Context) (*telemetry.Overview, error) {
	return f.c.Live.Overview(ctx)
}

// Refresh refreshes the fleet's predictions now, without advancing the telemetry replay.
func (f *Fleet) Refresh(ctx context.Context) (*telemetry.Overview, error) {
	return f.c.Live.Refresh(ctx, false)
}

// AlertQuery selects alerts: state active, acknowledged, cleared or open (active or
// acknowledged; "" for all), one machine, and at most limit (default 200).
type AlertQuery struct {
	State     string `json:"state"`
	MachineID string `json:"machine_id"`
	Limit     int    `json:"limit"`
}

// Alerts lists alerts, newest first, with their machines' names.
func (f *Fleet) Alerts(ctx context.Context, q AlertQuery) ([]telemetry.AlertDetail, error) {
	rows, err := (&alerts.Service{Store: f.c.Store}).List(ctx, store.AlertFilter{State: q.State, MachineID: q.MachineID, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	return f.c.Live.WithNames(ctx, rows)
}

// AcknowledgeAlert marks an active alert acknowledged by the caller.
func (f *Fleet) AcknowledgeAlert(ctx context.Context, id string) (telemetry.AlertDetail, error) {
	a, err := (&alerts.Service{Store: f.c.Store}).Acknowledge(ctx, id, callerName(ctx))
	if err != nil {
		return telemetry.AlertDetail{}, err
	}
	return f.announce(ctx, "acknowledged", a)
}

// ClearAlert closes an open alert by hand, before its condition went away.
func (f *Fleet) ClearAlert(ctx context.Context, id string) (telemetry.AlertDetail, error) {
	a, err := (&alerts.Service{Store: f.c.Store}).Clear(ctx, id, callerName(ctx))
	if err != nil {
		return telemetry.AlertDetail{}, err
	}
	return f.announce(ctx, "cleared", a)
}

func (f *Fleet) announce(ctx context.Context, change string, a store.AlertRow) (telemetry.AlertDetail, error) {
	ds, err := f.c.Live.WithNames(ctx, []store.AlertRow{a})
	if err != nil || len(ds) == 0 {
		return telemetry.AlertDetail{AlertRow: a}, err
	}
	f.c.Events.Emit("alert", telemetry.AlertEvent{Change: change, Alert: ds[0]})
	return ds[0], nil
}

func callerName(ctx context.Context) string {
	if c, ok := CallerFrom(ctx); ok && c.User != "" {
		return c.User
	}
	return "local"
}

// Telemetry is the service for machines' live readings and the live-fleet settings.
type Telemetry struct{ c *Core }

// History returns a machine's latest readings, column-wise, with each sensor's unit and
// thresholds.
func (t *Telemetry) History(ctx context.Context, machineID string, opts telemetry.HistoryOptions) (*telemetry.History, error) {
	return t.c.Live.History(ctx, machineID, opts)
}

// Settings returns the live-fleet settings: replay speed (rows per refresh), refresh interval
// (s), RUL alert horizon (hours) and whether the replay is paused.
func (t *Telemetry) Settings(ctx context.Context) (telemetry.Settings, error) {
	return telemetry.LoadSettings(ctx, t.c.Store)
}

// SaveSettings validates and stores the live-fleet settings; a running fleet picks them up at
// once.
func (t *Telemetry) SaveSettings(ctx context.Context, s telemetry.Settings) (telemetry.Settings, error) {
	if err := telemetry.SaveSettings(ctx, t.c.Store, s); err != nil {
		return s, err
	}
	t.c.Live.Kick()
	return s, nil
}

// Import makes a CSV or Parquet file of real readings a machine's telemetry. The columns must
// match the machine's sensors; nothing is stored when they do not.
func (t *Telemetry) Import(ctx context.Context, machineID, path string) (*telemetry.ImportResult, error) {
	res, err := t.c.Live.Import(ctx, machineID, path)
	if err != nil {
		return nil, err
	}
	t.c.Live.Kick()
	return res, nil
}

// UseReplay ends a machine's imported readings: the imported file is deleted and the machine
// replays its data sets again from the next refresh (started at once).
func (t *Telemetry) UseReplay(ctx context.Context, machineID string) error {
	if err := t.c.Live.UseReplay(ctx, machineID); err != nil {
		return err
	}
	t.c.Live.Kick()
	return nil
}

// ImportFile is Import for a file uploaded from the UI (base64): it is written to a temporary
// file in the data dir, imported, and removed again; the imported readings are kept beside the
// machine's data as with Import.
func (t *Telemetry) ImportFile(ctx context.Context, machineID string, f FileData) (*telemetry.ImportResult, error) {
	data, err := decodeFile(f)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, apperr.BadInput("the uploaded file is empty", apperr.FieldError{Field: "file", Message: f.Filename + " has no content"})
	}
	ext := strings.ToLower(filepath.Ext(f.Filename))
	if ext != ".csv" && ext != ".parquet" {
		return nil, apperr.BadInput("unsupported file type", apperr.FieldError{Field: "file", Message: fmt.Sprintf("%q is not a .csv or .parquet file", f.Filename)})
	}
	// Under its own name, so messages about the file name the user's file.
	dir, err := os.MkdirTemp(t.c.Dir.Root, ".upload-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, filepath.Base(filepath.Clean("/"+f.Filename)))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, err
	}
	return t.Import(ctx, machineID, path)
}

// BootstrapWith starts the demo-fleet bootstrap with explicit settings, restricted to some
// machines (nil: all). The CLI's hidden --tiny/--only flags use it for tests.
func (f *Fleet) bootstrapWith(ctx context.Context, s fleet.Settings, only []string) (BootstrapStatus, error) {
	js, err := f.c.Bootstrapper().StartOnly(ctx, s, only)
	if err != nil {
		return BootstrapStatus{}, err
	}
	ms, _ := f.c.Machines().List(ctx)
	return BootstrapStatus{Jobs: js, Machines: len(ms)}, nil
}

// liveRefreshTimeout bounds how long a CLI command waits for a refresh.
const liveRefreshTimeout = 2 * time.Minute
