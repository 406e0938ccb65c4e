package machines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datadir"
	"pdmstudio/backend/store"
)

func newService(t *testing.T) *Service {
	t.Helper()
	dir, err := datadir.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), dir.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Service{Store: st, Dir: dir}
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	created, existing, err := s.InitFleet(ctx)
	if err != nil || len(created) != 26 || len(existing) != 0 {
		t.Fatalf("fleet init: %d created, %d existing, %v", len(created), len(existing), err)
	}
	if c2, e2, _ := s.InitFleet(ctx); len(c2) != 0 || len(e2) != 26 {
		t.Fatalf("fleet init is not idempotent: %d created again", len(c2))
	}
	ms, err := s.List(ctx)
	if err != nil || len(ms) != 26 {
		t.Fatalf("list: %d, %v", len(ms), err)
	}
	m := ms[0]
	if m.Stage != "profile" || len(m.Stages) != 6 || m.Stages[0].State != store.StageDone || m.Stages[1].State != store.StagePending {
		t.Fatalf("stages of a new machine: %+v", m.Stages)
	}
	if _, err := os.Stat(filepath.Join(s.Dir.MachinesDir(), m.MachineID, ProfileFile)); err != nil {
		t.Fatalf("profile file: %v", err)
	}

	// Stages advance, and redoing an early stage resets the later ones.
	for _, st := range []string{"seed", "trained", "synthetic"} {
		if err := s.SetStage(ctx, m.MachineID, st, store.StageDone, ""); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Get(ctx, m.MachineID)
	if got.Stage != "synthetic" {
		t.Fatalf("stage %s, want synthetic", got.Stage)
	}
	s.SetStage(ctx, m.MachineID, "seed", store.StageDone, "regenerated")
	got, _ = s.Get(ctx, m.MachineID)
	if got.Stage != "seed" || got.Stages[2].State != store.StagePending {
		t.Fatalf("after redoing seed: %s %+v", got.Stage, got.Stages)
	}
	if err := s.SetStage(ctx, m.MachineID, "painting", store.StageDone, ""); apperr.KindOf(err) != apperr.KindBadInput {
		t.Fatalf("unknown stage: %v", err)
	}

	// Edit: re-validated; the id cannot change; a valid edit is stored in the row and the file.
	p, _ := s.Profile(ctx, m.MachineID)
	p.Sensors[0].NormalMin, p.Sensors[0].NormalMax = 10, 5
	if _, err := s.Update(ctx, m.MachineID, p); apperr.KindOf(err) != apperr.KindBadInput {
		t.Fatalf("invalid edit accepted: %v", err)
	}
	p, _ = s.Profile(ctx, m.MachineID)
	p.MachineID = "renamed_001"
	if _, err := s.Update(ctx, m.MachineID, p); err == nil || !strings.Contains(err.Error(), "cannot be changed") {
		t.Fatalf("rename: %v", err)
	}
	p, _ = s.Profile(ctx, m.MachineID)
	p.Line = "Line 9 – Test"
	if got, err := s.Update(ctx, m.MachineID, p); err != nil || got.Line != "Line 9 – Test" {
		t.Fatalf("edit: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(s.Dir.MachinesDir(), m.MachineID, ProfileFile))
	if !strings.Contains(string(b), "Line 9 – Test") {
		t.Fatal("edit not written to the profile file")
	}

	// Duplicate id refused with a field error.
	dup, _ := s.Profile(ctx, ms[1].MachineID)
	_, err = s.Create(ctx, dup)
	if e := apperr.As(err); e.Kind != apperr.KindBadInput || len(e.Fields) == 0 || e.Fields[0].Field != "machine_id" {
		t.Fatalf("duplicate: %+v", e)
	}
}

func TestDeleteRemovesRowsAndFilesAndNothingElse(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.InitFleet(ctx)
	ms, _ := s.List(ctx)
	victim, other := ms[3].MachineID, ms[4].MachineID
	os.WriteFile(filepath.Join(s.Dir.MachinesDir(), victim, "seed.parquet"), []byte("data"), 0o644)
	if _, err := s.Store.DB.Exec(`INSERT INTO predictions (id, machine_id, prediction_type, timestamp) VALUES ('p1', ?, 'rul', 'now'), ('p2', ?, 'rul', 'now')`, victim, other); err != nil {
		t.Fatal(err)
	}
	s.LiveJobs = func(ctx context.Context, id string) (bool, error) { return id == victim, nil }
	if _, err := s.Delete(ctx, victim); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("delete with a live job: %v", err)
	}
	s.LiveJobs = nil
	prev, err := s.DeletePreview(ctx, victim)
	if err != nil || prev.Files != 2 || prev.Rows["predictions"] != 1 || prev.Rows["machine_stages"] != 6 {
		t.Fatalf("preview %+v %v", prev, err)
	}
	if _, err := s.Delete(ctx, victim); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir.MachinesDir(), victim)); !os.IsNotExist(err) {
		t.Fatal("folder left behind")
	}
	left, _ := s.Store.CountMachineRows(ctx, victim)
	for table, n := range left {
		if n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
	rest, _ := s.List(ctx)
	if len(rest) != 25 {
		t.Fatalf("%d machines left", len(rest))
	}
	if n, _ := s.Store.CountMachineRows(ctx, other); n["predictions"] != 1 || n["machine_stages"] != 6 {
		t.Fatalf("another machine was touched: %v", n)
	}
	entries, _ := os.ReadDir(s.Dir.MachinesDir())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left over: %s", e.Name())
		}
	}
	if _, err := s.Delete(ctx, victim); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("second delete: %v", err)
	}
}
