package features

import (
	"math"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
)

// table builds a small two-group table: g (group), t (order, shuffled), x (numeric with a
// null), c (categorical), k (constant), y (label role), id (identifier-like).
func table(t *testing.T) *datasets.Table {
	t.Helper()
	g := []string{"b", "a", "a", "b", "a", "a", "b", "a"}
	ts := []int64{2, 3, 1, 1, 2, 4, 3, 5}
	x := []float64{20, 3, 1, 10, math.NaN(), 4, 30, 5}
	c := []string{"on", "off", "on", "on", "on", "", "off", "idle"}
	k := []float64{7, 7, 7, 7, 7, 7, 7, 7}
	y := []int64{0, 1, 0, 0, 0, 1, 1, 1}
	var id []string
	for i := range g {
		id = append(id, strings.Repeat("z", i+1))
	}
	tb, err := datasets.NewTable(
		datasets.NewString("g", g, datasets.Meta{}),
		datasets.NewInt("t", ts, datasets.Meta{}),
		datasets.NewFloat("x", x, datasets.Meta{Unit: "°C"}),
		datasets.NewString("c", c, datasets.Meta{}),
		datasets.NewFloat("k", k, datasets.Meta{}),
		datasets.NewInt("y", y, datasets.Meta{Role: datasets.RoleLabel}),
		datasets.NewString("id", id, datasets.Meta{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestSequences(t *testing.T) {
	tb := table(t)
	cases := []struct {
		name         string
		group, order string
		want         [][]int
		field        string
	}{
		{"grouped and ordered", "g", "t", [][]int{{3, 0, 6}, {2, 4, 1, 5, 7}}, ""},
		{"grouped, table order", "g", "", [][]int{{0, 3, 6}, {1, 2, 4, 5, 7}}, ""},
		{"one history", "", "t", [][]int{{2, 3, 0, 4, 1, 6, 5, 7}}, ""},
		{"unknown group", "nope", "t", nil, "group"},
		{"unknown order", "g", "nope", nil, "order"},
		{"order not a time", "g", "c", nil, "order"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seqs, err := Sequences(tb, tc.group, tc.order)
			if tc.field != "" {
				e := apperr.As(err)
				if err == nil || e.Kind != apperr.KindBadInput || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
					t.Fatalf("got %v, want bad input on %q", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got [][]int
			for _, s := range seqs {
				got = append(got, s.Rows)
			}
			if !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFitInputsAndSkips(t *testing.T) {
	p, err := Fit(table(t), Options{Group: "g", Order: "t", Window: 3, Exclude: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range p.Inputs {
		names = append(names, in.Name+":"+in.Kind)
	}
	if want := []string{"x:numeric", "c:categorical"}; !slices.Equal(names, want) {
		t.Fatalf("inputs %v, want %v", names, want)
	}
	skipped := map[string]string{}
	for _, s := range p.Skipped {
		skipped[s.Column] = s.Reason
	}
	for col, want := range map[string]string{"k": "constant", "y": "role", "id": "excluded"} {
		if !strings.Contains(skipped[col], want) {
			t.Errorf("column %s: skip reason %q, want %q", col, skipped[col], want)
		}
	}
	// x: 7 window stats + missing indicator (1 null in 8 ≥ 5 %) + 2 context residuals.
	want := []string{"x.last", "x.mean", "x.std", "x.min", "x.max", "x.slope", "x.ewma", "x.missing", "x.last~ctx", "x.mean~ctx"}
	if got := p.Names[:p.Inputs[0].Count]; !slices.Equal(got, want) {
		t.Fatalf("x features %v, want %v", got, want)
	}
	if p.Inputs[0].Fill != 5 { // median of 1, 3, 4, 5, 10, 20, 30
		t.Errorf("fill %v, want 5", p.Inputs[0].Fill)
	}
}

func TestIdentifierLikeSkipped(t *testing.T) {
	n := 200
	ids := make([]string, n)
	vals := make([]float64, n)
	for i := range ids {
		ids[i] = "op" + strings.Repeat("x", i%97) + string(rune('a'+i%26))
		vals[i] = float64(i)
	}
	tb, _ := datasets.NewTable(datasets.NewString("operator", ids, datasets.Meta{}), datasets.NewFloat("v", vals, datasets.Meta{}))
	p, err := Fit(tb, Options{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Inputs) != 1 || p.Inputs[0].Name != "v" || !strings.Contains(p.Skipped[0].Reason, "identifier") {
		t.Fatalf("inputs %+v skipped %+v", p.Inputs, p.Skipped)
	}
}

func TestTransformValues(t *testing.T) {
	tb := table(t)
	p, err := Fit(tb, Options{Group: "g", Order: "t", Window: 3, NoContext: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := p.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	get := func(row int, name string) float32 {
		j := slices.Index(p.Names, name)
		for r := 0; r < f.N; r++ {
			if f.Rows[r] == row {
				return f.Row(r)[j]
			}
		}
		t.Fatalf("row %d not transformed", row)
		return 0
	}
	// Group a in time order: rows 2 (x=1), 4 (null), 1 (3), 5 (4), 7 (5).
	cases := []struct {
		row  int
		name string
		want float64
	}{
		{2, "x.last", 1},
		{4, "x.last", 1},      // forward fill of the null
		{4, "x.missing", 0.5}, // one of two rows missing
		{1, "x.mean", 2},      // window rows 2, 4, 1 → values 1, 3
		{1, "x.slope", 1},     // (1 at j=0, 3 at j=2)
		{7, "x.mean", 4},      // rows 1, 5, 7 → 3, 4, 5
		{7, "x.std", math.Sqrt(2.0 / 3)},
		{7, "x.min", 3},
		{7, "x.max", 5},
		{7, "x.slope", 1},
		{7, "c=on", 0}, // latest c of row 7 is "idle", not a level… (see below)
		{1, "c=off", 1},
		{1, "c=on.share", 2.0 / 3},
		{5, "c=off", 1}, // row 5 has no c: the latest value present (row 1: off)
		{5, "c.missing", 1.0 / 3},
	}
	for _, tc := range cases {
		if got := get(tc.row, tc.name); math.Abs(float64(got)-tc.want) > 1e-6 {
			t.Errorf("row %d %s = %v, want %v", tc.row, tc.name, got, tc.want)
		}
	}
	// "idle" appears once in 7 values (≥ 0.5 %), so it is a level; its one-hot is set.
	if got := get(7, "c=idle"); got != 1 {
		t.Errorf("row 7 c=idle = %v, want 1", got)
	}
	if got := f.Current(slices.Index(f.Rows, 4), 0); got != 1.0 {
		t.Errorf("current x of row 4 = %v, want the forward-filled 1", got)
	}
}

// The features of the latest row must be the same whether computed over the whole history or
// over a buffer of only the last History() rows of each group: training and prediction share
// the code and see the same thing.
func TestBufferEqualsHistory(t *testing.T) {
	n := 300
	g := make([]int64, n)
	ts := make([]int64, n)
	x := make([]float64, n)
	y := make([]float64, n)
	c := make([]string, n)
	for i := range g {
		g[i] = int64(i % 3)
		ts[i] = int64(i)
		x[i] = math.Sin(float64(i)/7) * 10
		y[i] = float64(i%11) + 0.5*float64(i)
		c[i] = []string{"lo", "hi", "mid"}[(i/9)%3]
		if i%13 == 0 {
			x[i] = math.NaN()
		}
	}
	full, _ := datasets.NewTable(datasets.NewInt("g", g, datasets.Meta{}), datasets.NewTimestamp("t", ts, datasets.Meta{}),
		datasets.NewFloat("x", x, datasets.Meta{}), datasets.NewFloat("y", y, datasets.Meta{}), datasets.NewString("c", c, datasets.Meta{}))
	for _, opts := range []Options{{Group: "g", Order: "t", Window: 12}, {Group: "g", Order: "t", Window: 8, Long: 30}, {Group: "g", Order: "t", Window: 1}} {
		p, err := Fit(full, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Keep the last History() rows of each group.
		if !bufferMatches(t, p, full, "g", "t", 0) {
			t.Fatalf("window %d: buffer features differ from full-history features", opts.Window)
		}
	}
}

// bufferMatches says whether p's latest features from a buffer of each group's first lead rows
// and last History() rows (what a live prediction keeps) equal those from the whole of full.
func bufferMatches(t *testing.T, p *Pipeline, full *datasets.Table, group, order string, lead int) bool {
	t.Helper()
	want, err := p.Transform(full, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	seqs, _ := Sequences(full, group, order)
	var keep []int
	for _, s := range seqs {
		n := len(s.Rows) - p.History()
		keep = append(keep, s.Rows[:min(lead, n)]...)
		keep = append(keep, s.Rows[n:]...)
	}
	slices.Sort(keep)
	cols := make([]*datasets.Column, 0, len(full.Columns))
	for _, col := range full.Columns {
		cols = append(cols, subset(col, keep))
	}
	buf, _ := datasets.NewTable(cols...)
	got, err := p.Transform(buf, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Equal(got.X, want.X)
}

func subset(c *datasets.Column, rows []int) *datasets.Column {
	out := &datasets.Column{Name: c.Name, Type: c.Type, Meta: c.Meta}
	for _, r := range rows {
		switch c.Type {
		case datasets.Float:
			out.Floats = append(out.Floats, c.Floats[r])
		case datasets.Int:
			out.Ints = append(out.Ints, c.Ints[r])
		case datasets.String:
			out.Strings = append(out.Strings, c.Strings[r])
		case datasets.Timestamp:
			out.Times = append(out.Times, c.Times[r])
		}
	}
	if c.Nulls != nil {
		for _, r := range rows {
			out.Nulls = append(out.Nulls, c.Nulls[r])
		}
	}
	return out
}

func TestBindErrors(t *testing.T) {
	tb := table(t)
	p, err := Fit(tb, Options{Group: "g", Order: "t", Window: 2})
	if err != nil {
		t.Fatal(err)
	}
	noX, _ := datasets.NewTable(tb.Columns[0], tb.Columns[1], tb.Columns[3])
	xText, _ := datasets.NewTable(tb.Columns[0], tb.Columns[1], datasets.NewString("x", make([]string, 8), datasets.Meta{}), tb.Columns[3])
	for name, bad := range map[string]*datasets.Table{"missing column": noX, "text for a number": xText} {
		_, err := p.Transform(bad, nil, false)
		e := apperr.As(err)
		if err == nil || e.Kind != apperr.KindBadInput || e.Fields[0].Field != "columns" || !strings.Contains(err.Error(), "x") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if _, err := Fit(tb, Options{Window: MaxWindow + 1}); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("window too large: got %v", err)
	}
	only, _ := datasets.NewTable(tb.Columns[4], tb.Columns[5])
	if _, err := Fit(only, Options{}); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("no usable column: got %v", err)
	}
}
