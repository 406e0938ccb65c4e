package telemetry

import (
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml"
)

// twoEpisodes is a replay source of 100 rows of episode 1 then 150 of episode 2; column "x"
// holds the row number.
func twoEpisodes(t *testing.T) *replay {
	t.Helper()
	unit := make([]int64, 250)
	x := make([]float64, 250)
	for i := range unit {
		unit[i] = 1
		if i >= 100 {
			unit[i] = 2
		}
		x[i] = float64(i)
	}
	tb, err := datasets.NewTable(datasets.NewInt(groupColumn, unit, datasets.Meta{}), datasets.NewFloat("x", x, datasets.Meta{}))
	if err != nil {
		t.Fatal(err)
	}
	tb.Meta = map[string]string{"machine_id": "m1"}
	return &replay{table: tb, group: tb.Column(groupColumn)}
}

func rowsOf(w *datasets.Table) []int {
	var out []int
	c := w.Column("x")
	for i := 0; i < w.NumRows(); i++ {
		v, _ := c.Number(i)
		out = append(out, int(v))
	}
	return out
}

func TestWindowLeadsWithTheEpisodesFirstRows(t *testing.T) {
	r := twoEpisodes(t)
	r.position = 200
	w := r.window(50, 20)
	got := rowsOf(w)
	if len(got) != 70 || got[0] != 100 || got[19] != 119 || got[20] != 150 || got[69] != 199 {
		t.Fatalf("window rows %v, want 100–119 then 150–199", got)
	}
	if ml.BaseRowsOf(w) != 20 || w.Meta["machine_id"] != "m1" {
		t.Fatalf("meta %v", w.Meta)
	}
	// The hint from the last call is checked, not trusted: the next episode starts over.
	r.position = 80
	if got := rowsOf(r.window(50, 20)); len(got) != 70 || got[0] != 0 || got[20] != 30 {
		t.Fatalf("episode 1 window rows %v", got)
	}
	r.position = 240
	if got := rowsOf(r.window(50, 20)); got[0] != 100 || got[20] != 190 {
		t.Fatalf("episode 2 window rows %v", got)
	}
	// Without a baseline, or when the episode began inside the window, nothing leads.
	for _, c := range []struct{ pos, base, first, n int }{{200, 0, 150, 50}, {130, 20, 100, 30}, {150, 20, 100, 50}} {
		r.position = c.pos
		w := r.window(50, c.base)
		got := rowsOf(w)
		if len(got) != c.n || got[0] != c.first || ml.BaseRowsOf(w) != 0 {
			t.Fatalf("position %d base %d: rows %v (lead %d)", c.pos, c.base, got, ml.BaseRowsOf(w))
		}
	}
	// A short lead: the episode began fewer than base rows before the window.
	r.position = 160
	if got := rowsOf(r.window(50, 20)); len(got) != 60 || got[0] != 100 || got[9] != 109 || got[10] != 110 {
		t.Fatalf("short lead rows %v", got)
	}
}
