package app

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pdmstudio/backend/tvae"
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

// A messier export a maintenance engineer might bring: dates without a time, an integer fault
// code with few values (discrete by default), a text column and a bool column with missing
// cells, a float column that is mostly empty, a constant column, quoted text with commas.
// synth fit → sample (CSV, and Parquet under a condition on the code) → report; the samples
// keep every column's type, null shares roughly, and only values seen in training.
func TestSynthOnAMessyUserCSV(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("day,fault_code,operator,running,oil_temp,note,plant,vibration\n")
	r := rand.New(rand.NewPCG(3, 4))
	ops := []string{"Anna", "Ben", `"Chen, L."`, ""}
	for i := range 500 {
		code := []int{0, 0, 0, 0, 11, 11, 23, 42}[r.IntN(8)]
		run := []string{"TRUE", "false", ""}[min(2, r.IntN(7)/3)]
		oil := ""
		if r.Float64() < 0.3 {
			oil = fmt.Sprintf("%.1f", 70+r.NormFloat64()*4)
		}
		vib := 1.2 + 0.3*float64(code)/42 + r.NormFloat64()*0.1
		fmt.Fprintf(&b, "2025-%02d-%02d,%d,%s,%s,%s,%s,Lyon,%.3f\n", 1+i%12, 1+i%28, code, ops[r.IntN(4)], run, oil,
			[]string{"ok", "check belt", "", "replaced filter"}[r.IntN(4)], vib)
	}
	csv := filepath.Join(dir, "export.csv")
	os.WriteFile(csv, []byte(b.String()), 0o644)
	model := filepath.Join(dir, "m.tvae")
	code, out, errs := runCLI(t, "synth", "fit", "--data", csv, "--epochs", "8", "--seed", "3", "--out", model, "--json")
	if code != 0 {
		t.Fatalf("fit: %d %s", code, errs)
	}
	var fit struct {
		Columns int `json:"columns"`
		Rows    int `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &fit); err != nil || fit.Columns != 8 || fit.Rows != 500 {
		t.Fatalf("fit summary: %v %s", err, out)
	}
	m, err := tvae.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	sum := m.Summary()
	kinds := map[string]string{}
	for _, c := range sum.Columns {
		kinds[c.Name] = string(c.Type) + "/" + c.Kind
	}
	for name, want := range map[string]string{"day": "timestamp/continuous", "fault_code": "int/discrete", "operator": "string/discrete",
		"running": "bool/discrete", "oil_temp": "float/continuous", "plant": "string/discrete", "vibration": "float/continuous"} {
		if kinds[name] != want {
			t.Errorf("column %s is %s, want %s", name, kinds[name], want)
		}
	}
	synCSV := filepath.Join(dir, "syn.csv")
	if code, _, errs := runCLI(t, "synth", "sample", "--model", model, "--rows", "400", "--seed", "1", "--out", synCSV); code != 0 {
		t.Fatalf("sample: %s", errs)
	}
	text, _ := os.ReadFile(synCSV)
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if len(lines) != 401 || lines[0] != "day,fault_code,operator,running,oil_temp,note,plant,vibration" {
		t.Fatalf("sampled CSV: %d lines, header %q", len(lines), lines[0])
	}
	seenCodes := map[string]bool{"0": true, "11": true, "23": true, "42": true}
	emptyOil := 0
	for _, l := range lines[1:] {
		f := strings.Split(strings.ReplaceAll(l, `"Chen, L."`, "Chen L."), ",")
		if len(f) != 8 || !seenCodes[f[1]] || f[6] != "Lyon" || !strings.HasPrefix(f[0], "2025-") {
			t.Fatalf("sampled row %q", l)
		}
		if f[4] == "" {
			emptyOil++
		}
	}
	if emptyOil < 200 || emptyOil > 360 { // 70 % of the training rows have no oil_temp
		t.Errorf("%d of 400 sampled rows have no oil_temp, training had 70 %%", emptyOil)
	}
	synPq := filepath.Join(dir, "syn42.parquet")
	if code, _, errs := runCLI(t, "synth", "sample", "--model", model, "--rows", "50", "--where", "fault_code=42", "--out", synPq); code != 0 {
		t.Fatalf("conditional sample: %s", errs)
	}
	code, out, errs = runCLI(t, "synth", "report", "--real", csv, "--synthetic", synCSV, "--target", "fault_code", "--json")
	var rep struct {
		Overall float64 `json:"overall"`
		Columns []any   `json:"columns"`
		TSTR    *struct {
			Classes []any `json:"classes"`
		} `json:"tstr"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || !(rep.Overall > 0.5) || len(rep.Columns) != 8 || rep.TSTR == nil || len(rep.TSTR.Classes) != 4 {
		t.Fatalf("report: %d %s %s", code, out, errs)
	}
}
