package quality

import (
	"context"
	"math"
	"sync"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
)

var (
	seedOnce sync.Once
	seedTbl  *datasets.Table
)

func seedData(t *testing.T) *datasets.Table {
	seedOnce.Do(func() {
		p, err := profiles.FleetProfile("pump_grundfos_cr3_004")
		if err != nil {
			panic(err)
		}
		seedTbl, err = simulate.Run(context.Background(), p, simulate.Options{Rows: 3000, Seed: 3}, nil)
		if err != nil {
			panic(err)
		}
	})
	return seedTbl
}

// rowsOf returns the rows [lo, hi) of t, or the rows picked by idx when idx is not nil.
func rowsOf(t *datasets.Table, idx []int) *datasets.Table {
	out := &datasets.Table{Meta: t.Meta}
	for _, c := range t.Columns {
		nc := &datasets.Column{Name: c.Name, Type: c.Type, Meta: c.Meta}
		for _, i := range idx {
			switch c.Type {
			case datasets.Float:
				nc.Floats = append(nc.Floats, c.Floats[i])
			case datasets.Int:
				nc.Ints = append(nc.Ints, c.Ints[i])
			case datasets.String:
				nc.Strings = append(nc.Strings, c.Strings[i])
			case datasets.Bool:
				nc.Bools = append(nc.Bools, c.Bools[i])
			case datasets.Timestamp:
				nc.Times = append(nc.Times, c.Times[i])
			}
			if c.Nulls != nil {
				nc.Nulls = append(nc.Nulls, c.Nulls[i])
			}
		}
		out.Columns = append(out.Columns, nc)
	}
	return out
}

func TestIdenticalTables(t *testing.T) {
	tb := seedData(t)
	rep, err := Evaluate(context.Background(), tb, tb, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall < 0.9999 || rep.ColumnShapes < 0.9999 || rep.ColumnPairTrends < 0.9999 {
		t.Fatalf("identical tables: overall %v shapes %v pairs %v", rep.Overall, rep.ColumnShapes, rep.ColumnPairTrends)
	}
	if len(rep.Columns) != len(tb.Columns) || len(rep.Pairs) != len(tb.Columns)*(len(tb.Columns)-1)/2 {
		t.Fatalf("%d columns, %d pairs", len(rep.Columns), len(rep.Pairs))
	}
	if rep.TSTR == nil || rep.TSTR.Target != "health_state" || len(rep.TSTR.Classes) != 4 {
		t.Fatalf("tstr %+v", rep.TSTR)
	}
	for _, c := range rep.TSTR.Classes {
		t.Logf("class %s: support %d F1 real %.3f synthetic %.3f", c.Class, c.Support, c.F1Real, c.F1Synthetic)
	}
	// Trained on all real rows (the "synthetic" copy), tested on a part of them: at least as good.
	if rep.TSTR.MacroRatio < 0.95 || rep.TSTR.MacroF1Real < 0.5 {
		t.Fatalf("identical tables: TSTR macro F1 real %v ratio %v", rep.TSTR.MacroF1Real, rep.TSTR.MacroRatio)
	}
	for _, f := range rep.TSTR.Features {
		switch f {
		case "health_state", "degradation", "rul", "unit", "timestamp", "failure_mode", "episode_end":
			t.Fatalf("feature %s leaks the label", f)
		}
	}
	// Every row is there twice, once per class: a copy seen in training drags its twin in the
	// test fold to the wrong side, so the AUC falls below 0.5 (SDMetrics' score clips at 0.5).
	if d := rep.Detection; d == nil || d.ROCAUC > 0.55 || d.Score < 0.95 || d.TreesROCAUC > 0.55 {
		t.Fatalf("identical tables: detection %+v", rep.Detection)
	}
}

// TestShuffledColumns: permuting every column independently keeps the shapes and destroys
// the pair trends.
func TestShuffledColumns(t *testing.T) {
	tb := seedData(t)
	rng := nn.NewRNG(5)
	sh := &datasets.Table{}
	for _, c := range tb.Columns {
		perm := rng.Perm(make([]int, tb.NumRows()))
		sh.Columns = append(sh.Columns, rowsOf(&datasets.Table{Columns: []*datasets.Column{c}}, perm).Columns[0])
	}
	rep, err := Evaluate(context.Background(), tb, sh, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("shuffled: overall %.3f shapes %.3f pairs %.3f, TSTR macro ratio %.3f, detection AUC %.3f (trees %.3f)",
		rep.Overall, rep.ColumnShapes, rep.ColumnPairTrends, rep.TSTR.MacroRatio, rep.Detection.ROCAUC, rep.Detection.TreesROCAUC)
	if rep.ColumnShapes < 0.9999 {
		t.Fatalf("shapes %v after shuffling", rep.ColumnShapes)
	}
	if rep.ColumnPairTrends > 0.9 {
		t.Fatalf("pair trends %v after shuffling, want a clear drop", rep.ColumnPairTrends)
	}
	if rep.TSTR.MacroRatio > 0.6 {
		t.Fatalf("TSTR ratio %v on shuffled data", rep.TSTR.MacroRatio)
	}
	if rep.Detection.TreesROCAUC < 0.7 {
		t.Fatalf("trees cannot tell shuffled rows: AUC %v", rep.Detection.TreesROCAUC)
	}
}

// TestRealVsReal: two random halves of the same data are indistinguishable.
func TestRealVsReal(t *testing.T) {
	tb := seedData(t)
	perm := nn.NewRNG(8).Perm(make([]int, tb.NumRows()))
	a, b := rowsOf(tb, perm[:1500]), rowsOf(tb, perm[1500:])
	rep, err := Evaluate(context.Background(), a, b, Options{Seed: 2, Target: "-"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("real vs real: overall %.3f, detection AUC %.3f (trees %.3f)", rep.Overall, rep.Detection.ROCAUC, rep.Detection.TreesROCAUC)
	if rep.TSTR != nil {
		t.Fatal("TSTR not skipped")
	}
	if math.Abs(rep.Detection.ROCAUC-0.5) > 0.05 || math.Abs(rep.Detection.TreesROCAUC-0.5) > 0.06 {
		t.Fatalf("detection AUC %v (trees %v), want ≈ 0.5", rep.Detection.ROCAUC, rep.Detection.TreesROCAUC)
	}
	if rep.Overall < 0.95 {
		t.Fatalf("overall %v for two halves of the same data", rep.Overall)
	}
}

func TestMetrics(t *testing.T) {
	if d := ksStatistic([]float64{1, 2, 3, 4}, []float64{3, 4, 5, 6}); d != 0.5 {
		t.Errorf("KS = %v, want 0.5", d)
	}
	if d := ksStatistic([]float64{1, 2}, []float64{1, 2}); d != 0 {
		t.Errorf("KS of equal samples = %v", d)
	}
	if d := tvDistance([]int32{0, 0, 1, 1}, []int32{0, 1, 1, 1}, 2); d != 0.25 {
		t.Errorf("TV = %v, want 0.25", d)
	}
	if a := rocAUC([]int{0, 0, 1, 1}, []float64{0.1, 0.4, 0.35, 0.8}); a != 0.75 {
		t.Errorf("AUC = %v, want 0.75", a)
	}
	if a := rocAUC([]int{0, 1, 0, 1}, []float64{1, 1, 1, 1}); a != 0.5 {
		t.Errorf("AUC of ties = %v", a)
	}
	f := f1Scores([]int{0, 0, 1, 1, 2}, []int{0, 1, 1, 1, 0}, 3)
	if math.Abs(f[0]-0.5) > 1e-12 || math.Abs(f[1]-0.8) > 1e-12 || f[2] != 0 {
		t.Errorf("F1 = %v", f)
	}
	if r := pearson([]float64{1, 2, 3, math.NaN()}, []float64{2, 4, 6, 1}); math.Abs(r-1) > 1e-12 {
		t.Errorf("pearson = %v", r)
	}
}

// TestGBTLearnsInteraction: trees separate an XOR of two features, which no linear model can.
func TestGBTLearnsInteraction(t *testing.T) {
	r := nn.NewRNG(1)
	n := 2000
	x := [][]float64{make([]float64, n), make([]float64, n)}
	y := make([]int, n)
	for i := range n {
		a, b := r.Float64(), r.Float64()
		x[0][i], x[1][i] = a, b
		if (a > 0.5) != (b > 0.5) {
			y[i] = 1
		}
	}
	g := fitGBT(x, y, 2, defaultGBT)
	p := argmaxRows(g.predictProba(x), 2)
	right := 0
	for i := range y {
		if p[i] == y[i] {
			right++
		}
	}
	if right < 1900 {
		t.Fatalf("XOR: %d of %d right", right, n)
	}
}

func TestEvaluateErrors(t *testing.T) {
	tb := seedData(t)
	other, _ := datasets.NewTable(datasets.NewFloat("zzz", []float64{1, 2}, datasets.Meta{}))
	if _, err := Evaluate(context.Background(), tb, other, Options{}); err == nil {
		t.Error("no shared column: no error")
	}
	if _, err := Evaluate(context.Background(), tb, tb, Options{Target: "rul"}); err == nil {
		t.Error("numeric target: no error")
	}
	if _, err := Evaluate(context.Background(), tb, tb, Options{Target: "nope"}); err == nil {
		t.Error("unknown target: no error")
	}
}
