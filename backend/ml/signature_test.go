package ml

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// progressCuts finds the wear levels at which the classes change, and refuses classes that
// are not in the progress column's order.
func TestProgressCuts(t *testing.T) {
	prog := []float64{0, 0.1, 0.24, 0.26, 0.4, 0.49, 0.52, 0.7, 0.79, 0.81, 0.95, 1}
	y := []float64{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}
	cuts, err := progressCuts(prog, y, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.25, 0.505, 0.8}
	for k := range want {
		if d := cuts[k] - want[k]; d > 1e-9 || d < -1e-9 {
			t.Fatalf("cuts %v, want %v", cuts, want)
		}
	}
	if _, err := progressCuts(prog, []float64{3, 3, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0}, 4); err == nil || !strings.Contains(err.Error(), "order") {
		t.Fatalf("reversed classes: err %v", err)
	}
}

// The signature family, fitted on one simulation of the test machine, classifies the health
// state of a fresh one well, and it reads only the deviation features: the severity's weights
// sit on col.dev features of the sensors the profile names.
func TestSignatureFamily(t *testing.T) {
	m := trainedModel(t, Classification, FamilySignature)
	man := m.Manifest()
	if man.Family != FamilySignature {
		t.Fatalf("family %s", man.Family)
	}
	sev := m.head.Severity
	for f := 0; f < sev.In; f++ {
		for k := 0; k < sev.Out; k++ {
			if sev.W[f*sev.Out+k] != 0 && !strings.HasSuffix(m.pipe.Names[f], ".dev") {
				t.Fatalf("severity weight on feature %s", m.pipe.Names[f])
			}
		}
	}
	met, err := m.Evaluate(seedData(t, testMachine, 3000, 5))
	if err != nil {
		t.Fatal(err)
	}
	c := met.Classification
	t.Logf("macro-F1 %.3f on a fresh simulation, confusion %v", c.MacroF1, c.Confusion)
	if c.MacroF1 < 0.85 {
		t.Fatalf("macro-F1 %.3f on a fresh simulation, want ≥ 0.85", c.MacroF1)
	}
	if c.ECE > 0.05 {
		t.Fatalf("calibration error %.3f, want ≤ 0.05", c.ECE)
	}
	preds, err := m.Predict(lastRows(seedData(t, testMachine, 3000, 5), 200), PredictOptions{})
	if err != nil {
		t.Fatal(err)
	}
	factors := 0
	for _, p := range preds {
		factors += len(p.TopFactors)
	}
	if factors == 0 {
		t.Fatal("no prediction names a sensor among its top factors")
	}
}

// Without signatures the family is not a default candidate, and asking for it fails clearly.
func TestSignatureFamilyNeedsSignatures(t *testing.T) {
	spec := SeedSpec(Classification, seedData(t, testMachine, 3000, 1), seedData(t, testMachine, 3000, 3), nil)
	spec.Trees, spec.Epochs, spec.Seed = 20, 5, 1
	probe := spec
	if err := probe.normalize(); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(probe.Families, FamilySignature) {
		t.Fatalf("default families without signatures: %v", probe.Families)
	}
	spec.Families = []string{FamilySignature}
	_, err := Fit(context.Background(), spec, nil)
	if err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("signature family without signatures: err %v", err)
	}
}
