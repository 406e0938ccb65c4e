package app

import (
	"context"

	"encoding/base64"
	"encoding/json"
	"pdmstudio/backend/fleet"
	"pdmstudio/backend/jobs"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/machines"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// FileData is a file crossing the faces: a name and base64 content.
type FileData struct {
	Filename      string `json:"filename"`
	ContentBase64 string `json:"content_base64"`
	MIMEType      string `json:"mime_type,omitempty"`
}

// ValidationResult is the answer to a profile validation: every problem at once.
type ValidationResult struct {
	Valid   bool                `json:"valid"`
	Errors  []apperr.FieldError `json:"errors"`
	Message string              `json:"message,omitempty"`
	Profile *profiles.Profile   `json:"profile,omitempty"` // the decoded profile, when it decoded
}

func validationResult(p profiles.Profile, err error) (ValidationResult, error) {
	if err == nil {
		return ValidationResult{Valid: true, Errors: []apperr.FieldError{}, Profile: &p}, nil
	}
	e := apperr.As(err)
	if e.Kind != apperr.KindBadInput {
		return ValidationResult{}, err
	}
	r := ValidationResult{Valid: false, Errors: e.Fields, Message: e.Message}
	if r.Errors == nil {
		r.Errors = []apperr.FieldError{{Field: "file", Message: e.Message}}
	}
	if p.MachineID != "" || len(p.Sensors) > 0 {
		r.Profile = &p
	}
	return r, nil
}

// Templates is the service for machine types and their template profiles.
type Templates struct{ c *Core }

// List returns the machine types with a template.
func (t *Templates) List() []profiles.TypeInfo { return profiles.Types() }

// Get returns the template profile of a machine type.
func (t *Templates) Get(machineType string) (profiles.Profile, error) {
	return profiles.Template(machineType)
}

// Download returns the template of a machine type as a json, yaml or xlsx file.
func (t *Templates) Download(machineType, format string) (FileData, error) {
	f, err := profiles.ParseFormat(format)
	if err != nil {
		return FileData{}, err
	}
	name, data, err := profiles.TemplateFile(machineType, f)
	if err != nil {
		return FileData{}, err
	}
	return FileData{Filename: name, ContentBase64: base64.StdEncoding.EncodeToString(data), MIMEType: f.MIMEType()}, nil
}

// Machines is the service for the machine lifecycle.
type Machines struct{ c *Core }

func (m *Machines) svc() *machines.Service { return m.c.Machines() }

// List returns every machine with its workflow stages.
func (m *Machines) List(ctx context.Context) ([]machines.Machine, error) { return m.svc().List(ctx) }

// MachineDetail is a machine with its profile.
type MachineDetail struct {
	Machine machines.Machine `json:"machine"`
	Profile profiles.Profile `json:"profile"`
}

// Get returns one machine and its profile.
func (m *Machines) Get(ctx context.Context, machineID string) (MachineDetail, error) {
	mc, err := m.svc().Get(ctx, machineID)
	if err != nil {
		return MachineDetail{}, err
	}
	p, err := m.svc().Profile(ctx, machineID)
	return MachineDetail{Machine: mc, Profile: p}, err
}

// Status returns the workflow stages of a machine.
func (m *Machines) Status(ctx context.Context, machineID string) ([]store.StageRow, error) {
	mc, err := m.svc().Get(ctx, machineID)
	return mc.Stages, err
}

func decodeFile(f FileData) ([]byte, error) {
	data, err := base64.StdEncoding.DecodeString(f.ContentBase64)
	if err != nil {
		return nil, apperr.BadInput("the uploaded file could not be read", apperr.FieldError{Field: "file", Message: "content is not valid base64"})
	}
	return data, nil
}

// ValidateFile decodes and validates an uploaded JSON, YAML or XLSX profile without storing it.
func (m *Machines) ValidateFile(ctx context.Context, f FileData) (ValidationResult, error) {
	data, err := decodeFile(f)
	if err != nil {
		return validationResult(profiles.Profile{}, err)
	}
	return validationResult(m.svc().ParseFile(ctx, f.Filename, data, ""))
}

// ValidateProfile validates a profile edited in the form (JSON). editingID is the machine being
// edited, or "" for a new machine.
func (m *Machines) ValidateProfile(ctx context.Context, profile json.RawMessage, editingID string) (ValidationResult, error) {
	return validationResult(profiles.Parse(profile, profiles.FormatJSON, m.svc().ValidateOptions(ctx, editingID)))
}

// Create stores a new machine from a profile (JSON). Invalid input gets every field error at once.
func (m *Machines) Create(ctx context.Context, profile json.RawMessage) (machines.Machine, error) {
	p, err := profiles.Parse(profile, profiles.FormatJSON, m.svc().ValidateOptions(ctx, ""))
	if err != nil {
		return machines.Machine{}, err
	}
	return m.svc().Create(ctx, p)
}

// Import creates a machine from an uploaded JSON, YAML or XLSX profile.
func (m *Machines) Import(ctx context.Context, f FileData) (machines.Machine, error) {
	data, err := decodeFile(f)
	if err != nil {
		return machines.Machine{}, err
	}
	return m.svc().CreateFromFile(ctx, f.Filename, data)
}

// Update replaces a machine's profile (JSON) after validation.
func (m *Machines) Update(ctx context.Context, machineID string, profile json.RawMessage) (machines.Machine, error) {
	p, err := profiles.Parse(profile, profiles.FormatJSON, m.svc().ValidateOptions(ctx, machineID))
	if err != nil {
		return machines.Machine{}, err
	}
	return m.svc().Update(ctx, machineID, p)
}

// DownloadProfile returns a machine's profile as a json, yaml or xlsx file.
func (m *Machines) DownloadProfile(ctx context.Context, machineID, format string) (FileData, error) {
	f, err := profiles.ParseFormat(format)
	if err != nil {
		return FileData{}, err
	}
	p, err := m.svc().Profile(ctx, machineID)
	if err != nil {
		return FileData{}, err
	}
	data, err := profiles.Encode(p, f)
	if err != nil {
		return FileData{}, err
	}
	return FileData{Filename: machineID + f.Extension(), ContentBase64: base64.StdEncoding.EncodeToString(data), MIMEType: f.MIMEType()}, nil
}

// DeletePreview says what deleting a machine would remove.
func (m *Machines) DeletePreview(ctx context.Context, machineID string) (machines.DeleteReport, error) {
	return m.svc().DeletePreview(ctx, machineID)
}

// Delete removes a machine, its rows and its files.
func (m *Machines) Delete(ctx context.Context, machineID string) (machines.DeleteReport, error) {
	return m.svc().Delete(ctx, machineID)
}

// Fleet is the service for the built-in fleet.
type Fleet struct{ c *Core }

// InitResult says what fleet init did.
type InitResult struct {
	Created  []string `json:"created"`
	Existing []string `json:"existing"`
}

// Init creates the built-in machines that do not exist yet (idempotent).
func (f *Fleet) Init(ctx context.Context) (InitResult, error) {
	c, e, err := f.c.Machines().InitFleet(ctx)
	return InitResult{Created: c, Existing: e}, err
}

// BootstrapStatus says where the demo-fleet bootstrap stands.
type BootstrapStatus struct {
	Jobs     []jobs.Job `json:"jobs"`     // the bootstrap jobs started now (Bootstrap) or cancelled (Skip)
	Machines int        `json:"machines"` // machines in the fleet
}

// Bootstrap creates the built-in machines and takes each one through seed data, TVAE, synthetic
// sets, validation and models, one background job per machine (fast settings unless full is
// true). Machines already done are skipped.
func (f *Fleet) Bootstrap(ctx context.Context, full bool) (BootstrapStatus, error) {
	s := fleet.FastSettings
	if full {
		s = fleet.FullSettings
	}
	js, err := f.c.Bootstrapper().Start(ctx, s)
	if err != nil {
		return BootstrapStatus{}, err
	}
	ms, _ := f.c.Machines().List(ctx)
	return BootstrapStatus{Jobs: js, Machines: len(ms)}, nil
}

// SkipBootstrap cancels the bootstrap jobs still queued or running and remembers not to start
// them again on the next start.
func (f *Fleet) SkipBootstrap(ctx context.Context) (BootstrapStatus, error) {
	if err := f.c.Store.SetSetting(ctx, settingBootstrap, "skipped"); err != nil {
		return BootstrapStatus{}, err
	}
	var cancelled []jobs.Job
	for _, status := range []string{store.JobQueued, store.JobRunning} {
		js, err := f.c.Jobs.List(ctx, store.JobFilter{Kind: fleet.JobKind, Status: status, Limit: 1000})
		if err != nil {
			return BootstrapStatus{}, err
		}
		for _, j := range js {
			if f.c.Jobs.Cancel(ctx, j.ID) == nil {
				cancelled = append(cancelled, j)
			}
		}
	}
	return BootstrapStatus{Jobs: cancelled}, nil
}
