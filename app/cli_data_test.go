package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSeedStatsConvertViaCLI(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, "--data-dir", dir, "fleet", "init")
	code, out, errs := runCLI(t, "--data-dir", dir, "seed", "fan_ebmpapst_w3g910_026", "--samples", "2000", "--seed", "7", "--json")
	if code != 0 {
		t.Fatalf("seed: %d %s", code, errs)
	}
	var res struct {
		Path string `json:"path"`
		Rows int    `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Rows != 2000 {
		t.Fatalf("seed output %q (%v)", out, err)
	}
	if !strings.Contains(errs, "seed: succeeded in") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	code, out, _ = runCLI(t, "--data-dir", dir, "machines", "status", "fan_ebmpapst_w3g910_026", "--json")
	if code != 0 || !strings.Contains(out, `"stage": "seed"`) {
		t.Fatalf("status after seed: %s", out)
	}
	code, out, _ = runCLI(t, "data", "stats", res.Path, "--json")
	if code != 0 || !strings.Contains(out, `"health_state"`) {
		t.Fatalf("stats: %d %s", code, out)
	}
	csv := filepath.Join(t.TempDir(), "seed.csv")
	back := filepath.Join(t.TempDir(), "back.parquet")
	if code, _, errs := runCLI(t, "data", "convert", res.Path, csv); code != 0 {
		t.Fatalf("to csv: %s", errs)
	}
	if code, _, errs := runCLI(t, "data", "convert", csv, back); code != 0 {
		t.Fatalf("to parquet: %s", errs)
	}
	// Bad input: unknown machine, rows out of range, unreadable files.
	bad := filepath.Join(t.TempDir(), "ragged.csv")
	os.WriteFile(bad, []byte("a,b\n1,2\n3\n"), 0o644)
	empty := filepath.Join(t.TempDir(), "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	for _, args := range [][]string{
		{"--data-dir", dir, "seed", "fan_ebmpapst_w3g910_026", "--samples", "10"},
		{"data", "stats", bad},
		{"data", "stats", empty},
		{"data", "convert", res.Path, filepath.Join(t.TempDir(), "x.txt")},
	} {
		if code, _, errs := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	if code, _, _ := runCLI(t, "--data-dir", dir, "seed", "no_such_machine"); code != 1 {
		t.Errorf("unknown machine: exit %d", code)
	}
}
