package tvae

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
)

// TestStepGradients checks the whole TVAE step (encoder, reparameterisation, decoder, the
// Gaussian NLL on tanh outputs with learned σ, cross-entropy spans and KL) against finite
// differences, in float64 on a tiny network.
func TestStepGradients(t *testing.T) {
	tb := mixedTable(40, 9)
	tr, err := FitTransformer(context.Background(), tb, TransformOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := tr.Transform(context.Background(), tb, 2)
	o := Options{EmbeddingDim: 3, CompressDims: []int{5, 4}, DecompressDims: []int{4}, LossFactor: 2}
	rows := 6
	net := newNetwork[float64](tr.Width, o, nn.NewRNG(3))
	for i := range net.sigma {
		net.sigma[i] = 0.05 + 0.1*float64(i%5)
	}
	b := newBatch(net, rows, tr.Width)
	for i := range rows {
		for j, v := range enc.Row(i) {
			b.x.Set(i, j, float64(v))
		}
	}
	loss := func() float64 { return net.step(b, tr.Spans, o.LossFactor, nn.NewRNG(11)) }
	loss()
	params := net.params()
	grads := make([][]float64, len(params))
	for i, p := range params {
		grads[i] = append([]float64(nil), p.Grad...)
	}
	const h = 1e-6
	checked := 0
	for pi, p := range params {
		// Check a spread of entries of each tensor (all of the small ones).
		stride := max(1, len(p.Value)/25)
		for i := 0; i < len(p.Value); i += stride {
			if p.Name == "decoder.sigma" && !isScalar(tr, i) {
				continue
			}
			old := p.Value[i]
			p.Value[i] = old + h
			lp := loss()
			p.Value[i] = old - h
			lm := loss()
			p.Value[i] = old
			num := (lp - lm) / (2 * h)
			if math.Abs(num-grads[pi][i]) > 1e-5*(1+math.Abs(num)) {
				t.Errorf("%s[%d]: analytic %.9g, numeric %.9g", p.Name, i, grads[pi][i], num)
			}
			checked++
		}
	}
	t.Logf("checked %d gradient entries", checked)
}

func isScalar(tr *Transformer, i int) bool {
	for _, s := range tr.Spans {
		if s.Kind == SpanScalar && s.Start == i {
			return true
		}
	}
	return false
}

var (
	seedOnce  sync.Once
	seedTable *datasets.Table
)

// seedData is 1,000 rows of simulated run-to-failure data of a built-in motor.
func seedData(t testing.TB) *datasets.Table {
	seedOnce.Do(func() {
		p, err := profiles.FleetProfile("motor_siemens_1la7_001")
		if err != nil {
			panic(err)
		}
		seedTable, err = simulate.Run(context.Background(), p, simulate.Options{Rows: 1000, Seed: 5}, nil)
		if err != nil {
			panic(err)
		}
	})
	return seedTable
}

func smallOptions(seed uint64) Options {
	o := DefaultOptions()
	o.Epochs = 12
	o.BatchSize = 250
	o.EmbeddingDim = 32
	o.CompressDims = []int{64, 64}
	o.DecompressDims = []int{64, 64}
	o.Seed = seed
	return o
}

func TestFitSeedData(t *testing.T) {
	tb := seedData(t)
	var infos []EpochInfo
	m, err := Fit(context.Background(), tb, smallOptions(1), func(e EpochInfo) { infos = append(infos, e) })
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 13 || infos[0].Epoch != 0 || infos[12].Epoch != 12 || infos[12].Epochs != 12 {
		t.Fatalf("epoch callbacks: %+v", infos)
	}
	h := m.LossHistory
	t.Logf("loss: first %.3f last %.3f (width %d)", h[0], h[len(h)-1], m.Transformer.Width)
	if len(h) != 12 || !(h[len(h)-1] < h[0]) {
		t.Fatalf("loss did not decrease: %v", h)
	}
	s, err := m.Sample(700, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.NumRows() != 700 || len(s.Columns) != len(tb.Columns) {
		t.Fatalf("sample: %d rows × %d columns", s.NumRows(), len(s.Columns))
	}
	for i, c := range tb.Columns {
		sc := s.Columns[i]
		if sc.Name != c.Name || sc.Type != c.Type || sc.Meta != c.Meta {
			t.Fatalf("column %d: %s %s %+v, want %s %s %+v", i, sc.Name, sc.Type, sc.Meta, c.Name, c.Type, c.Meta)
		}
	}
	sum := m.Summary()
	if sum.Epochs != 12 || sum.Width != m.Transformer.Width || len(sum.Columns) != len(tb.Columns) || sum.TrainRows != 1000 {
		t.Fatalf("summary %+v", sum)
	}
	if s.Meta["generator"] != Generator || s.Meta["machine_id"] != "motor_siemens_1la7_001" || s.Meta["seed"] != "3" {
		t.Fatalf("sample meta %v", s.Meta)
	}
	// Values stay in the training range, health states are whole states and agree with the
	// degradation (an enforced rule); episode numbers follow the timestamp (derived).
	hs := s.Column(simulate.ColHealthState)
	deg := s.Column(simulate.ColDegradation)
	for i, v := range hs.Ints {
		if v < 0 || v > 3 {
			t.Fatalf("health_state %d", v)
		}
		if want := simulate.HealthState(deg.Floats[i]); int64(want) != v && math.Abs(deg.Floats[i]-[]float64{0, 0.25, 0.5, 0.8}[max(v, int64(want))]) > 0.01 {
			t.Fatalf("row %d: health_state %d at degradation %v", i, v, deg.Floats[i])
		}
	}
	derived := map[string]string{}
	for _, c := range m.Summary().Columns {
		derived[c.Name] = c.DerivedFrom
	}
	if derived["health_state"] != "degradation" || derived["unit"] != "timestamp" {
		t.Fatalf("derivations %v", derived)
	}
}

func TestFitCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Fit(ctx, seedData(t), smallOptions(1), func(e EpochInfo) {
		if e.Epoch == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFitBadOptions(t *testing.T) {
	for _, o := range []Options{{Epochs: -1}, {BatchSize: -5}, {Precision: "float16"}, {CompressDims: []int{0}}} {
		if _, err := Fit(context.Background(), seedData(t), o, nil); apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("%+v: err = %v, want bad input", o, err)
		}
	}
}

func encode(t *testing.T, m *Model) []byte {
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func csvOf(t *testing.T, tb *datasets.Table) string {
	var b bytes.Buffer
	if err := datasets.WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestReproducible: the same seed gives a byte-identical model file and identical samples,
// also after a save/load round trip; another seed gives another model.
func TestReproducible(t *testing.T) {
	tb := seedData(t)
	o := smallOptions(7)
	o.Epochs = 3
	m1, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	b1, b2 := encode(t, m1), encode(t, m2)
	if !bytes.Equal(b1, b2) {
		t.Fatal("same seed, different model files")
	}
	// One thread or several: the same bytes.
	prev := nn.SetThreads(1)
	m1t, err := Fit(context.Background(), tb, o, nil)
	nn.SetThreads(prev)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, m1t), b1) {
		t.Fatal("one thread and several give different model files")
	}
	path := filepath.Join(t.TempDir(), "model.tvae")
	if err := m1.Save(path); err != nil {
		t.Fatal(err)
	}
	m3, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, m3), b1) {
		t.Fatal("save/load changed the model")
	}
	s1, _ := m1.Sample(300, 9, nil)
	s3, _ := m3.Sample(300, 9, nil)
	if csvOf(t, s1) != csvOf(t, s3) {
		t.Fatal("same model and seed, different samples")
	}
	s4, _ := m3.Sample(300, 10, nil)
	if csvOf(t, s1) == csvOf(t, s4) {
		t.Fatal("different sample seeds, same samples")
	}
	o.Seed = 8
	m5, _ := Fit(context.Background(), tb, o, nil)
	if bytes.Equal(encode(t, m5), b1) {
		t.Fatal("different seeds, same model")
	}
}

func TestLoadErrors(t *testing.T) {
	tb := seedData(t)
	o := smallOptions(1)
	o.Epochs = 1
	m, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := encode(t, m)
	dir := t.TempDir()
	flip := append([]byte(nil), good...)
	flip[len(flip)-100] ^= 0x40
	newer := append([]byte(nil), good...)
	newer[8] = 2
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"truncated", "truncated", good[:len(good)-1000]},
		{"tiny", "truncated", good[:30]},
		{"flipped", "checksum", flip},
		{"trailing", "unexpected bytes", append(append([]byte(nil), good...), 0)},
		{"newer", "format version 2", newer},
		{"parquet", "not a PdM Studio TVAE model", []byte("PAR1 this is not a model at all, really not")},
		{"empty", "empty", nil},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".tvae")
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want bad input naming the file and %q", c.name, err, c.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.tvae")); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("missing file: err = %v, want not found", err)
	}
}

func TestConditionalSampling(t *testing.T) {
	tb := seedData(t)
	o := smallOptions(2)
	o.Decoding = DecodeSample // 12 epochs are too few for the arg-max to pick rare states
	m, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Sample(200, 4, map[string]string{"health_state": "3"})
	if err != nil {
		t.Fatal(err)
	}
	if s.NumRows() != 200 || s.Meta["conditions"] != "health_state=3" {
		t.Fatalf("%d rows, meta %v", s.NumRows(), s.Meta)
	}
	for i, v := range s.Column("health_state").Ints {
		if v != 3 {
			t.Fatalf("row %d: health_state %d", i, v)
		}
	}
	if _, err := m.Sample(50, 4, map[string]string{"health_state": "3.0", "regime": tb.Column("regime").Strings[0]}); err != nil {
		t.Fatalf("numeric match and two conditions: %v", err)
	}
	bad := []struct {
		cond map[string]string
		want string
	}{
		{map[string]string{"nope": "1"}, "no column"},
		{map[string]string{tb.Columns[3].Name: "1"}, "continuous"},
		{map[string]string{"health_state": "7"}, "never occurs"},
		{map[string]string{"regime": "warp speed"}, "never occurs"},
	}
	for _, c := range bad {
		_, err := m.Sample(10, 1, c.cond)
		if apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want bad input with %q", c.cond, err, c.want)
		}
	}
}

// TestConditionBudget asks for more rows of a category the model (almost) never generates
// than the rejection budget allows.
func TestConditionBudget(t *testing.T) {
	n := 600
	state := make([]int64, n)
	x := make([]float64, n)
	r := nn.NewRNG(1)
	for i := range n {
		x[i] = r.NormFloat64()
	}
	state[0] = 1 // one row in 600
	tb, _ := datasets.NewTable(datasets.NewFloat("x", x, datasets.Meta{}), datasets.NewInt("state", state, datasets.Meta{}))
	o := smallOptions(1)
	o.Epochs = 5
	o.BatchSize = 100
	o.Decoding = DecodeArgmax // the arg-max never picks a category of 1 row in 600
	m, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Sample(100, 1, map[string]string{"state": "1"})
	if apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), "cannot be met") {
		t.Fatalf("err = %v, want the budget error", err)
	}
	t.Log(err)
}

// TestLatent: "fitted" stores a mean and a lower-triangular Cholesky factor with a positive
// diagonal; "prior" keeps N(0, I).
func TestLatent(t *testing.T) {
	tb := seedData(t)
	for _, latent := range []string{LatentFitted, LatentPrior} {
		o := smallOptions(3)
		o.Epochs = 2
		o.Latent = latent
		m, err := Fit(context.Background(), tb, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		e, l := m.net32.emb, m.net32.zChol
		for i := range e {
			for j := range e {
				v := l[i*e+j]
				switch {
				case j > i && v != 0:
					t.Fatalf("%s: chol[%d,%d] = %v above the diagonal", latent, i, j, v)
				case i == j && !(v > 0):
					t.Fatalf("%s: chol[%d,%d] = %v", latent, i, i, v)
				case latent == LatentPrior && i != j && v != 0, latent == LatentPrior && i == j && v != 1:
					t.Fatalf("prior: chol[%d,%d] = %v", i, j, v)
				}
			}
		}
		if _, err := m.Sample(100, 1, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStratified: unconditional samples reproduce the training shares of health_state
// exactly (largest remainder), and the option can be turned off or misused.
func TestStratified(t *testing.T) {
	tb := seedData(t)
	o := smallOptions(4)
	o.Epochs = 3
	m, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Options.Stratify != "health_state" {
		t.Fatalf("stratify resolved to %q", m.Options.Stratify)
	}
	s, err := m.Sample(700, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.NumRows() != 700 || s.Meta["stratified_by"] != "health_state" {
		t.Fatalf("%d rows, meta %v", s.NumRows(), s.Meta)
	}
	real, syn := make([]float64, 4), make([]float64, 4)
	for _, v := range tb.Column("health_state").Ints {
		real[v]++
	}
	for _, v := range s.Column("health_state").Ints {
		syn[v]++
	}
	for k := range 4 {
		if want := real[k] / 1000 * 700; math.Abs(syn[k]-want) > 1 {
			t.Errorf("state %d: %v rows, want %.1f", k, syn[k], want)
		}
	}
	o.Stratify = StratifyNone
	m2, _ := Fit(context.Background(), tb, o, nil)
	if s2, _ := m2.Sample(100, 1, nil); s2.Meta["stratified_by"] != "" {
		t.Fatal("stratified although turned off")
	}
	for _, bad := range []string{"nope", "rul"} {
		o.Stratify = bad
		if _, err := Fit(context.Background(), tb, o, nil); apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("stratify %q: err = %v", bad, err)
		}
	}
}

// TestLatentMixture: the default latent is a mixture with one component per 50 training rows,
// shared among the health states by their shares of rows (weights summing to each state's
// share, positive spreads), with full covariances on the latent dimensions the encoder uses,
// fitted after training, so that refitting the latent of a model trained with the prior gives
// the byte-identical model file.
func TestLatentMixture(t *testing.T) {
	tb := seedData(t)
	o := smallOptions(6)
	o.Epochs = 2
	m, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := m.net32
	counts := map[string]int{}
	hs := tb.Column("health_state")
	for i := range tb.NumRows() {
		counts[CategoryText(hs, i)]++
	}
	var sizes []int
	for _, c := range m.Transformer.Columns {
		if c.Name == "health_state" {
			for _, cat := range c.Categories {
				sizes = append(sizes, counts[cat])
			}
		}
	}
	want := 0
	for _, k := range splitComponents(tb.NumRows()/minRowsPerComponent, sizes) {
		want += k
	}
	if m.Options.Latent != LatentMixture || m.Options.LatentComponents != want || len(n.mixW) != want {
		t.Fatalf("latent %q with %d components (%d weights), want %d (states %v)", m.Options.Latent, m.Options.LatentComponents, len(n.mixW), want, sizes)
	}
	d := m.Options.LatentDims
	if d < 1 || len(n.mixDims) != d || len(n.mixL) != want*d*(d+1)/2 {
		t.Fatalf("%d full-covariance dimensions, %d listed, %d factor entries", d, len(n.mixDims), len(n.mixL))
	}
	sum := 0.0
	for _, w := range n.mixW {
		sum += float64(w)
	}
	if math.Abs(sum-1) > 1e-4 {
		t.Fatalf("weights sum to %v", sum)
	}
	for i, s := range n.mixS {
		if !(s > 0) {
			t.Fatalf("spread %d is %v", i, s)
		}
	}
	o.Latent = LatentPrior
	p, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.net32.mixW != nil || len(p.net32.tensors()) != len(n.tensors())-5 {
		t.Fatal("a prior model holds a mixture")
	}
	if err := p.RefitLatent(context.Background(), tb, LatentMixture, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, p), encode(t, m)) {
		t.Fatal("refitting the latent of a prior model differs from fitting with the mixture")
	}
	if err := p.RefitLatent(context.Background(), tb, "nope", 0); err == nil {
		t.Fatal("unknown latent accepted")
	}
	s, err := m.Sample(200, 1, nil)
	if err != nil || s.NumRows() != 200 {
		t.Fatal(err)
	}
}

// TestSplitComponents: components are shared by row share (largest remainders), at least one
// per non-empty group, at most one per row, none for an empty group.
func TestSplitComponents(t *testing.T) {
	for _, c := range []struct {
		k           int
		sizes, want []int
	}{
		{200, []int{7044, 339, 344, 2273}, []int{141, 7, 7, 45}},
		{10, []int{990, 5, 5, 0}, []int{10, 1, 1, 0}},
		{20, []int{3, 1}, []int{3, 1}},
		{1, []int{10}, []int{1}},
	} {
		if got := splitComponents(c.k, c.sizes); !slices.Equal(got, c.want) {
			t.Errorf("splitComponents(%d, %v) = %v, want %v", c.k, c.sizes, got, c.want)
		}
	}
}

// TestDiagonalMixtureFile: a model file written before full covariances (diagonal components,
// no latent.mix.dims) still loads and samples; a file whose dimension list is not a list of
// increasing latent indexes is rejected as corrupted.
func TestDiagonalMixtureFile(t *testing.T) {
	tb := seedData(t)
	o := smallOptions(3)
	o.Epochs = 1
	m, err := Fit(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.net32.mixDims[0] = float32(o.EmbeddingDim)
	if _, err := Decode(encode(t, m)); apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), "dimension") {
		t.Fatalf("bad dimension list: err = %v", err)
	}
	m.net32.mixDims, m.net32.mixL, m.Options.LatentDims = nil, nil, 0
	old, err := Decode(encode(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if old.net32.mixDims != nil || len(old.net32.mixW) != m.Options.LatentComponents {
		t.Fatal("the diagonal mixture did not load as one")
	}
	s, err := old.Sample(300, 1, nil)
	if err != nil || s.NumRows() != 300 {
		t.Fatalf("sampling a diagonal mixture: %v", err)
	}
}
