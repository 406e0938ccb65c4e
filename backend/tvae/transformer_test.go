package tvae

import (
	"context"
	"math"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
)

// mixedTable has one column of every kind the transformer meets: a bimodal float with nulls
// and 3 decimals, a wide int (continuous), a small int (discrete), a string with a null-free
// category set, a bool, a timestamp and an id column.
func mixedTable(n int, seed uint64) *datasets.Table {
	r := nn.NewRNG(seed)
	f := make([]float64, n)
	wide := make([]int64, n)
	small := make([]int64, n)
	s := make([]string, n)
	b := make([]bool, n)
	ts := make([]int64, n)
	id := make([]int64, n)
	wear := make([]float64, n)
	band := make([]int64, n)   // a step function of wear: derived
	shift := make([]string, n) // a function of unit: derived
	for i := range n {
		if r.Float64() < 0.3 {
			wear[i] = r.Float64()
		}
		switch {
		case wear[i] >= 0.7:
			band[i] = 2
		case wear[i] >= 0.3:
			band[i] = 1
		}
		if r.Float64() < 0.4 {
			f[i] = math.Round((20+2*r.NormFloat64())*1000) / 1000
		} else {
			f[i] = math.Round((80+5*r.NormFloat64())*1000) / 1000
		}
		wide[i] = int64(1000 + r.IntN(5000))
		small[i] = int64(r.IntN(4))
		s[i] = []string{"idle", "run", "peak"}[r.IntN(3)]
		b[i] = r.Float64() < 0.1
		ts[i] = 1_700_000_000_000 + int64(i)*60_000
		id[i] = int64(1 + i*20/n)
		shift[i] = []string{"A", "B"}[id[i]%2]
	}
	fc := datasets.NewFloat("temp", f, datasets.Meta{Unit: "°C", Role: datasets.RoleSensor})
	for i := 0; i < n; i += 37 {
		fc.SetNull(i)
	}
	t, err := datasets.NewTable(
		datasets.NewTimestamp("timestamp", ts, datasets.Meta{Role: datasets.RoleTime}),
		datasets.NewInt("unit", id, datasets.Meta{Role: datasets.RoleID}),
		fc,
		datasets.NewInt("rpm", wide, datasets.Meta{Unit: "rpm"}),
		datasets.NewInt("state", small, datasets.Meta{Role: datasets.RoleLabel}),
		datasets.NewString("regime", s, datasets.Meta{}),
		datasets.NewBool("outlier", b, datasets.Meta{}),
		datasets.NewFloat("wear", wear, datasets.Meta{}),
		datasets.NewInt("band", band, datasets.Meta{}),
		datasets.NewString("shift", shift, datasets.Meta{}),
	)
	if err != nil {
		panic(err)
	}
	return t
}

// logits turns an encoded matrix into decoder-like raw outputs: atanh of the scalars and
// confident logits for one-hot spans.
func logits(tr *Transformer, enc nn.Mat[float32]) nn.Mat[float32] {
	out := nn.NewMat[float32](enc.Rows, enc.Cols)
	for i := range enc.Rows {
		src, dst := enc.Row(i), out.Row(i)
		for _, s := range tr.Spans {
			for j := s.Start; j < s.Start+s.Width; j++ {
				if s.Kind == SpanScalar {
					dst[j] = float32(math.Atanh(float64(src[j])))
				} else {
					dst[j] = 40 * (src[j] - 0.5)
				}
			}
		}
	}
	return out
}

func TestTransformerKindsAndSpans(t *testing.T) {
	tb := mixedTable(3000, 1)
	tr, err := FitTransformer(context.Background(), tb, TransformOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"timestamp": KindContinuous, "unit": KindDiscrete, "temp": KindContinuous,
		"rpm": KindContinuous, "state": KindDiscrete, "regime": KindDiscrete, "outlier": KindDiscrete, "wear": KindContinuous,
		"band": KindDiscrete, "shift": KindDiscrete}
	for _, cs := range tr.Columns {
		if cs.Kind != want[cs.Name] {
			t.Errorf("%s: kind %s, want %s", cs.Name, cs.Kind, want[cs.Name])
		}
	}
	temp := tr.Columns[2]
	if !temp.Nullable || temp.Decimals != 3 || len(temp.Means) < 2 || len(temp.Means) > bgmComponents {
		t.Errorf("temp: nullable %v decimals %d modes %d", temp.Nullable, temp.Decimals, len(temp.Means))
	}
	if w := tr.Columns[7]; len(w.Atoms) != 1 || w.Atoms[0] != 0 || len(temp.Atoms) != 0 {
		t.Errorf("atoms: wear %v, temp %v; want [0] and none", w.Atoms, temp.Atoms)
	}
	if got := tr.Columns[1].Categories; len(got) != 20 || got[0] != "1" || got[19] != "20" {
		t.Errorf("unit categories %v", got)
	}
	w := 0
	for _, s := range tr.Spans {
		if s.Start != w {
			t.Fatalf("span %+v does not start at %d", s, w)
		}
		w += s.Width
	}
	if w != tr.Width {
		t.Fatalf("spans cover %d of width %d", w, tr.Width)
	}
	// Forcing kinds, and what cannot be forced.
	tr2, err := FitTransformer(context.Background(), tb, TransformOptions{Discrete: []string{"rpm"}, Continuous: []string{"state"}})
	if err != nil {
		t.Fatal(err)
	}
	if tr2.Columns[3].Kind != KindDiscrete || tr2.Columns[4].Kind != KindContinuous {
		t.Errorf("forced kinds ignored")
	}
	if _, err := FitTransformer(context.Background(), tb, TransformOptions{Continuous: []string{"regime"}}); err == nil {
		t.Error("string column forced continuous: no error")
	}
	if _, err := FitTransformer(context.Background(), tb, TransformOptions{Discrete: []string{"nope"}}); err == nil {
		t.Error("unknown column: no error")
	}
}

func TestTransformerRoundTrip(t *testing.T) {
	tb := mixedTable(4000, 2)
	ctx := context.Background()
	tr, err := FitTransformer(ctx, tb, TransformOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := tr.Transform(ctx, tb, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range enc.Rows {
		row := enc.Row(i)
		for _, s := range tr.Spans {
			seg := row[s.Start : s.Start+s.Width]
			if s.Kind == SpanScalar {
				if math.Abs(float64(seg[0])) > float64(float32(scalarClip)) {
					t.Fatalf("row %d: scalar %v beyond ±0.99", i, seg[0])
				}
				continue
			}
			sum := float32(0)
			for _, v := range seg {
				sum += v
			}
			if sum != 1 {
				t.Fatalf("row %d span %+v is not one-hot: %v", i, s, seg)
			}
		}
	}
	back := tr.InverseTransform(logits(tr, enc), nil, 5)
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	for ci, c := range tb.Columns {
		bc := back.Columns[ci]
		if bc.Name != c.Name || bc.Type != c.Type || bc.Meta != c.Meta {
			t.Fatalf("schema: %s %s %+v, want %s %s %+v", bc.Name, bc.Type, bc.Meta, c.Name, c.Type, c.Meta)
		}
		off := 0
		for i := range c.Len() {
			if c.IsNull(i) != bc.IsNull(i) {
				t.Fatalf("%s row %d: null %v, want %v", c.Name, i, bc.IsNull(i), c.IsNull(i))
			}
			if c.IsNull(i) {
				continue
			}
			if tr.Columns[ci].Kind == KindDiscrete {
				if CategoryText(c, i) != CategoryText(bc, i) {
					t.Fatalf("%s row %d: %s, want %s", c.Name, i, CategoryText(bc, i), CategoryText(c, i))
				}
				continue
			}
			v, _ := number(c, i)
			w, _ := number(bc, i)
			if math.Abs(v-w) > 1e-3*math.Max(1, math.Abs(v)*1e-6) && math.Abs(v-w) > 1e-4*math.Abs(v) {
				off++
			}
		}
		// A value can land in a mode more than 3.96σ away (responsibilities are floored
		// at 1e-6) and be clipped; that must stay rare.
		if off > c.Len()/200 {
			t.Errorf("%s: %d of %d values do not round-trip", c.Name, off, c.Len())
		}
	}
	// Same seed, same encoding.
	enc2, _ := tr.Transform(ctx, tb, 4)
	for i := range enc.Data {
		if enc.Data[i] != enc2.Data[i] {
			t.Fatal("same seed, different encoding")
		}
	}
}

func TestTransformSchemaMismatch(t *testing.T) {
	tb := mixedTable(500, 3)
	tr, err := FitTransformer(context.Background(), tb, TransformOptions{})
	if err != nil {
		t.Fatal(err)
	}
	other := mixedTable(100, 4)
	other.Columns = other.Columns[1:]
	if _, err := tr.Transform(context.Background(), other, 1); err == nil {
		t.Fatal("missing column: no error")
	}
}

// TestDerivations: step functions of a continuous column and functions of a discrete one are
// found; derived ones get no span and come back exactly from their sources.
func TestDerivations(t *testing.T) {
	tb := mixedTable(3000, 6)
	ctx := context.Background()
	tr, err := FitTransformer(ctx, tb, TransformOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"unit": "timestamp", "band": "wear", "shift": "unit"}
	for _, cs := range tr.Columns {
		got := ""
		if cs.Derived != nil {
			got = cs.Derived.Source
		}
		if got != want[cs.Name] {
			t.Errorf("%s derived from %q, want %q", cs.Name, got, want[cs.Name])
		}
		hasSpan := false
		for _, s := range tr.Spans {
			hasSpan = hasSpan || tr.Columns[s.Column].Name == cs.Name
		}
		// A step function of a column that is not the time axis stays modelled and is
		// enforced; the others are computed.
		enforced := cs.Name == "band"
		if cs.Derived != nil && (cs.Derived.Enforce != enforced || hasSpan != enforced) {
			t.Errorf("%s: enforce %v, span %v; want %v", cs.Name, cs.Derived.Enforce, hasSpan, enforced)
		}
	}
	if b := tr.Columns[8].Derived; len(b.Bounds) != 2 || math.Abs(b.Bounds[0]-0.3) > 0.01 || math.Abs(b.Bounds[1]-0.7) > 0.01 {
		t.Errorf("band bounds %v, want about [0.3 0.7]", b.Bounds)
	}
	enc, err := tr.Transform(ctx, tb, 2)
	if err != nil {
		t.Fatal(err)
	}
	back := tr.InverseTransform(logits(tr, enc), nil, 3)
	for _, name := range []string{"unit", "band", "shift"} {
		c, bc := tb.Column(name), back.Column(name)
		for i := range c.Len() {
			if CategoryText(c, i) != CategoryText(bc, i) {
				t.Fatalf("%s row %d: %s, want %s", name, i, CategoryText(bc, i), CategoryText(c, i))
			}
		}
	}
	off, err := FitTransformer(ctx, tb, TransformOptions{Seed: 1, NoDerive: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range off.Columns {
		if cs.Derived != nil {
			t.Errorf("NoDerive: %s derived", cs.Name)
		}
	}
}
