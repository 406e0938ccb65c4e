// Package machines is the lifecycle of a machine in PdM Studio: created from a validated profile
// (a row in the machines table plus machines/<id>/profile.json), listed, read, edited (re-validated),
// advanced through its workflow stages (profile → seed → trained → synthetic → validated → models)
// and deleted — rows and files together, nothing left behind and nothing else touched.
package machines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/datadir"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// ProfileFile is the name of the profile inside a machine's folder.
const ProfileFile = "profile.json"

// Service manages machines in one data directory.
type Service struct {
	Store *store.Store
	Dir   datadir.Dir
	// LiveJobs reports whether a machine has queued or running jobs (delete refuses then).
	LiveJobs func(ctx context.Context, machineID string) (bool, error)
}

// Stage is one workflow step of a machine.
type Stage = store.StageRow

// Machine is a machine as lists and detail pages show it.
type Machine struct {
	store.MachineRow
	Name string `json:"name"`
	// Stage is the furthest stage done, e.g. "seed".
	Stage string `json:"stage"`
	// Stages are every stage with its state and time, in order.
	Stages     []Stage  `json:"stages"`
	SensorKeys []string `json:"key_sensors"`
	Sensors    int      `json:"sensor_count"`
}

func (s *Service) exists(ctx context.Context) func(string) bool {
	return func(id string) bool {
		ok, err := s.Store.MachineExists(ctx, id)
		return err == nil && ok
	}
}

// ValidateOptions returns validation options that know which ids are taken.
func (s *Service) ValidateOptions(ctx context.Context, editing string) profiles.ValidateOptions {
	return profiles.ValidateOptions{Exists: s.exists(ctx), EditingID: editing}
}

// Create validates p and stores it as a new machine. Nothing is written when p is invalid or its
// id is taken.
func (s *Service) Create(ctx context.Context, p profiles.Profile) (Machine, error) {
	if err := profiles.Check(p, s.ValidateOptions(ctx, "")); err != nil {
		return Machine{}, err
	}
	return s.insert(ctx, profiles.Normalize(p))
}

// CreateFromFile parses a JSON, YAML or XLSX profile (format from the file name) and creates the
// machine. Every decoding and validation problem is reported at once.
func (s *Service) CreateFromFile(ctx context.Context, filename string, data []byte) (Machine, error) {
	p, err := s.ParseFile(ctx, filename, data, "")
	if err != nil {
		return Machine{}, err
	}
	return s.insert(ctx, p)
}

// ParseFile decodes and validates a profile file against this data dir (ids taken).
func (s *Service) ParseFile(ctx context.Context, filename string, data []byte, editing string) (profiles.Profile, error) {
	f, err := profiles.FormatFromFilename(filename)
	if err != nil {
		return profiles.Profile{}, err
	}
	if int64(len(data)) > profiles.MaxFileSize {
		return profiles.Profile{}, apperr.BadInput(fmt.Sprintf("%s is larger than %d MB", filename, profiles.MaxFileSize>>20),
			apperr.FieldError{Field: "file", Message: "too large"})
	}
	p, err := profiles.Parse(data, f, s.ValidateOptions(ctx, editing))
	if e := (*apperr.Error)(nil); errors.As(err, &e) && e.Kind == apperr.KindBadInput && len(e.Fields) == 0 {
		// A file that cannot be read at all: name the file as the field, so every answer to an
		// upload lists its problems the same way.
		return p, apperr.BadInput(e.Message, apperr.FieldError{Field: "file", Message: e.Message})
	}
	return p, err
}

func (s *Service) insert(ctx context.Context, p profiles.Profile) (Machine, error) {
	dir, err := s.Dir.MachineDir(p.MachineID)
	if err != nil {
		return Machine{}, apperr.BadInput("invalid machine id", apperr.FieldError{Field: "machine_id", Message: err.Error()})
	}
	if _, err := os.Stat(dir); err == nil {
		return Machine{}, apperr.Conflictf("a folder for machine %s already exists in %s; remove it or choose another machine_id", p.MachineID, s.Dir.MachinesDir())
	}
	row, body, err := rowFor(p)
	if err != nil {
		return Machine{}, err
	}
	row.ID = uuid.NewString()
	row.CreatedAt, row.UpdatedAt = store.Now(), store.Now()
	row.MetadataPath = filepath.ToSlash(filepath.Join("machines", p.MachineID, ProfileFile))

	tx, err := s.Store.DB.BeginTx(ctx, nil)
	if err != nil {
		return Machine{}, err
	}
	defer tx.Rollback()
	if ok, _ := s.Store.MachineExists(ctx, p.MachineID); ok {
		return Machine{}, apperr.BadInput("the profile has 1 error", apperr.FieldError{Field: "machine_id",
			Message: fmt.Sprintf("%q is already taken by another machine", p.MachineID)})
	}
	if err := store.InsertMachine(ctx, tx, row); err != nil {
		return Machine{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Machine{}, fmt.Errorf("create machine folder: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ProfileFile), body); err != nil {
		os.RemoveAll(dir)
		return Machine{}, err
	}
	if err := tx.Commit(); err != nil {
		os.RemoveAll(dir)
		return Machine{}, fmt.Errorf("create machine %s: %w", p.MachineID, err)
	}
	return s.Get(ctx, p.MachineID)
}

func rowFor(p profiles.Profile) (store.MachineRow, []byte, error) {
	body, err := profiles.Encode(p, profiles.FormatJSON)
	if err != nil {
		return store.MachineRow{}, nil, err
	}
	row := store.MachineRow{MachineID: p.MachineID, MachineType: p.MachineType, Manufacturer: p.Manufacturer,
		Model: p.Model, Site: p.Site, Line: p.Line, ProfileJSON: string(body)}
	if p.VLM != nil {
		// TODO(vlm-team): the VLM team owns these fields (docs/vlm-contract.md).
		b, _ := json.Marshal(p.VLM)
		v := string(b)
		row.VLMMetadata = &v
	}
	return row, body, nil
}

// Update replaces a machine's profile after validating it. The machine_id cannot change.
func (s *Service) Update(ctx context.Context, machineID string, p profiles.Profile) (Machine, error) {
	if _, err := s.row(ctx, machineID); err != nil {
		return Machine{}, err
	}
	if p.MachineID != machineID {
		return Machine{}, apperr.BadInput("the profile has 1 error", apperr.FieldError{Field: "machine_id",
			Message: fmt.Sprintf("cannot be changed from %q to %q; create a new machine instead", machineID, p.MachineID)})
	}
	if err := profiles.Check(p, s.ValidateOptions(ctx, machineID)); err != nil {
		return Machine{}, err
	}
	p = profiles.Normalize(p)
	row, body, err := rowFor(p)
	if err != nil {
		return Machine{}, err
	}
	row.UpdatedAt = store.Now()
	dir, _ := s.Dir.MachineDir(machineID)
	tx, err := s.Store.DB.BeginTx(ctx, nil)
	if err != nil {
		return Machine{}, err
	}
	defer tx.Rollback()
	if err := store.UpdateMachineProfile(ctx, tx, row); err != nil {
		return Machine{}, err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ProfileFile), body); err != nil {
		return Machine{}, err
	}
	if err := tx.Commit(); err != nil {
		return Machine{}, err
	}
	return s.Get(ctx, machineID)
}

func (s *Service) row(ctx context.Context, machineID string) (store.MachineRow, error) {
	m, err := s.Store.GetMachine(ctx, machineID)
	if errors.Is(err, store.ErrNotFound) {
		return m, apperr.NotFoundf("machine %q does not exist", machineID)
	}
	return m, err
}

// Get returns one machine with its stages.
func (s *Service) Get(ctx context.Context, machineID string) (Machine, error) {
	r, err := s.row(ctx, machineID)
	if err != nil {
		return Machine{}, err
	}
	st, err := s.Store.MachineStages(ctx)
	if err != nil {
		return Machine{}, err
	}
	return decorate(r, st[machineID]), nil
}

// Profile returns a machine's stored profile.
func (s *Service) Profile(ctx context.Context, machineID string) (profiles.Profile, error) {
	r, err := s.row(ctx, machineID)
	if err != nil {
		return profiles.Profile{}, err
	}
	return profiles.Decode([]byte(r.ProfileJSON), profiles.FormatJSON)
}

// List returns every machine with its stages, ordered by id.
func (s *Service) List(ctx context.Context) ([]Machine, error) {
	rows, err := s.Store.ListMachines(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.Store.MachineStages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Machine, 0, len(rows))
	for _, r := range rows {
		out = append(out, decorate(r, st[r.MachineID]))
	}
	return out, nil
}

func decorate(r store.MachineRow, stages []Stage) Machine {
	m := Machine{MachineRow: r, Stages: stages, Stage: "profile"}
	for _, s := range stages {
		if s.State == store.StageDone {
			m.Stage = s.Stage
		}
	}
	if p, err := profiles.Decode([]byte(r.ProfileJSON), profiles.FormatJSON); err == nil {
		m.Name = p.Name
		m.Sensors = len(p.Sensors)
		for _, k := range p.KeySensors() {
			m.SensorKeys = append(m.SensorKeys, k.Name)
		}
	}
	if m.Name == "" {
		m.Name = r.Manufacturer + " " + r.Model
	}
	if m.Stages == nil {
		m.Stages = []Stage{}
	}
	return m
}

// SetStage records the state of a workflow stage; a stage set to done or pending resets the later
// stages to pending, since what they built no longer follows from it.
func (s *Service) SetStage(ctx context.Context, machineID, stage, state, detail string) error {
	idx, found := 0, false
	for i, st := range store.Stages {
		if st == stage {
			idx, found = i, true
		}
	}
	if !found {
		return apperr.BadInputf("unknown stage %q", stage)
	}
	if err := s.Store.SetStage(ctx, machineID, stage, state, detail); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFoundf("machine %q does not exist", machineID)
		}
		return err
	}
	if state == store.StageDone || state == store.StagePending {
		for _, later := range store.Stages[idx+1:] {
			if err := s.Store.SetStage(ctx, machineID, later, store.StagePending, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteReport says what deleting a machine removed.
type DeleteReport struct {
	MachineID string         `json:"machine_id"`
	Rows      map[string]int `json:"rows"`  // rows removed per table
	Files     int            `json:"files"` // files removed from the machine's folder
	Bytes     int64          `json:"bytes"`
	Folder    string         `json:"folder"`
}

// DeletePreview says what Delete would remove, for the confirmation dialog.
func (s *Service) DeletePreview(ctx context.Context, machineID string) (DeleteReport, error) {
	if _, err := s.row(ctx, machineID); err != nil {
		return DeleteReport{}, err
	}
	rows, err := s.Store.CountMachineRows(ctx, machineID)
	if err != nil {
		return DeleteReport{}, err
	}
	rows["machines"] = 1
	dir, _ := s.Dir.MachineDir(machineID)
	files, size := countFiles(dir)
	return DeleteReport{MachineID: machineID, Rows: rows, Files: files, Bytes: size, Folder: dir}, nil
}

// Delete removes a machine: its rows in every table and its folder, together. It refuses while a
// job of the machine is queued or running. The folder is first moved aside, so a failure of the
// database step puts it back and nothing is half-deleted.
func (s *Service) Delete(ctx context.Context, machineID string) (DeleteReport, error) {
	rep, err := s.DeletePreview(ctx, machineID)
	if err != nil {
		return rep, err
	}
	if s.LiveJobs != nil {
		live, err := s.LiveJobs(ctx, machineID)
		if err != nil {
			return rep, err
		}
		if live {
			return rep, apperr.Conflictf("machine %s has a queued or running job; cancel it or wait for it to finish before deleting", machineID)
		}
	}
	dir := rep.Folder
	aside := filepath.Join(s.Dir.MachinesDir(), "."+machineID+".deleting-"+strconv.Itoa(os.Getpid()))
	moved := false
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, aside); err != nil {
			return rep, fmt.Errorf("delete machine %s: move its folder aside: %w", machineID, err)
		}
		moved = true
	}
	tx, err := s.Store.DB.BeginTx(ctx, nil)
	if err == nil {
		defer tx.Rollback()
		err = store.DeleteMachine(ctx, tx, machineID)
		if err == nil {
			err = tx.Commit()
		}
	}
	if err != nil {
		if moved {
			os.Rename(aside, dir)
		}
		return rep, fmt.Errorf("delete machine %s: %w", machineID, err)
	}
	if moved {
		if err := os.RemoveAll(aside); err != nil {
			return rep, fmt.Errorf("machine %s deleted, but its folder could not be removed completely (%s): %w", machineID, aside, err)
		}
	}
	return rep, nil
}

func countFiles(dir string) (int, int64) {
	n, size := 0, int64(0)
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n++
			size += fi.Size()
		}
		return nil
	})
	return n, size
}

// InitFleet creates the built-in machines that do not exist yet. It is idempotent: existing
// machines are left untouched.
func (s *Service) InitFleet(ctx context.Context) (created, existing []string, err error) {
	created, existing = []string{}, []string{}
	for _, p := range profiles.Fleet() {
		ok, err := s.Store.MachineExists(ctx, p.MachineID)
		if err != nil {
			return created, existing, err
		}
		if ok {
			existing = append(existing, p.MachineID)
			continue
		}
		if _, err := s.Create(ctx, p); err != nil {
			return created, existing, fmt.Errorf("create built-in machine %s: %w", p.MachineID, err)
		}
		created = append(created, p.MachineID)
	}
	return created, existing, nil
}
