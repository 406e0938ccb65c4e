package ml

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/profiles"
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
	// The test machine's misalignment is a step and its bearing wear exponential: their
	// severities are read over their own windows (col.dev3, col.dev7).
	val := m.head.Value
	if val == nil {
		t.Fatal("no severity over the faults' own windows")
	}
	prof, err := profiles.FleetProfile(testMachine)
	if err != nil {
		t.Fatal(err)
	}
	growth := prof.FaultProgressions()
	if growth["misalignment"] != profiles.ProgressionStep || growth["bearing_wear"] != profiles.ProgressionExponential {
		t.Fatalf("progressions %v", growth)
	}
	for k, s := range m.pipe.Signatures {
		want := ".dev"
		if w := GrowthWindows[growth[s.Name]]; w > 0 {
			want = fmt.Sprintf(".dev%d", w)
		}
		for f := 0; f < val.In; f++ {
			if val.W[f*val.Out+k] != 0 && !strings.HasSuffix(m.pipe.Names[f], want) {
				t.Fatalf("%s: value weight on feature %s, want %s features", s.Name, m.pipe.Names[f], want)
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

// macroF1 on a flattened confusion matrix agrees with classScores.
func TestMacroF1MatchesClassScores(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		K := 2 + rng.IntN(4)
		var truth, pred []int
		for range 1 + rng.IntN(200) {
			truth, pred = append(truth, rng.IntN(K)), append(pred, rng.IntN(K))
		}
		classes := make([]string, K)
		_, want, _, conf := classScores(classes, truth, pred)
		flat := make([]int, 0, K*K)
		for _, row := range conf {
			flat = append(flat, row...)
		}
		if got := macroF1(flat, K); math.Abs(got-want) > 1e-12 {
			t.Fatalf("macroF1 %v, classScores %v", got, want)
		}
	}
}

// validationGroups makes a data set of n rows in g groups (row i in group i mod g).
func validationGroups(n, g int) *data {
	f := &features.Frame{N: n, Seq: make([]int, n)}
	for i := range f.Seq {
		f.Seq[i] = i % g
	}
	return &data{f: f, idx: allIndices(n)}
}

// bootstrapWins counts the resamples where one set of predictions beats the other.
func TestBootstrapWins(t *testing.T) {
	const n, K = 40, 2
	va := validationGroups(n, 4)
	y := make([]float64, n)
	right, wrong, half := make([]float64, n*K), make([]float64, n*K), make([]float64, n*K)
	for i := range y {
		y[i] = float64(i / 2 % 2)
		c := int(y[i])
		right[i*K+c], wrong[i*K+1-c] = 1, 1
		if i%4 < 2 { // groups 0 and 1 right, 2 and 3 wrong
			half[i*K+c] = 1
		} else {
			half[i*K+1-c] = 1
		}
	}
	if w := bootstrapWins(va, y, K, right, wrong, 1); w != 1 {
		t.Fatalf("always right vs always wrong: wins %v", w)
	}
	if w := bootstrapWins(va, y, K, wrong, right, 1); w != 0 {
		t.Fatalf("always wrong vs always right: wins %v", w)
	}
	if w := bootstrapWins(va, y, K, right, half, 1); w < 0.9 || w == 1 {
		// half equals right on the resamples drawn from groups 0 and 1 only (1/16 of them)
		t.Fatalf("right vs right-on-half-the-groups: wins %v", w)
	}
}

// crossFitted scores every validation row with a calibration fitted without its group.
func TestCrossFitted(t *testing.T) {
	va := validationGroups(30, 5)
	const K = 3
	logp := crossFitted(va, K, func(rows []int) func(i int) []float64 {
		fitted := map[int]bool{}
		for _, r := range rows {
			fitted[va.f.Seq[r]] = true
		}
		return func(i int) []float64 {
			if fitted[va.f.Seq[i]] {
				return []float64{0, 1, 0} // in sample: must not be used
			}
			return []float64{1, 0, 0}
		}
	})
	for i := 0; i < 30; i++ {
		if logp[i*K] != 0 {
			t.Fatalf("row %d scored in sample", i)
		}
	}
	if crossFitted(validationGroups(10, 1), K, nil) != nil {
		t.Fatal("one validation group: want nil (nothing to cross-fit)")
	}
}

// healthyRows keeps the first class's rows at the start of wear when there are enough.
func TestHealthyRows(t *testing.T) {
	var y []int64
	var prog []float64
	for i := range 200 {
		switch {
		case i < 100:
			y, prog = append(y, 0), append(prog, 0)
		case i < 150:
			y, prog = append(y, 0), append(prog, 0.2)
		default:
			y, prog = append(y, 1), append(prog, 0.3)
		}
	}
	tb, err := datasets.NewTable(datasets.NewInt("state", y, datasets.Meta{}), datasets.NewFloat("wear", prog, datasets.Meta{}))
	if err != nil {
		t.Fatal(err)
	}
	h := healthyRows(tb, "state", "wear")
	for i, ok := range h {
		if ok != (i < 100) {
			t.Fatalf("row %d (state %d, wear %.1f): healthy %v", i, y[i], prog[i], ok)
		}
	}
	h = healthyRows(tb, "state", "")
	for i, ok := range h {
		if ok != (i < 150) {
			t.Fatalf("without progress, row %d: healthy %v", i, ok)
		}
	}
}

// Trained on rows from a generator that saw the validation episodes (here, in the extreme,
// the validation rows are the training rows), a learned family's higher validation score does
// not replace the signature model; from real training rows the same evidence does.
func TestSignatureKeptForSyntheticTraining(t *testing.T) {
	rows := seedData(t, testMachine, 3000, 1)
	for _, synthetic := range []bool{false, true} {
		spec := SeedSpec(Classification, rows, rows, nil)
		spec.Trees, spec.Seed, spec.Window = 60, 1, 3
		spec.Families = []string{FamilyGBT, FamilySignature}
		spec.Signatures = machineSignatures(t, testMachine)
		spec.Synthetic = synthetic
		m, err := Fit(context.Background(), spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		man := m.Manifest()
		m.Close()
		var gbtScore, sigScore float64
		var note string
		for _, c := range man.Candidates {
			switch c.Family {
			case FamilyGBT:
				gbtScore = c.Score
			case FamilySignature:
				sigScore, note = c.Score, c.Note
			}
		}
		if gbtScore <= sigScore {
			t.Fatalf("trees %.3f ≤ signature %.3f on their own training rows: the test needs them ahead", gbtScore, sigScore)
		}
		switch {
		case synthetic && (man.Family != FamilySignature || !strings.Contains(note, "generator saw the validation")):
			t.Fatalf("synthetic training: chose %s, signature note %q", man.Family, note)
		case !synthetic && man.Family != FamilyGBT:
			t.Fatalf("real training rows: trees ahead in every resample, yet chose %s (%v)", man.Family, man.Candidates)
		}
	}
}
