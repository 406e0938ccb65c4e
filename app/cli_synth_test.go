package app

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A user's own mixed-type CSV (ints, categories, floats with gaps, bools, timestamps) goes through
// synth fit → sample (conditioned) → report.
func TestSynthOnAUsersMixedCSV(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,site,temp,pressure,ok,when,grade\n")
	r := rand.New(rand.NewPCG(1, 2))
	sites := []string{"Hamburg", "Lyon", "Ostrava"}
	for i := 1; i <= 400; i++ {
		s := sites[r.IntN(3)]
		temp := 60 + r.NormFloat64()*3
		p := fmt.Sprintf("%.2f", 5+0.05*temp)
		if r.Float64() < 0.05 {
			p = ""
		}
		fmt.Fprintf(&b, "%d,%s,%.2f,%s,%v,2026-01-%02dT%02d:00:00Z,%c\n", i, s, temp, p, r.Float64() < 0.8, 1+i/24, i%24, "ABC"[r.IntN(3)])
	}
	csv := filepath.Join(dir, "mine.csv")
	os.WriteFile(csv, []byte(b.String()), 0o644)
	model := filepath.Join(dir, "mine.tvae")
	if code, out, errs := runCLI(t, "synth", "fit", "--data", csv, "--discrete", "grade", "--epochs", "5", "--out", model, "--json"); code != 0 || !json.Valid([]byte(out)) {
		t.Fatalf("fit: %d %s %s", code, out, errs)
	}
	syn := filepath.Join(dir, "syn.parquet")
	if code, _, errs := runCLI(t, "synth", "sample", "--model", model, "--rows", "200", "--where", "site=Lyon", "--out", syn); code != 0 {
		t.Fatalf("sample: %s", errs)
	}
	code, out, errs := runCLI(t, "synth", "report", "--real", csv, "--synthetic", syn, "--target", "-", "--json")
	var rep struct {
		Overall float64 `json:"overall"`
		Columns []any   `json:"columns"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Overall <= 0 || len(rep.Columns) != 7 {
		t.Fatalf("report: %d %s %s", code, out, errs)
	}
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"synth", "sample", "--model", model, "--rows", "5", "--where", "site=Paris", "--out", filepath.Join(dir, "x.csv")}, "never occurs"},
		{[]string{"synth", "sample", "--model", model, "--rows", "5", "--where", "temp=3", "--out", filepath.Join(dir, "x.csv")}, "temp"},
		{[]string{"synth", "fit", "--data", csv, "--discrete", "nope", "--out", model}, "nope"},
		{[]string{"synth", "fit", "--data", filepath.Join(dir, "missing.csv"), "--out", model}, "missing.csv"},
		{[]string{"synth", "sample", "--model", csv, "--rows", "5", "--out", filepath.Join(dir, "x.csv")}, "mine.csv"},
	}
	for _, tc := range bad {
		code, _, errs := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q (want 2 and %q)", tc.args, code, errs, tc.want)
		}
	}
}
