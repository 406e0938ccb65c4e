package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenMigratesWithPragmas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pdmstudio.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	cur, latest, err := s.SchemaVersion(ctx)
	if err != nil || cur != latest || cur < 1 {
		t.Fatalf("schema %d of %d (%v)", cur, latest, err)
	}
	tables, _ := s.Tables(ctx)
	for _, want := range []string{"machines", "gan_training_jobs", "predictions", "explanations", "model_versions", "jobs", "machine_stages", "settings"} {
		if !strings.Contains(","+strings.Join(tables, ",")+",", ","+want+",") {
			t.Errorf("table %s missing: %v", want, tables)
		}
	}
	var mode string
	var fk, busy int
	s.DB.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	s.DB.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	s.DB.QueryRow(`PRAGMA busy_timeout`).Scan(&busy)
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Fatalf("pragmas: journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, busy)
	}
	// Foreign keys are enforced: a prediction for a machine that does not exist is refused.
	if _, err := s.DB.Exec(`INSERT INTO predictions (id, machine_id, prediction_type, timestamp) VALUES ('x', 'nope', 'rul', 'now')`); err == nil {
		t.Fatal("foreign key not enforced")
	}
	s.Close()
	// Reopening an up-to-date database is a no-op.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if c2, _, _ := s2.SchemaVersion(ctx); c2 != cur {
		t.Fatalf("version changed on reopen: %d → %d", cur, c2)
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok, _ := s.GetSetting(ctx, "ui.theme"); ok {
		t.Fatal("unset setting reported as set")
	}
	s.SetSetting(ctx, "ui.theme", "dark")
	s.SetSetting(ctx, "ui.theme", "light")
	v, ok, err := s.GetSetting(ctx, "ui.theme")
	if err != nil || !ok || v != "light" {
		t.Fatalf("got %q %v %v", v, ok, err)
	}
}
