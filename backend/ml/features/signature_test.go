package features

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"pdmstudio/backend/datasets"
)

// faultTable simulates three episodes of a machine with two operating regimes: a and b sit at
// regime-dependent healthy levels with noise; from the middle of each episode a fault with wear
// d (0 → 1) shifts a by +4·d and b by −2·d; c is unaffected. It returns the table, the wear of
// every row and the healthy flags (d = 0).
func faultTable(t *testing.T) (*datasets.Table, []float64, []bool) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var unit, ts []int64
	var regime []string
	var a, b, c, wear []float64
	var healthy []bool
	for ep := 0; ep < 3; ep++ {
		for k := 0; k < 200; k++ {
			d := max(0, float64(k-100)/99)
			hi := (k/15)%2 == 1
			ra, rb := 10.0, 50.0
			reg := "low"
			if hi {
				ra, rb, reg = 14, 47, "high"
			}
			unit = append(unit, int64(ep))
			ts = append(ts, int64(ep*1000+k))
			regime = append(regime, reg)
			a = append(a, ra+4*d+rng.NormFloat64()*0.1)
			b = append(b, rb-2*d+rng.NormFloat64()*0.1)
			c = append(c, 3+rng.NormFloat64()*0.1)
			wear = append(wear, d)
			healthy = append(healthy, d == 0)
		}
	}
	// A dropout of b longer than the window, in the worn part of the last episode.
	for r := 2*200 + 150; r < 2*200+170; r++ {
		b[r] = math.NaN()
	}
	tb, err := datasets.NewTable(
		datasets.NewInt("unit", unit, datasets.Meta{}), datasets.NewInt("t", ts, datasets.Meta{}),
		datasets.NewString("regime", regime, datasets.Meta{}),
		datasets.NewFloat("a", a, datasets.Meta{}), datasets.NewFloat("b", b, datasets.Meta{}), datasets.NewFloat("c", c, datasets.Meta{}))
	if err != nil {
		t.Fatal(err)
	}
	return tb, wear, healthy
}

var faultSigs = []Signature{
	{Name: "wear", Shift: map[string]float64{"a": 4, "b": -2}},
	{Name: "other", Shift: map[string]float64{"a": 4, "c": 3}}, // shares a, but also moves c
}

// The severity of the true fault follows the wear level (over the window), regimes and the
// dropout notwithstanding; the other fault explains the deviations worse; healthy rows read 0.
func TestSignatureSeverity(t *testing.T) {
	tb, wear, healthy := faultTable(t)
	p, err := Fit(tb, Options{Group: "unit", Order: "t", Window: 3, Signatures: faultSigs, Healthy: healthy})
	if err != nil {
		t.Fatal(err)
	}
	if p.SigWindow != DefaultSignatureWindow || len(p.Signatures) != 2 || p.History() != sigLookback*DefaultSignatureWindow {
		t.Fatalf("sig window %d, %d signatures, history %d", p.SigWindow, len(p.Signatures), p.History())
	}
	for _, name := range []string{"a.dev", "b.dev", "c.dev"} {
		if !slices.Contains(p.Names, name) {
			t.Fatalf("no %s feature in %v", name, p.Names)
		}
	}
	f, err := p.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for r := 0; r < f.N; r++ {
		row := f.Rows[r]
		// The wear the window saw: the mean over the last SigWindow rows of the episode (on a
		// ramp, also their median).
		lo := max(f.Pos[r]-p.SigWindow+1, 0)
		var want float64
		for k := lo; k <= f.Pos[r]; k++ {
			want += wear[f.Seqs[f.Seq[r]].Rows[k]]
		}
		want /= float64(f.Pos[r] - lo + 1)
		sev := p.Severity(f.Row(r))
		worst = max(worst, math.Abs(sev[0]-want))
		if want > 0.3 && sev[0]*p.Signatures[0].Norm <= sev[1]*p.Signatures[1].Norm {
			t.Fatalf("row %d (wear %.2f): the other fault fits better (%.3f·%.1f vs %.3f·%.1f)", row, want, sev[1], p.Signatures[1].Norm, sev[0], p.Signatures[0].Norm)
		}
	}
	// The dropout of b falls back on older readings: it neither reads as healthy nor drifts.
	if worst > 0.08 {
		t.Fatalf("severity off the wear level by up to %.3f", worst)
	}
}

// A pipeline with signatures (one read over a window of its own) survives JSON and gives the
// same features from a buffer of History() rows as from the whole history.
func TestSignatureRoundTripAndBuffer(t *testing.T) {
	tb, _, healthy := faultTable(t)
	sigs := slices.Clone(faultSigs)
	sigs[1].Window = 8 // longer than the pipeline's: History() must cover it
	p, err := Fit(tb, Options{Group: "unit", Order: "t", Window: 3, Signatures: sigs, Healthy: healthy, SignatureWindow: 6})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Pipeline
	if err := json.Unmarshal(js, &q); err != nil {
		t.Fatal(err)
	}
	if q.History() != sigLookback*8 || !slices.Contains(q.Names, "c.dev8") || q.Signatures[1].Value == nil {
		t.Fatalf("history %d, names %v, value features %v", q.History(), q.Names, q.Signatures[1].Value)
	}
	if !bufferMatches(t, &q, tb, "unit", "t", 0) {
		t.Fatal("features from the decoded pipeline and a buffer differ from the full history's")
	}
}

// Signatures naming no numeric input, or no healthy rows, add nothing; a healthy-flag count
// that does not match the rows is an error.
func TestSignatureEdgeCases(t *testing.T) {
	tb, _, healthy := faultTable(t)
	p, err := Fit(tb, Options{Group: "unit", Order: "t", Window: 3, Signatures: []Signature{{Name: "x", Shift: map[string]float64{"nope": 1, "regime": 2}}}, Healthy: healthy})
	if err != nil {
		t.Fatal(err)
	}
	if p.SigWindow != 0 || len(p.Signatures) != 0 || slices.ContainsFunc(p.Names, func(n string) bool { return len(n) > 4 && n[len(n)-4:] == ".dev" }) {
		t.Fatalf("unmatched signature left features: window %d, %v", p.SigWindow, p.Names)
	}
	p, err = Fit(tb, Options{Group: "unit", Order: "t", Window: 3, Signatures: faultSigs, Healthy: make([]bool, tb.NumRows())})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Signatures) != 0 {
		t.Fatalf("no healthy rows, yet %d signatures fitted", len(p.Signatures))
	}
	f, err := p.Transform(tb, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.X {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatal("non-finite feature")
		}
	}
	if _, err := Fit(tb, Options{Group: "unit", Order: "t", Signatures: faultSigs, Healthy: healthy[:10]}); err == nil {
		t.Fatal("10 healthy flags for 600 rows: want an error")
	}
}

// The healthy levels are each regime's median and col.dev is the median of the window: healthy
// rows of one regime blurred towards the other's level, and outlier readings, move neither.
// (Least-squares levels would sit 0.4 above the "low" regime's level and a window mean would
// move by 10 σ for one outlier in ten readings.)
func TestSignatureMedians(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var unit, ts []int64
	var regime []string
	var a, b []float64
	var healthy []bool
	add := func(u, k int, reg string, va, vb float64, h bool) {
		unit = append(unit, int64(u))
		ts = append(ts, int64(k))
		regime = append(regime, reg)
		a = append(a, va)
		b = append(b, vb)
		healthy = append(healthy, h)
	}
	for k := 0; k < 2000; k++ {
		reg, level := "low", 10.0
		if (k/20)%2 == 1 {
			reg, level = "high", 14
		}
		v := level + rng.NormFloat64()*0.1
		switch {
		case reg == "low" && k%10 == 3: // a blurred row: the other regime's level
			v = 14 + rng.NormFloat64()*0.1
		case k%50 == 7: // an outlier
			v = level + 100
		}
		add(0, k, reg, v, 5+rng.NormFloat64()*0.1, true)
	}
	// A second asset: 30 readings at the "low" level, then 10 at +0.3 (3 σ), one of them an
	// outlier of +100.
	for k := 0; k < 40; k++ {
		v := 10.0
		if k >= 30 {
			v = 10.3
		}
		if k == 35 {
			v = 110
		}
		add(1, k, "low", v, 5, false)
	}
	tb, err := datasets.NewTable(
		datasets.NewInt("unit", unit, datasets.Meta{}), datasets.NewInt("t", ts, datasets.Meta{}),
		datasets.NewString("regime", regime, datasets.Meta{}),
		datasets.NewFloat("a", a, datasets.Meta{}), datasets.NewFloat("b", b, datasets.Meta{}))
	if err != nil {
		t.Fatal(err)
	}
	sigs := []Signature{{Name: "f", Shift: map[string]float64{"a": 1, "b": 1}}}
	p, err := Fit(tb, Options{Group: "unit", Order: "t", Window: 3, Signatures: sigs, Healthy: healthy})
	if err != nil {
		t.Fatal(err)
	}
	f, err := p.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	dev := slices.Index(p.Names, "a.dev")
	if dev < 0 {
		t.Fatalf("no a.dev feature in %v", p.Names)
	}
	var sigma float64
	for _, in := range p.Inputs {
		if in.Name == "a" {
			sigma = in.Dev.Sigma
		}
	}
	if sigma < 0.07 || sigma > 0.13 {
		t.Fatalf("healthy spread of a %.3f, want the noise's 0.1", sigma)
	}
	for r := 0; r < f.N; r++ {
		row, x := f.Rows[r], f.Row(r)[dev]
		switch {
		case unit[row] == 1 && ts[row] == 29: // 30 readings at the "low" regime's level
			if math.Abs(float64(x)) > 0.5 {
				t.Fatalf("a reading at the low regime's level reads %.2f σ off its healthy level", x)
			}
		case unit[row] == 1 && ts[row] == 39: // the window: 9 readings at +3 σ, one outlier
			if math.Abs(float64(x)-3) > 0.6 {
				t.Fatalf("a window of readings 3 σ up, one an outlier, reads %.2f σ", x)
			}
		}
	}
}

// A signature with a window of its own gets deviation features over that window for its
// inputs (col.devW) and reads its severity from them, picked as before over the pipeline's
// window: on a fast ramp it follows the wear of its last 3 readings, where the 10-reading
// severity lags.
func TestSignatureOwnWindow(t *testing.T) {
	tb, _, healthy := faultTable(t)
	// Make the wear a fast ramp: 0 → 1 over 20 rows from row 100 of each episode.
	a, b := tb.Column("a").Floats, tb.Column("b").Floats
	wear := make([]float64, tb.NumRows())
	for r := range wear {
		k := r % 200
		old := max(0, float64(k-100)/99)
		wear[r] = min(1, max(0, float64(k-100)/20))
		a[r] += 4 * (wear[r] - old)
		if !math.IsNaN(b[r]) {
			b[r] -= 2 * (wear[r] - old)
		}
	}
	sigs := slices.Clone(faultSigs)
	sigs[0].Window = 3
	p, err := Fit(tb, Options{Group: "unit", Order: "t", Window: 3, Signatures: sigs, Healthy: healthy})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.dev", "a.dev3", "b.dev3"} {
		if !slices.Contains(p.Names, name) {
			t.Fatalf("no %s feature in %v", name, p.Names)
		}
	}
	if slices.Contains(p.Names, "c.dev3") {
		t.Fatal("c is in no 3-reading signature, yet has a c.dev3 feature")
	}
	s := p.Signatures[0]
	if s.Window != 3 || len(s.Value) != len(s.Features) || p.Signatures[1].Value != nil {
		t.Fatalf("signature windows: %+v, %+v", s, p.Signatures[1])
	}
	f, err := p.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(r, w int) float64 { // the wear over the last w rows of the episode
		lo := max(f.Pos[r]-w+1, 0)
		var sum float64
		for k := lo; k <= f.Pos[r]; k++ {
			sum += wear[f.Seqs[f.Seq[r]].Rows[k]]
		}
		return sum / float64(f.Pos[r]-lo+1)
	}
	var own, long float64
	for r := 0; r < f.N; r++ {
		if f.Seq[r] == 2 && f.Pos[r] >= 140 && f.Pos[r] < 170 { // b's dropout
			continue
		}
		x := f.Row(r)
		var v float64
		for j, k := range s.Value {
			v += s.Weights[j] * float64(x[k])
		}
		own = max(own, math.Abs(v-mean(r, 3)))
		long = max(long, math.Abs(p.Severity(x)[0]-mean(r, 3)))
	}
	if own > 0.08 || long < 0.12 {
		t.Fatalf("off the last 3 readings' wear by up to %.3f (own window), %.3f (pipeline's)", own, long)
	}
}

// Each episode's sensors read a little high or low (a calibration offset after every repair):
// with an AssetBase, the deviations of an episode's rows from its After-th on are read against
// its own first readings (Weight of their median deviation), before that against the fleet's
// levels alone; History() rows plus the first Rows of each group give the same features as
// the whole history.
func TestAssetBase(t *testing.T) {
	tb, wear, healthy := faultTable(t)
	a := tb.Column("a")
	offsets := []float64{0.5, 0, 0} // 5 healthy σ of a
	for r := range a.Floats {
		a.Floats[r] += offsets[r/200]
	}
	opts := Options{Group: "unit", Order: "t", Window: 3, Signatures: faultSigs, Healthy: healthy}
	plain, err := Fit(tb, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.AssetBase = &AssetBase{Rows: 20, After: 60, Weight: 1}
	p, err := Fit(tb, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.AssetBase == nil || plain.AssetBase != nil || p.History() != sigLookback*DefaultSignatureWindow {
		t.Fatalf("asset base %+v, history %d", p.AssetBase, p.History())
	}
	fp, err := plain.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	f, err := p.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	ia := slices.Index(p.Names, "a.dev")
	sigma := p.Inputs[slices.IndexFunc(p.Inputs, func(in Input) bool { return in.Name == "a" })].Dev.Sigma
	var worstPlain, worst float64
	for r := 0; r < f.N; r++ {
		k, ep := f.Pos[r], f.Seq[r]
		got, old := f.Row(r)[ia], fp.Row(r)[ia]
		if k+1 < 60 {
			if got != old {
				t.Fatalf("episode %d row %d: %v with the asset base before its After-th row, %v without", ep, k, got, old)
			}
			continue
		}
		if wear[f.Rows[r]] > 0 {
			continue
		}
		worstPlain = max(worstPlain, math.Abs(float64(old)))
		worst = max(worst, math.Abs(float64(got)))
	}
	// The first episode's healthy readings sit 0.5 above the fleet's level.
	if worstPlain < 0.4/sigma || worst > 1.5 {
		t.Fatalf("healthy a.dev up to %.2f σ without the asset base (σ %.3f), %.2f with it", worstPlain, sigma, worst)
	}
	// A clip bounds what the baseline takes away: 1 σ of the first episode's 5.
	opts.AssetBase = &AssetBase{Rows: 20, After: 60, Weight: 1, Clip: 1}
	pc, err := Fit(tb, opts)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := pc.Transform(tb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	for r := 0; r < fc.N; r++ {
		if k := fc.Pos[r]; k+1 >= 60 && fc.Seq[r] == 0 && wear[fc.Rows[r]] == 0 {
			if d := fp.Row(r)[ia] - fc.Row(r)[ia]; math.Abs(float64(d)-1) > 1e-5 {
				t.Fatalf("row %d: the clipped baseline took %v σ away, want 1", k, d)
			}
		}
	}
	// A buffer of each group's first 20 rows and last History() rows gives the same latest features.
	if !bufferMatches(t, p, tb, "unit", "t", 20) {
		t.Fatal("features from the first rows and a buffer differ from the whole history's")
	}
	// It survives JSON.
	js, _ := json.Marshal(p)
	var q Pipeline
	if err := json.Unmarshal(js, &q); err != nil || q.AssetBase == nil || *q.AssetBase != *p.AssetBase {
		t.Fatalf("decoded asset base %+v (%v)", q.AssetBase, err)
	}
}
