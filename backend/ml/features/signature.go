package features

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"pdmstudio/backend/datasets"
)

// # Fault signatures
//
// A machine's profile says how each failure mode shows on the sensors: which ones move, in
// which direction and by how much at the moment of failure. Given those [Signature]s (and the
// training rows that are healthy), the pipeline adds for every numeric input named in a
// signature one more feature, col.dev: the median over the last SignatureWindow readings of
// the input's deviation from its healthy level in the row's operating context, in healthy
// standard deviations,
//
//	z = clip((x − base(context)) / σ),  col.dev = median of z over the window (0 when none),
//
// where base is the input's healthy level per context (the latest level of every categorical
// input): a least-absolute-deviations fit on the context one-hots over the healthy training
// rows, i.e. each operating regime's median, σ the robust spread (1.4826 × MAD) of the healthy
// residuals, and the clip (± 8 σ beyond the largest signature shift) bounds what a single
// reading can do. Medians, not means, at both steps: a mean level follows outliers and the
// rows that blur one regime into the next (a synthetic training set has many), and a window
// mean moves with every outlier reading; on the built-in fleet's train-on-synthetic
// development set the medians took the health-state model's macro-F1 from 0.915 to 0.937
// (docs/benchmarks.md). A fault's severity is then the weighted least-
// squares fit of the deviations to its signature,
//
//	severity = Σᵢ cᵢ · devᵢ,  cᵢ = wᵢ / Σⱼ wⱼ²,  wᵢ = shiftᵢ / σᵢ,
//
// in units of the signature's shifts: 0 for healthy data, 1 when the inputs have moved by the
// whole signature. [Pipeline.Severity] computes it from a feature vector, so a model can read
// it as a linear function of the features (and attributions occlude the inputs as usual).
//
// A fault that grows fast lags behind over the pipeline's window. A [Signature] with a Window
// of its own gets, for each of its inputs, one more deviation feature over that window
// (col.devW, e.g. vibration.dev3), and its [SignatureModel] reads the severity from those
// (Value); which fault fits best is still decided over the pipeline's window, whose severities
// are steadier.

// A machine's sensors also read a little high or low from one asset to the next, and after
// every repair (a recalibrated or replaced sensor): in the built-in fleet's simulated seed data
// such offsets spread 0.7 healthy σ per sensor (2 % of its span). Read against the fleet's
// healthy levels alone, such an asset's whole run looks a little more or less worn than it is.
// With an [AssetBase], each group's (asset's) first Rows readings are its own healthy baseline:
// from its After-th reading on, its deviations are read against the fleet's level plus Weight
// × the median deviation of those first readings. Weight is below 1 because a few readings
// estimate the offset only roughly (20 readings: to 0.5 σ on the same data, so the weight
// that errs least is about 0.7² / (0.7² + 0.5²) ≈ 0.66; 0.3 to 0.7 measured alike, see
// docs/benchmarks.md). A median deviation beyond Clip (2 σ, three times the offsets' spread)
// is taken for wear rather than an offset — a fault that set in right after the repair — and
// only Clip of it is used. A group is an asset from new or from its last repair, so the data
// must start there: a prediction's rows carry the group's first readings ahead of the recent
// ones (ml.Recent).

// AssetBase says how each asset's own healthy baseline enters its deviation features.
type AssetBase struct {
	// Rows is how many of a group's first readings form its baseline.
	Rows int `json:"rows"`
	// After is the group's row count from which its baseline applies (before that the
	// baseline would overlap the window it corrects).
	After int `json:"after"`
	// Weight is the share of the baseline's median deviation that is subtracted.
	Weight float64 `json:"weight"`
	// Clip bounds the baseline's median deviation, in healthy σ (0: unbounded).
	Clip float64 `json:"clip,omitempty"`
}

// DefaultAssetBase is the asset baseline the models of the built-in machines use (measured in
// docs/benchmarks.md, "Stop 18").
var DefaultAssetBase = AssetBase{Rows: 20, After: 60, Weight: 0.5, Clip: 2}

// DefaultSignatureWindow is the window of the col.dev features when Options.SignatureWindow is 0.
const DefaultSignatureWindow = 10

// sigLookback is how many windows back col.dev looks for values when sensor readings are
// missing: it averages the latest SigWindow values present within the last sigLookback ×
// SigWindow rows, so a dropout of a few dozen rows does not read as "healthy".
const sigLookback = 5

// Signature is a fault's known footprint on the inputs: for each affected numeric column, the
// shift of its value at full severity (e.g. at failure), in the column's unit.
type Signature struct {
	Name  string             `json:"name"`
	Shift map[string]float64 `json:"shift"`
	// Window, when set, is the number of readings the fault's severity is read over in place
	// of the pipeline's SignatureWindow: a fault that grows fast (a step change) is read over
	// fewer, so that its severity does not lag the wear (see "Fault signatures").
	Window int `json:"window,omitempty"`
}

// Deviation is the fitted healthy level of one numeric input, behind its col.dev feature.
type Deviation struct {
	// Feature is the index of col.dev.
	Feature int `json:"feature"`
	// Intercept and Coef give the healthy level from the context one-hots (ctxLevels order).
	Intercept float64   `json:"intercept"`
	Coef      []float64 `json:"coef,omitempty"`
	// Sigma is the healthy spread; Clip the bound of |z|.
	Sigma float64 `json:"sigma"`
	Clip  float64 `json:"clip"`
	// Extra are the input's deviation features over other windows than the pipeline's
	// SigWindow (col.devW, right after col.dev), for signatures with a Window of their own.
	Extra []DevWindow `json:"extra,omitempty"`
}

// DevWindow is a deviation feature over a window of its own.
type DevWindow struct {
	Window  int `json:"window"`
	Feature int `json:"feature"`
}

// featureFor returns the index of the deviation feature over window w (col.dev for the
// pipeline's window).
func (d *Deviation) featureFor(w int) int {
	for _, e := range d.Extra {
		if e.Window == w {
			return e.Feature
		}
	}
	return d.Feature
}

// SignatureModel is a fitted signature: the severity is Σ Weights[k] · x[Features[k]]; Norm
// is ‖w‖ (w = shift/σ per input), so severity × Norm is the length of the deviations'
// projection on the signature. A signature with a Window of its own also has Value: the same
// inputs' deviation features over that window (in the order of Features); its severity over
// the pipeline's window says which fault fits best, and Σ Weights[k] · x[Value[k]] how far it
// has gone.
type SignatureModel struct {
	Name     string    `json:"name"`
	Features []int     `json:"features"`
	Weights  []float64 `json:"weights"`
	Norm     float64   `json:"norm"`
	Window   int       `json:"window,omitempty"`
	Value    []int     `json:"value,omitempty"`
}

// ValueFeatures returns the features the signature's severity is read from: Value when it
// has a window of its own, else Features.
func (s SignatureModel) ValueFeatures() []int {
	if s.Value != nil {
		return s.Value
	}
	return s.Features
}

// ctxLevels lists, for the context one-hots of the deviation baselines, the categorical input
// and the level index of each.
func (p *Pipeline) ctxLevels() [][2]int {
	var out [][2]int
	for i, in := range p.Inputs {
		if in.Kind != Categorical {
			continue
		}
		for j := range in.Levels {
			out = append(out, [2]int{i, j})
		}
	}
	return out
}

// signatureInputs returns the inputs some signature names with a non-zero shift (only numeric
// inputs qualify), each with the windows other than window that its signatures ask for
// (sorted; nil when none).
func signatureInputs(inputs []Input, sigs []Signature, window int) map[int][]int {
	out := map[int][]int{}
	for _, s := range sigs {
		for col, shift := range s.Shift {
			if shift == 0 || math.IsNaN(shift) || math.IsInf(shift, 0) {
				continue
			}
			for i, in := range inputs {
				if in.Name == col && in.Kind == Numeric {
					ws := out[i]
					if w := s.Window; w > 0 && w != window && !slices.Contains(ws, w) {
						ws = append(ws, w)
						slices.Sort(ws)
					}
					out[i] = ws
				}
			}
		}
	}
	return out
}

// fitSignatures fits the deviation baselines on the healthy rows of t and the signature
// weights. Inputs whose healthy spread is zero, and signatures left with no input, are dropped
// (their col.dev stays 0).
func (p *Pipeline) fitSignatures(t *datasets.Table, sigs []Signature, healthy []bool) error {
	if len(healthy) != t.NumRows() {
		return fmt.Errorf("signatures: %d healthy flags for %d rows", len(healthy), t.NumRows())
	}
	cols, err := p.Bind(t)
	if err != nil {
		return err
	}
	lv := p.ctxLevels()
	C := len(lv)
	levelOf := p.levelIndex()
	maxShift := map[int]float64{}
	for _, s := range sigs {
		for col, shift := range s.Shift {
			for i, in := range p.Inputs {
				if in.Name == col && in.Dev != nil {
					maxShift[i] = max(maxShift[i], math.Abs(shift))
				}
			}
		}
	}
	row := make([]float64, C+1)
	for i := range p.Inputs {
		in := &p.Inputs[i]
		if in.Dev == nil {
			continue
		}
		// Least squares of the value on [one-hots, 1] over the healthy rows (a small ridge keeps
		// a level without healthy rows at the intercept).
		var hv []obs
		for r := 0; r < t.NumRows(); r++ {
			if v, ok := cols[i].Number(r); ok && healthy[r] && !math.IsNaN(v) && !math.IsInf(v, 0) {
				hv = append(hv, obs{r, v})
			}
		}
		if len(hv) < 10 {
			in.Dev.Sigma = 0
			continue
		}
		a := mat.NewSymDense(C+1, nil)
		b := mat.NewVecDense(C+1, nil)
		for _, o := range hv {
			p.contextOf(cols, levelOf, lv, o.r, row[:C])
			row[C] = 1
			a.SymRankOne(a, 1, mat.NewVecDense(C+1, row))
			b.AddScaledVec(b, o.v, mat.NewVecDense(C+1, row))
		}
		for j := 0; j <= C; j++ {
			a.SetSym(j, j, a.At(j, j)+1e-6*float64(len(hv))+1e-9)
		}
		var ch mat.Cholesky
		var coef mat.VecDense
		if !ch.Factorize(a) || ch.SolveVecTo(&coef, b) != nil {
			in.Dev.Sigma = 0
			continue
		}
		in.Dev.Coef = make([]float64, C)
		for j := 0; j < C; j++ {
			in.Dev.Coef[j] = coef.AtVec(j)
		}
		in.Dev.Intercept = coef.AtVec(C)
		// From the least-squares levels to median levels: a least-squares level follows the
		// healthy rows' outliers and the stragglers of neighbouring contexts (a synthetic
		// set's rows blur regimes into each other); the median does not.
		active := make([][]int, len(hv))
		for k, o := range hv {
			p.contextOf(cols, levelOf, lv, o.r, row[:C])
			for j := 0; j < C; j++ {
				if row[j] == 1 {
					active[k] = append(active[k], j)
				}
			}
		}
		in.Dev.medianLevels(hv, active, C)
		// Robust spread of the healthy residuals.
		res := make([]float64, 0, len(hv))
		for k, o := range hv {
			res = append(res, o.v-in.Dev.levelOf(active[k]))
		}
		sort.Float64s(res)
		m := median(res)
		for k := range res {
			res[k] = math.Abs(res[k] - m)
		}
		sort.Float64s(res)
		in.Dev.Sigma = 1.4826 * median(res)
		if !(in.Dev.Sigma > 0) {
			in.Dev.Sigma = 0
			continue
		}
		in.Dev.Clip = 8 + maxShift[i]/in.Dev.Sigma
	}
	p.Signatures = nil
	for _, s := range sigs {
		sm := SignatureModel{Name: s.Name}
		var ww float64
		var w []float64
		cols := slices.Sorted(maps.Keys(s.Shift))
		for _, col := range cols {
			shift := s.Shift[col]
			for _, in := range p.Inputs {
				if in.Name == col && in.Dev != nil && in.Dev.Sigma > 0 && shift != 0 {
					wi := shift / in.Dev.Sigma
					sm.Features = append(sm.Features, in.Dev.Feature)
					if s.Window > 0 && s.Window != p.SigWindow {
						sm.Window = s.Window
						sm.Value = append(sm.Value, in.Dev.featureFor(s.Window))
					}
					w = append(w, wi)
					ww += wi * wi
				}
			}
		}
		if ww == 0 {
			continue
		}
		for _, wi := range w {
			sm.Weights = append(sm.Weights, wi/ww)
		}
		sm.Norm = math.Sqrt(ww)
		p.Signatures = append(p.Signatures, sm)
	}
	return nil
}

// obs is one healthy training value of an input and its row.
type obs struct {
	r int
	v float64
}

// medianPasses is how many backfitting passes medianLevels makes.
const medianPasses = 4

// medianLevels turns d's least-squares healthy levels into least-absolute-deviation ones by
// backfitting: each pass sets every context level's coefficient (then the intercept, for rows
// with no level) so that the median residual of its rows is 0. With one categorical context
// (the usual operating regime) that is each regime's median after one pass; with several it
// converges in a few. active[k] lists the context one-hots set for value k; a level with fewer
// than minLevelRows rows keeps its least-squares coefficient.
func (d *Deviation) medianLevels(hv []obs, active [][]int, C int) {
	const minLevelRows = 5
	res := make([]float64, 0, len(hv))
	for pass := 0; pass < medianPasses; pass++ {
		for j := 0; j <= C; j++ {
			res = res[:0]
			for k, o := range hv {
				if (j < C && slices.Contains(active[k], j)) || (j == C && len(active[k]) == 0) {
					res = append(res, o.v-d.levelOf(active[k]))
				}
			}
			if len(res) < minLevelRows {
				continue
			}
			sort.Float64s(res)
			if j < C {
				d.Coef[j] += median(res)
			} else {
				d.Intercept += median(res)
			}
		}
	}
}

// levelOf returns the healthy level for the context one-hots set at the indices active.
func (d *Deviation) levelOf(active []int) float64 {
	v := d.Intercept
	for _, j := range active {
		v += d.Coef[j]
	}
	return v
}

// level returns the healthy level for the context one-hots.
func (d *Deviation) level(onehot []float64) float64 {
	v := d.Intercept
	for j, c := range d.Coef {
		v += c * onehot[j]
	}
	return v
}

// levelIndex maps, per categorical input, each level to its index.
func (p *Pipeline) levelIndex() []map[string]int {
	out := make([]map[string]int, len(p.Inputs))
	for i, in := range p.Inputs {
		if in.Kind == Categorical {
			out[i] = make(map[string]int, len(in.Levels))
			for j, l := range in.Levels {
				out[i][l] = j
			}
		}
	}
	return out
}

// deviations writes input i's deviation features to out: col.dev, then one per Extra window.
// The feature over window w is the median z of the latest w values present among the last
// sigLookback × w rows of rows (the history, oldest first). The z values are computed once,
// newest first, for the input's longest window, and each window takes its share of them.
func (p *Pipeline) deviations(i int, cols []*datasets.Column, levelOf []map[string]int, lv [][2]int, rows []int, onehot []float64, base float64, out []float32) {
	for j := range out {
		out[j] = 0
	}
	d := p.Inputs[i].Dev
	if d == nil || d.Sigma <= 0 {
		return
	}
	wmax := p.SigWindow
	for _, e := range d.Extra {
		wmax = max(wmax, e.Window)
	}
	var zbuf, sbuf [32]float64
	var abuf [32]int
	zs, ages := zbuf[:0], abuf[:0] // z values and their age in rows, newest first
	for k := len(rows) - 1; k >= max(0, len(rows)-sigLookback*wmax) && len(zs) < wmax; k-- {
		r := rows[k]
		v, ok := cols[i].Number(r)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		p.contextOf(cols, levelOf, lv, r, onehot)
		zs = append(zs, d.z(v, onehot))
		ages = append(ages, len(rows)-1-k)
	}
	for j := range out {
		w := p.SigWindow
		if j > 0 {
			w = d.Extra[j-1].Window
		}
		n := 0
		for n < len(zs) && n < w && ages[n] < sigLookback*w {
			n++
		}
		if n == 0 {
			continue
		}
		win := append(sbuf[:0], zs[:n]...)
		slices.Sort(win)
		out[j] = clamp(median(win) - base)
	}
}

// z returns the clipped deviation of value v from d's healthy level in the context onehot.
func (d *Deviation) z(v float64, onehot []float64) float64 {
	z := (v - d.level(onehot)) / d.Sigma
	return min(max(z, -d.Clip), d.Clip)
}

// assetBase returns the share of input i's baseline deviation that its deviation features
// subtract for a group with history rows (oldest first): Weight × the median z of the
// present values among the group's first AssetBase.Rows rows (bounded by ± Clip), or 0 when
// the pipeline has no asset baseline, the group is younger than AssetBase.After rows, or
// fewer than half of those first values are present.
func (p *Pipeline) assetBase(i int, cols []*datasets.Column, levelOf []map[string]int, lv [][2]int, rows []int, onehot []float64) float64 {
	b := p.AssetBase
	d := p.Inputs[i].Dev
	if b == nil || b.Rows <= 0 || len(rows) < max(b.After, b.Rows) || d == nil || d.Sigma <= 0 {
		return 0
	}
	zs := make([]float64, 0, b.Rows)
	for _, r := range rows[:b.Rows] {
		v, ok := cols[i].Number(r)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		p.contextOf(cols, levelOf, lv, r, onehot)
		zs = append(zs, d.z(v, onehot))
	}
	if 2*len(zs) < b.Rows {
		return 0
	}
	slices.Sort(zs)
	m := median(zs)
	if b.Clip > 0 {
		m = min(max(m, -b.Clip), b.Clip)
	}
	return b.Weight * m
}

// contextOf sets onehot to row r's context one-hots (ctxLevels order).
func (p *Pipeline) contextOf(cols []*datasets.Column, levelOf []map[string]int, lv [][2]int, r int, onehot []float64) {
	for j, l := range lv {
		onehot[j] = 0
		if k, ok := levelOf[l[0]][cols[l[0]].Text(r)]; ok && k == l[1] {
			onehot[j] = 1
		}
	}
}

// Severity returns the severity of every fitted signature for feature vector x (see the
// package documentation), in the order of p.Signatures.
func (p *Pipeline) Severity(x []float32) []float64 {
	out := make([]float64, len(p.Signatures))
	for k, s := range p.Signatures {
		var v float64
		for j, f := range s.Features {
			v += s.Weights[j] * float64(x[f])
		}
		out[k] = v
	}
	return out
}
