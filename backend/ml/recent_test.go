package ml

import (
	"maps"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
)

// A health-state model with fault signatures reads each episode's first readings as the
// asset's own baseline; the rows Recent keeps (those first readings, then the last Window()
// rows) give exactly the prediction the whole history gives, wherever the history ends.
func TestRecentKeepsWhatAPredictionReads(t *testing.T) {
	m := trainedModel(t, Classification, FamilySignature)
	if m.BaseRows() != features.DefaultAssetBase.Rows {
		t.Fatalf("base rows %d, want %d", m.BaseRows(), features.DefaultAssetBase.Rows)
	}
	data := seedData(t, testMachine, 3000, 5)
	group := m.Manifest().Group
	unit := data.Column(group)
	checked, led := 0, 0
	for _, cut := range []int{40, 700, 1234, 1900, 2600, 3000} {
		idx := make([]int, cut)
		for i := range idx {
			idx[i] = i
		}
		upTo := datasets.Take(data, idx)
		want, err := m.Predict(upTo, PredictOptions{Last: true, TopFactors: -1})
		if err != nil {
			t.Fatal(err)
		}
		recent, lead := Recent(upTo, group, m.Window(), m.BaseRows())
		if BaseRowsOf(recent) != lead || recent.NumRows() > m.Window()+m.BaseRows() {
			t.Fatalf("cut %d: %d rows, lead %d (meta %d)", cut, recent.NumRows(), lead, BaseRowsOf(recent))
		}
		if lead > 0 {
			led++
			// The lead is the episode's first rows: the row before it is another episode's.
			first := cut - 1
			for first > 0 && unit.Text(first-1) == unit.Text(cut-1) {
				first--
			}
			ts := data.Column("timestamp")
			if recent.Column("timestamp").Value(0) != ts.Value(first) || recent.Column("timestamp").Value(lead) != ts.Value(cut-m.Window()) {
				t.Fatalf("cut %d: lead starts at %v, want the episode's first row %v", cut, recent.Column("timestamp").Value(0), ts.Value(first))
			}
		}
		got, err := m.Predict(recent, PredictOptions{Last: true, TopFactors: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !maps.Equal(got[0].Probabilities, want[len(want)-1].Probabilities) {
			t.Fatalf("cut %d (lead %d): %v from the recent rows, %v from the whole history", cut, lead, got, want[len(want)-1])
		}
		checked++
	}
	if led == 0 {
		t.Fatal("no cut fell deep enough into an episode to need the baseline rows")
	}
	// Without the lead the same rows read the fleet's levels only.
	full := seedData(t, testMachine, 3000, 5)
	recent, lead := Recent(full, group, m.Window(), 0)
	if lead != 0 || BaseRowsOf(recent) != 0 || recent.NumRows() != m.Window() {
		t.Fatalf("no base: %d rows, lead %d", recent.NumRows(), lead)
	}
}
