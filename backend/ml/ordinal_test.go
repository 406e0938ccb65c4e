package ml

import (
	"math"
	"testing"

	"pdmstudio/backend/onnxrt"
)

// The cumulative-logistic link as dense layers gives the same probabilities as the formula,
// they sum to 1, and the most likely class is the bucket of the value when the scale is small.
func TestOrdinalLink(t *testing.T) {
	cuts := []float64{0.25, 0.5, 0.8}
	mean, std, s := 0.4, 0.3, 0.02
	values := []float64{0, 0.2, 0.3, 0.45, 0.6, 0.79, 0.85, 1}
	want := ordinalProbs(values, cuts, s)
	o := make([]float32, len(values))
	for i, v := range values {
		o[i] = float32((v - mean) / std)
	}
	got, err := onnxrt.MLPForward(ordinalLink(mean, std, cuts, s), o, len(values))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		var sum float64
		for k := 0; k < 4; k++ {
			g := float64(got[i*4+k])
			if math.Abs(g-want[i*4+k]) > 1e-5 || g < -1e-6 {
				t.Fatalf("value %g class %d: link %g, formula %g", v, k, g, want[i*4+k])
			}
			sum += g
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Fatalf("value %g: probabilities sum to %g", v, sum)
		}
		bucket := 0
		for _, c := range cuts {
			if v >= c {
				bucket++
			}
		}
		if k := argmax(got[i*4 : i*4+4]); k != bucket {
			t.Fatalf("value %g: most likely class %d, want %d", v, k, bucket)
		}
	}
}

// An ordinal model learns from the progress column but never reads it.
func TestOrdinalExcludesProgress(t *testing.T) {
	m := trainedModel(t, Classification, FamilyOrdinal)
	if m.Manifest().Family != FamilyOrdinal {
		t.Fatalf("family %s", m.Manifest().Family)
	}
	var hasProgress bool
	for _, f := range m.Manifest().Features {
		if len(f) >= len(SeedProgress) && f[:len(SeedProgress)] == SeedProgress {
			hasProgress = true
		}
	}
	if hasProgress {
		t.Fatal("the progress column must not be an input")
	}
}

// SplitGroups alternates whole groups between the halves.
func TestSplitGroups(t *testing.T) {
	tb := seedData(t, testMachine, 3000, 1)
	a, b := SplitGroups(tb, SeedGroup, 4)
	if b == nil {
		t.Fatal("no split")
	}
	if a.NumRows()+b.NumRows() != tb.NumRows() {
		t.Fatalf("%d + %d rows, want %d", a.NumRows(), b.NumRows(), tb.NumRows())
	}
	seen := map[int64]int{}
	for _, u := range a.Column(SeedGroup).Ints {
		seen[u] = 1
	}
	for _, u := range b.Column(SeedGroup).Ints {
		if seen[u] == 1 {
			t.Fatalf("unit %d in both halves", u)
		}
	}
	if _, rest := SplitGroups(tb, SeedGroup, 1000); rest != nil {
		t.Fatal("split with too few groups")
	}
}
