package datasets

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

// refQuantile is the type-7 quantile of sorted values.
func refQuantile(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

func TestQuantilesMatchSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 7, 100, 1001, 50_000} {
		for _, distinct := range []int{1, 4, 1 << 30} { // constant, few repeated values, continuous
			vals := make([]float64, n)
			for i := range vals {
				vals[i] = float64(rng.IntN(distinct)) + rng.Float64()*float64(min(distinct-1, 1))
			}
			sorted := slices.Clone(vals)
			slices.Sort(sorted)
			got := quantiles(vals, quantileProbs[:])
			for k, p := range quantileProbs {
				if want := refQuantile(sorted, p); math.Abs(got[k]-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Fatalf("n=%d distinct=%d p=%v: got %v want %v", n, distinct, p, got[k], want)
				}
			}
		}
	}
}

func TestDescribe(t *testing.T) {
	f := NewFloat("f", []float64{1, 2, 3, 4, math.NaN(), 5}, Meta{Unit: "A"})
	i := NewInt("i", []int64{10, 10, 10, 10, 10, 10}, Meta{})
	s := NewString("s", []string{"b", "a", "b", "", "c", "b"}, Meta{})
	s.SetNull(3)
	b := NewBool("b", []bool{true, false, true, true, false, true}, Meta{})
	empty := NewFloat("e", []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}, Meta{})
	tb, err := NewTable(f, i, s, b, empty)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Describe(tb)
	if err != nil {
		t.Fatal(err)
	}
	fs := st[0]
	if fs.Count != 5 || fs.Nulls != 1 || fs.Min != 1 || fs.Max != 5 || fs.Mean != 3 || math.Abs(float64(fs.Std)-math.Sqrt(2.5)) > 1e-12 {
		t.Errorf("float stats = %+v", fs)
	}
	if fs.Quantiles.P50 != 3 || fs.Quantiles.P25 != 2 || math.Abs(float64(fs.Quantiles.P99)-4.96) > 1e-12 || fs.Meta.Unit != "A" {
		t.Errorf("float quantiles = %+v", *fs.Quantiles)
	}
	if is := st[1]; is.Std != 0 || is.Min != 10 || is.Quantiles.P01 != 10 {
		t.Errorf("int stats = %+v", is)
	}
	if ss := st[2]; ss.Distinct != 3 || ss.Nulls != 1 || ss.Top[0] != (CategoryCount{"b", 3}) || ss.Quantiles != nil {
		t.Errorf("string stats = %+v", ss)
	}
	if bs := st[3]; bs.Distinct != 2 || math.Abs(float64(bs.Mean)-4.0/6) > 1e-12 {
		t.Errorf("bool stats = %+v", bs)
	}
	if es := st[4]; es.Count != 0 || es.Nulls != 6 || !math.IsNaN(float64(es.Mean)) {
		t.Errorf("all-null stats = %+v", es)
	}
	// NaN must not break JSON.
	js, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"mean":null`) {
		t.Errorf("JSON = %s", js)
	}
	var back []ColumnStats
	if err := json.Unmarshal(js, &back); err != nil || !math.IsNaN(float64(back[4].Mean)) || back[0].Mean != 3 {
		t.Errorf("JSON round trip: %v %+v", err, back)
	}
	if _, err := Describe(tb, "nope"); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("unknown column: %v", err)
	}
}

func TestHistogramOf(t *testing.T) {
	a, _ := NewTable(NewFloat("x", []float64{0, 1, 2, 3, 4, math.NaN()}, Meta{Unit: "bar"}),
		NewString("c", []string{"p", "q", "p", "p", "r", "q"}, Meta{}), NewInt("k", []int64{0, 1, 2, 3, 3, 3}, Meta{}))
	b, _ := NewTable(NewFloat("x", []float64{5, 10, 10}, Meta{}),
		NewString("c", []string{"z", "p", "z"}, Meta{}), NewInt("k", []int64{1, 1, 1}, Meta{}))
	h, err := HistogramOf("x", 5, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Edges, []float64{0, 2, 4, 6, 8, 10}) || h.Unit != "bar" {
		t.Errorf("edges = %v", h.Edges)
	}
	if !slices.Equal(h.Counts[0], []int{2, 2, 1, 0, 0}) || !slices.Equal(h.Counts[1], []int{0, 0, 1, 0, 2}) || h.Nulls[0] != 1 {
		t.Errorf("counts = %v nulls %v", h.Counts, h.Nulls)
	}
	hk, err := HistogramOf("k", 0, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(hk.Edges, []float64{-0.5, 0.5, 1.5, 2.5, 3.5}) || !slices.Equal(hk.Counts[0], []int{1, 1, 1, 3}) || !slices.Equal(hk.Counts[1], []int{0, 3, 0, 0}) {
		t.Errorf("integer histogram = %+v", hk)
	}
	hc, err := HistogramOf("c", 0, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if !hc.Categorical || !slices.Equal(hc.Categories, []string{"p", "q", "z", "r"}) || !slices.Equal(hc.Counts[0], []int{3, 2, 0, 1}) || !slices.Equal(hc.Counts[1], []int{1, 0, 2, 0}) {
		t.Errorf("categorical = %+v", hc)
	}
	many := make([]string, 200)
	for i := range many {
		many[i] = string(rune('A'+i%60)) + "x"
	}
	m, _ := NewTable(NewString("c", many, Meta{}))
	hm, _ := HistogramOf("c", 0, m)
	if len(hm.Categories) != MaxCategories+1 || hm.Categories[MaxCategories] != OtherCategory {
		t.Errorf("categories = %d", len(hm.Categories))
	}
	sum := 0
	for _, n := range hm.Counts[0] {
		sum += n
	}
	if sum != 200 {
		t.Errorf("counts sum to %d", sum)
	}
	for _, tc := range []struct {
		name   string
		col    string
		bins   int
		tables []*Table
	}{
		{"no tables", "x", 0, nil},
		{"bins", "x", MaxBins + 1, []*Table{a}},
		{"unknown column", "nope", 0, []*Table{a}},
		{"mixed kinds", "x", 0, []*Table{a, mustTable(t, NewString("x", []string{"a"}, Meta{}))}},
	} {
		if _, err := HistogramOf(tc.col, tc.bins, tc.tables...); apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func mustTable(t testing.TB, cols ...*Column) *Table {
	t.Helper()
	tb, err := NewTable(cols...)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestLTTB(t *testing.T) {
	n := 10_000
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
		y[i] = math.Sin(float64(i) / 500)
	}
	y[4321] = 50 // a spike every-k-th sampling would miss
	gx, gy := LTTB(x, y, 100, nil, nil)
	if len(gx) != 100 || len(gy) != 100 || gx[0] != 0 || gx[99] != float64(n-1) {
		t.Fatalf("len %d, ends %v %v", len(gx), gx[0], gx[len(gx)-1])
	}
	if !slices.IsSorted(gx) {
		t.Error("x not ascending")
	}
	if !slices.Contains(gy, 50) {
		t.Error("the spike was lost")
	}
	if sx, _ := everyNth(x, y, 100); slices.Contains(sx, 4321) {
		t.Log("(baseline happened to keep the spike)")
	}
	sx, sy := LTTB(x[:50], y[:50], 100, nil, nil)
	if len(sx) != 50 || len(sy) != 50 {
		t.Errorf("short input changed: %d", len(sx))
	}
}

// everyNth is the naive baseline: every k-th point.
func everyNth(x, y []float64, n int) ([]float64, []float64) {
	k := max(1, (len(x)+n-1)/n)
	var ox, oy []float64
	for i := 0; i < len(x); i += k {
		ox = append(ox, x[i])
		oy = append(oy, y[i])
	}
	return ox, oy
}

func TestDownsample(t *testing.T) {
	n := 3000
	ts := make([]int64, n)
	unit := make([]int64, n)
	v := make([]float64, n)
	for i := range ts {
		ts[i] = 1_700_000_000_000 + int64(i)*1000
		unit[i] = int64(i / 1000)
		v[i] = float64(i)
	}
	vc := NewFloat("v", v, Meta{Unit: "mm/s"})
	vc.SetNull(1500)
	tb := mustTable(t, NewTimestamp("timestamp", ts, Meta{}), NewInt("unit", unit, Meta{}), vc, NewString("s", make([]string, n), Meta{}))

	s, err := Downsample(tb, SeriesQuery{Y: "v", MaxPoints: 100})
	if err != nil {
		t.Fatal(err)
	}
	if s.XName != "timestamp" || s.XType != Timestamp || s.Unit != "mm/s" || s.Total != n-1 || len(s.X) != 100 || s.X[0] != float64(ts[0]) {
		t.Errorf("series = %s %s %s total %d len %d", s.XName, s.XType, s.Unit, s.Total, len(s.X))
	}
	s, err = Downsample(tb, SeriesQuery{Y: "v", FilterColumn: "unit", FilterValue: "1", MaxPoints: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 999 || s.Y[0] != 1000 || s.Y[len(s.Y)-1] != 1999 {
		t.Errorf("filtered: total %d first %v last %v", s.Total, s.Y[0], s.Y[len(s.Y)-1])
	}
	// An x range keeps the rows inside it (bounds included), at full resolution.
	lo, hi := float64(ts[100]), float64(ts[399])
	s, err = Downsample(tb, SeriesQuery{Y: "v", XMin: &lo, XMax: &hi, MaxPoints: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 300 || len(s.X) != 300 || s.Y[0] != 100 || s.Y[299] != 399 {
		t.Errorf("x range: total %d len %d first %v last %v", s.Total, len(s.X), s.Y[0], s.Y[len(s.Y)-1])
	}
	if _, err := Downsample(tb, SeriesQuery{Y: "v", XMin: &hi, XMax: &lo}); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("inverted x range: err = %v", err)
	}
	// x given and out of order: sorted first.
	rev := make([]float64, n)
	for i := range rev {
		rev[i] = float64(n - i)
	}
	tb.Columns = append(tb.Columns, NewFloat("rev", rev, Meta{}))
	s, err = Downsample(tb, SeriesQuery{Y: "v", X: "rev", MaxPoints: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(s.X) || s.Y[0] != float64(n-1) {
		t.Errorf("unsorted x: %v %v", s.X, s.Y)
	}
	for _, q := range []SeriesQuery{
		{Y: "nope"}, {Y: "s"}, {Y: "v", X: "s"}, {Y: "v", MaxPoints: 2}, {Y: "v", MaxPoints: MaxSeriesPoints + 1},
		{Y: "v", FilterColumn: "unit", FilterValue: "one"}, {Y: "v", FilterColumn: "nope", FilterValue: "1"},
	} {
		if _, err := Downsample(tb, q); apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("%+v: err = %v", q, err)
		}
	}
}

func TestCorrelate(t *testing.T) {
	n := 1000
	a := make([]float64, n)
	b := make([]float64, n)
	c := make([]float64, n)
	k := make([]int64, n)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range a {
		a[i] = 1e9 + rng.NormFloat64() // large offset: tests numerical stability
		b[i] = -2*a[i] + 7
		c[i] = 3
		k[i] = int64(i)
	}
	bc := NewFloat("b", b, Meta{})
	bc.SetNull(10)
	tb := mustTable(t, NewFloat("a", a, Meta{}), bc, NewFloat("c", c, Meta{}), NewInt("unit", k, Meta{Role: RoleID}))
	r, err := Correlate(tb)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Columns, []string{"a", "b", "c"}) {
		t.Fatalf("columns = %v", r.Columns)
	}
	if math.Abs(float64(r.Values[0][1])+1) > 1e-6 || r.Values[0][0] != 1 || r.N[0][1] != n-1 || r.N[0][0] != n {
		t.Errorf("r(a,b) = %v n=%d", r.Values[0][1], r.N[0][1])
	}
	if !math.IsNaN(float64(r.Values[0][2])) || !math.IsNaN(float64(r.Values[2][2])) {
		t.Errorf("constant column r = %v", r.Values[0][2])
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("JSON: %v", err)
	}
	if _, err := Correlate(tb, "a", "unit"); err != nil {
		t.Errorf("explicit int column: %v", err)
	}
	tb.Columns = append(tb.Columns, NewString("s", make([]string, n), Meta{}))
	if _, err := Correlate(tb, "a", "s"); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("string column: %v", err)
	}
}

func TestRows(t *testing.T) {
	tb := sampleTable(t, 25)
	p, err := Rows(tb, 20, 10, "unit", "timestamp")
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 25 || len(p.Rows) != 5 || len(p.Columns) != 2 || p.Columns[1].Name != "timestamp" {
		t.Fatalf("page = %+v", p)
	}
	if p.Rows[0][1] != FormatTime(tb.Column("timestamp").Times[20]) {
		t.Errorf("timestamp cell = %v", p.Rows[0][1])
	}
	if p.Rows[3][0] != nil { // row 23 is null in column unit (see sampleTable)
		t.Errorf("null cell = %v", p.Rows[3][0])
	}
	if p, _ := Rows(tb, 100, 10); len(p.Rows) != 0 || p.Total != 25 {
		t.Errorf("past the end: %+v", p)
	}
	if _, err := json.Marshal(p); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct{ off, lim int }{{-1, 10}, {0, 0}, {0, MaxPageRows + 1}} {
		if _, err := Rows(tb, tc.off, tc.lim); apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("offset %d limit %d: err = %v", tc.off, tc.lim, err)
		}
	}
}

func TestTakeReordersRepeatsAndCopies(t *testing.T) {
	tbl, err := NewTable(
		NewFloat("f", []float64{1, 2, 3}, Meta{}),
		NewString("s", []string{"a", "b", "c"}, Meta{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	tbl.Columns[0].Nulls = []bool{false, true, false}
	got := Take(tbl, []int{2, 0, 2})
	if got.NumRows() != 3 {
		t.Fatalf("rows = %d, want 3", got.NumRows())
	}
	if f := got.Columns[0].Floats; f[0] != 3 || f[1] != 1 || f[2] != 3 {
		t.Fatalf("floats = %v", f)
	}
	if s := got.Columns[1].Strings; s[0] != "c" || s[1] != "a" || s[2] != "c" {
		t.Fatalf("strings = %v", s)
	}
	if n := got.Columns[0].Nulls; n == nil || n[0] || n[1] || n[2] {
		t.Fatalf("nulls = %v", n)
	}
	got.Columns[0].Floats[1] = 99
	if tbl.Columns[0].Floats[0] != 1 {
		t.Fatal("Take shares its values with the source table")
	}
}
