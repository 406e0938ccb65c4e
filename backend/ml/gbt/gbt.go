// Package gbt trains gradient-boosted decision trees on float32 feature matrices and hands
// them over as ONNX-ML tree ensembles ([onnxrt.TreeEnsemble]), so ONNX Runtime's
// TreeEnsembleRegressor/Classifier and the pure-Go evaluator in backend/onnxrt run them.
//
// # Algorithm
//
// Second-order boosting as in XGBoost/LightGBM, histogram-based: each feature is cut into at
// most Bins bins at quantiles of its training values (thresholds half-way between adjacent
// values, as float32, so a split "bin ≤ b" is exactly the ONNX rule x ≤ threshold). Trees grow
// depth-first to MaxDepth with at least MinLeaf rows per leaf; a split maximises
//
//	gain = Σ_d G_L,d²/(H_L,d+λ) + G_R,d²/(H_R,d+λ) − G_d²/(H_d+λ)
//
// over the gradient dimensions d. The histogram of the smaller child is built, the larger one
// is the parent's minus it. Rows are subsampled per tree (Subsample) and features per tree
// (ColSample). Validation loss drives early stopping; the trees after the best round are
// dropped.
//
// # Several outputs in one tree
//
// Every leaf holds one value per output (the vector-leaf trees of the ONNX operators), so a
// K-class softmax or K regression targets need one tree per round, not K. When K exceeds
// Sketch, splits are searched on a random projection of the gradients to Sketch dimensions
// (the "sketching" of SketchBoost, Iosipoi & Vakhrushev 2022) and the leaf values are computed
// on all K outputs; this keeps a 30-output forecast about as cheap as a 4-output one.
package gbt

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"

	"pdmstudio/backend/onnxrt"
)

// Loss is the training objective.
type Loss string

// Losses.
const (
	// L2 is the squared error over one or more targets; a NaN target is ignored (its gradient
	// is 0), so rows may have missing outputs.
	L2 Loss = "l2"
	// Softmax is the multiclass log loss; targets are class indices 0..K−1.
	Softmax Loss = "softmax"
	// L1 is the absolute error over one or more targets (NaN ignored): the model predicts
	// the median. Splits use the gradient sign; each leaf then takes the median residual of
	// its rows, per output (as LightGBM does).
	L1 Loss = "l1"
)

// Params control training. Zero fields take the defaults in brackets.
type Params struct {
	Loss Loss
	// Outputs is the number of regression targets (L2) or classes (Softmax, ≥ 2).
	Outputs int
	// Rounds is the maximum number of trees [300].
	Rounds int
	// LearningRate shrinks each tree [0.1].
	LearningRate float64
	// MaxDepth bounds the depth of a tree [5].
	MaxDepth int
	// MinLeaf is the least number of rows in a leaf [20].
	MinLeaf int
	// Lambda is the L2 penalty on leaf values [1].
	Lambda float64
	// Subsample is the share of rows each tree is grown on [0.8].
	Subsample float64
	// ColSample is the share of features each tree may split on [0.8].
	ColSample float64
	// Bins is the most bins per feature, 2..256 [64].
	Bins int
	// EarlyStop stops training after this many rounds without a better validation loss [30].
	EarlyStop int
	// Sketch is the number of gradient dimensions splits are searched on when Outputs is
	// larger [6].
	Sketch int
	// Seed makes training reproducible.
	Seed uint64
}

func (p Params) withDefaults() Params {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&p.Rounds, 300)
	deff(&p.LearningRate, 0.1)
	def(&p.MaxDepth, 5)
	def(&p.MinLeaf, 20)
	deff(&p.Lambda, 1)
	deff(&p.Subsample, 0.8)
	deff(&p.ColSample, 0.8)
	def(&p.Bins, 64)
	def(&p.EarlyStop, 30)
	def(&p.Sketch, 6)
	return p
}

// Data is a training or validation set.
type Data struct {
	// X holds N×F features, row-major; they must be finite.
	X    []float32
	N, F int
	// Y holds the targets: N×Outputs values for L2 (NaN = missing), N class indices for Softmax.
	Y []float64
	// W holds optional row weights (nil: all 1).
	W []float64
}

// Model is a trained ensemble.
type Model struct {
	Loss Loss `json:"loss"`
	// K is the number of outputs, F the number of features.
	K int `json:"k"`
	F int `json:"f"`
	// Base is the initial score per output (the mean target, or the log class prior).
	Base []float64 `json:"base"`
	// Trees are the boosted trees with the learning rate folded into the leaves.
	Trees []onnxrt.Tree `json:"trees"`
	// TrainLoss and ValidLoss are the losses after each round (ValidLoss empty without
	// validation data): mean squared error for L2, mean log loss for Softmax.
	TrainLoss []float64 `json:"train_loss"`
	ValidLoss []float64 `json:"valid_loss,omitempty"`
	// Gain is the total split gain per feature, a quick importance measure.
	Gain []float64 `json:"gain"`
}

// Ensemble returns the model as an ONNX-ML tree ensemble: raw scores for L2, softmax
// probabilities for Softmax.
func (m *Model) Ensemble() onnxrt.TreeEnsemble {
	base := make([]float32, m.K)
	for k, b := range m.Base {
		base[k] = float32(b)
	}
	te := onnxrt.TreeEnsemble{Trees: m.Trees, NFeatures: m.F, NOutputs: m.K, BaseValues: base}
	if m.Loss == Softmax {
		te.PostTransform = onnxrt.PostSoftmax
	}
	return te
}

// Scale multiplies every leaf value and the base scores by s (e.g. 1/T for temperature
// scaling of a classifier's logits).
func (m *Model) Scale(s float64) {
	for k := range m.Base {
		m.Base[k] *= s
	}
	for ti := range m.Trees {
		nodes := slices.Clone(m.Trees[ti].Nodes)
		for ni := range nodes {
			if nodes[ni].Leaf {
				v := slices.Clone(nodes[ni].Values)
				for k := range v {
					v[k] = float32(float64(v[k]) * s)
				}
				nodes[ni].Values = v
			}
		}
		m.Trees[ti].Nodes = nodes
	}
}

// Raw returns the n×K raw scores (before softmax) of the rows of x.
func (m *Model) Raw(x []float32, n int) []float64 {
	out := make([]float64, n*m.K)
	for r := 0; r < n; r++ {
		o := out[r*m.K : (r+1)*m.K]
		copy(o, m.Base)
		row := x[r*m.F : (r+1)*m.F]
		for ti := range m.Trees {
			addLeaf(&m.Trees[ti], row, o)
		}
	}
	return out
}

func addLeaf(t *onnxrt.Tree, row []float32, o []float64) {
	n := &t.Nodes[0]
	for !n.Leaf {
		if row[n.Feature] <= n.Threshold {
			n = &t.Nodes[n.True]
		} else {
			n = &t.Nodes[n.False]
		}
	}
	for k, v := range n.Values {
		o[k] += float64(v)
	}
}

// Fit trains a model on train, stopping early on valid (nil: no early stopping, all Rounds
// trees are kept). progress, if not nil, is called after each round with the round number
// (1-based), the maximum and the current losses (validation NaN without valid data).
// Cancelling ctx stops training between trees and returns ctx.Err().
func Fit(ctx context.Context, p Params, train, valid *Data, progress func(round, rounds int, trainLoss, validLoss float64)) (*Model, error) {
	p = p.withDefaults()
	if err := check(p, train); err != nil {
		return nil, err
	}
	if valid != nil {
		if err := check(p, valid); err != nil {
			return nil, fmt.Errorf("validation data: %w", err)
		}
		if valid.F != train.F {
			return nil, fmt.Errorf("gbt: validation data has %d features, training data %d", valid.F, train.F)
		}
	}
	K, F, n := p.Outputs, train.F, train.N
	m := &Model{Loss: p.Loss, K: K, F: F, Base: baseScore(p, train), Gain: make([]float64, F)}
	bn := newBinner(train, p.Bins)
	S := K
	if K > p.Sketch {
		S = p.Sketch
	}
	gr := &grower{p: p, F: F, K: K, S: S, B: p.Bins, bins: bn.bins, thr: bn.thr,
		gk: make([]float64, n*K), hk: make([]float64, n*K), gain: m.Gain}

	if S == K {
		gr.g, gr.h = gr.gk, gr.hk
	} else {
		gr.g, gr.h = make([]float64, n*S), make([]float64, n*S)
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x9b7c3f1d))
	pred := make([]float64, n*K)
	for r := 0; r < n; r++ {
		copy(pred[r*K:(r+1)*K], m.Base)
	}
	if p.Loss == L1 {
		gr.y, gr.pred = train.Y, pred
	}
	var vpred []float64
	if valid != nil {
		vpred = make([]float64, valid.N*K)
		for r := 0; r < valid.N; r++ {
			copy(vpred[r*K:(r+1)*K], m.Base)
		}
	}
	best, bestLoss := 0, math.Inf(1)
	rows := make([]int32, 0, n)
	proj := make([]float64, K*S)
	for round := 1; round <= p.Rounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		gradients(p.Loss, train, pred, K, gr.gk, gr.hk)
		if S < K {
			for i := range proj {
				proj[i] = rng.NormFloat64()
			}
			sketch(gr.gk, gr.hk, proj, n, K, S, gr.g, gr.h)
		}
		rows = rows[:0]
		for r := 0; r < n; r++ {
			if p.Subsample >= 1 || rng.Float64() < p.Subsample {
				rows = append(rows, int32(r))
			}
		}
		gr.feats = pickFeatures(rng, F, p.ColSample)
		tree, splitBins := gr.tree(rows)
		m.Trees = append(m.Trees, tree)
		// Update the scores of every training row (routed on bins) and validation row
		// (routed on the float32 thresholds, as ONNX does).
		for r := 0; r < n; r++ {
			leaf := routeBins(&tree, splitBins, bn.bins, r)
			o := pred[r*K : (r+1)*K]
			for k, v := range leaf.Values {
				o[k] += float64(v)
			}
		}
		tl := loss(p.Loss, train, pred, K)
		m.TrainLoss = append(m.TrainLoss, tl)
		vl := math.NaN()
		if valid != nil {
			for r := 0; r < valid.N; r++ {
				addLeaf(&tree, valid.X[r*F:(r+1)*F], vpred[r*K:(r+1)*K])
			}
			vl = loss(p.Loss, valid, vpred, K)
			m.ValidLoss = append(m.ValidLoss, vl)
			if vl < bestLoss-1e-12 {
				best, bestLoss = round, vl
			}
		} else {
			best = round
		}
		if progress != nil {
			progress(round, p.Rounds, tl, vl)
		}
		if valid != nil && round-best >= p.EarlyStop {
			break
		}
	}
	if best == 0 {
		best = 1
	}
	m.Trees = m.Trees[:best]
	return m, nil
}

func check(p Params, d *Data) error {
	if d == nil || d.N == 0 || d.F == 0 {
		return errors.New("gbt: no training rows or features")
	}
	if len(d.X) != d.N*d.F {
		return fmt.Errorf("gbt: %d feature values for %d×%d", len(d.X), d.N, d.F)
	}
	if d.W != nil && len(d.W) != d.N {
		return fmt.Errorf("gbt: %d weights for %d rows", len(d.W), d.N)
	}
	switch p.Loss {
	case L2, L1:
		if p.Outputs < 1 || len(d.Y) != d.N*p.Outputs {
			return fmt.Errorf("gbt: %d targets for %d rows × %d outputs", len(d.Y), d.N, p.Outputs)
		}
	case Softmax:
		if p.Outputs < 2 || len(d.Y) != d.N {
			return fmt.Errorf("gbt: softmax needs ≥ 2 classes and one label per row (%d classes, %d labels, %d rows)", p.Outputs, len(d.Y), d.N)
		}
		for _, y := range d.Y {
			if y < 0 || int(y) >= p.Outputs || y != math.Trunc(y) {
				return fmt.Errorf("gbt: class label %v outside 0..%d", y, p.Outputs-1)
			}
		}
	default:
		return fmt.Errorf("gbt: unknown loss %q", p.Loss)
	}
	if p.Bins < 2 || p.Bins > 256 {
		return fmt.Errorf("gbt: bins %d outside 2..256", p.Bins)
	}
	return nil
}

func baseScore(p Params, d *Data) []float64 {
	K := p.Outputs
	base := make([]float64, K)
	if p.Loss == Softmax {
		cnt := make([]float64, K)
		for r, y := range d.Y {
			cnt[int(y)] += weight(d, r)
		}
		var tot, mean float64
		for _, c := range cnt {
			tot += c
		}
		for k, c := range cnt {
			base[k] = math.Log((c + 1) / (tot + float64(K)))
			mean += base[k] / float64(K)
		}
		for k := range base {
			base[k] -= mean
		}
		return base
	}
	for k := 0; k < K; k++ {
		var s, w float64
		var vals []float64
		for r := 0; r < d.N; r++ {
			if y := d.Y[r*K+k]; !math.IsNaN(y) {
				s += weight(d, r) * y
				w += weight(d, r)
				vals = append(vals, y)
			}
		}
		if w > 0 {
			base[k] = s / w
		}
		if p.Loss == L1 && len(vals) > 0 {
			base[k] = median(vals)
		}
	}
	return base
}

func weight(d *Data, r int) float64 {
	if d.W == nil {
		return 1
	}
	return d.W[r]
}

// gradients fills the first and second derivatives of the loss per row and output.
func gradients(l Loss, d *Data, pred []float64, K int, g, h []float64) {
	for r := 0; r < d.N; r++ {
		w := weight(d, r)
		o := pred[r*K : (r+1)*K]
		gr, hr := g[r*K:(r+1)*K], h[r*K:(r+1)*K]
		if l == L2 || l == L1 {
			for k := range o {
				y := d.Y[r*K+k]
				if math.IsNaN(y) {
					gr[k], hr[k] = 0, 0
					continue
				}
				e := o[k] - y
				if l == L1 {
					switch {
					case e > 0:
						e = 1
					case e < 0:
						e = -1
					}
				}
				gr[k], hr[k] = w*e, w
			}
			continue
		}
		softmaxInto(o, hr) // hr holds p for now
		y := int(d.Y[r])
		for k, pk := range hr {
			t := 0.0
			if k == y {
				t = 1
			}
			gr[k] = w * (pk - t)
			hr[k] = w * max(pk*(1-pk), 1e-6)
		}
	}
}

func softmaxInto(z, p []float64) {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	var s float64
	for k, v := range z {
		p[k] = math.Exp(v - m)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
}

// loss is the mean squared (L2) or absolute (L1) error over present targets, or the mean log
// loss (Softmax).
func loss(l Loss, d *Data, pred []float64, K int) float64 {
	var s, w float64
	if l == L2 || l == L1 {
		for i, y := range d.Y {
			if !math.IsNaN(y) {
				e := pred[i] - y
				if l == L1 {
					e = math.Sqrt(math.Abs(e))
				}
				s += weight(d, i/K) * e * e
				w += weight(d, i/K)
			}
		}
	} else {
		p := make([]float64, K)
		for r := 0; r < d.N; r++ {
			softmaxInto(pred[r*K:(r+1)*K], p)
			s -= weight(d, r) * math.Log(max(p[int(d.Y[r])], 1e-15))
			w += weight(d, r)
		}
	}
	if w == 0 {
		return 0
	}
	return s / w
}

// sketch projects the K gradient columns onto S random directions; the hessian of every
// sketch dimension is the row's mean hessian.
func sketch(gk, hk, proj []float64, n, K, S int, g, h []float64) {
	for r := 0; r < n; r++ {
		gr := gk[r*K : (r+1)*K]
		var hm float64
		for _, v := range hk[r*K : (r+1)*K] {
			hm += v
		}
		hm /= float64(K)
		for s := 0; s < S; s++ {
			var v float64
			for k, x := range gr {
				v += x * proj[k*S+s]
			}
			g[r*S+s] = v
			h[r*S+s] = hm
		}
	}
}

func pickFeatures(rng *rand.Rand, F int, share float64) []int {
	all := rng.Perm(F)
	k := int(math.Ceil(share * float64(F)))
	k = max(1, min(F, k))
	out := all[:k]
	slices.Sort(out)
	return out
}

// binner holds the binned training features: bins[f][row] and the thresholds thr[f][b]
// separating bin b (x ≤ thr[b]) from bin b+1.
type binner struct {
	bins [][]uint8
	thr  [][]float32
}

func newBinner(d *Data, maxBins int) *binner {
	bn := &binner{bins: make([][]uint8, d.F), thr: make([][]float32, d.F)}
	parallel(d.F, func(f int) {
		vals := make([]float32, d.N)
		for r := 0; r < d.N; r++ {
			vals[r] = d.X[r*d.F+f]
		}
		sorted := slices.Clone(vals)
		slices.Sort(sorted)
		// Distinct values and their counts.
		var uniq []float32
		var cnt []int
		for i, v := range sorted {
			if i == 0 || v != sorted[i-1] {
				uniq = append(uniq, v)
				cnt = append(cnt, 0)
			}
			cnt[len(cnt)-1]++
		}
		var thr []float32
		if len(uniq) <= maxBins {
			for i := 0; i+1 < len(uniq); i++ {
				thr = append(thr, between(uniq[i], uniq[i+1]))
			}
		} else {
			per := float64(d.N) / float64(maxBins)
			acc, next := 0, per
			for i := 0; i+1 < len(uniq) && len(thr) < maxBins-1; i++ {
				acc += cnt[i]
				if float64(acc) >= next {
					thr = append(thr, between(uniq[i], uniq[i+1]))
					for next <= float64(acc) {
						next += per
					}
				}
			}
		}
		b := make([]uint8, d.N)
		for r, v := range vals {
			b[r] = uint8(sort.Search(len(thr), func(i int) bool { return v <= thr[i] }))
		}
		bn.bins[f], bn.thr[f] = b, thr
	})
	return bn
}

// between returns a float32 t with a ≤ t < b, half-way when representable.
func between(a, b float32) float32 {
	m := float32((float64(a) + float64(b)) / 2)
	if m >= a && m < b {
		return m
	}
	return a
}

// grower grows one tree on the current gradients.
type grower struct {
	p       Params
	F, K, S int
	B       int
	bins    [][]uint8
	thr     [][]float32
	g, h    []float64 // n×S: split search
	gk, hk  []float64 // n×K: leaf values
	feats   []int
	gain    []float64
	y, pred []float64 // L1: targets and current scores, for the leaf medians
	nodes   []onnxrt.TreeNode
	split   []int // bin of each split node
	pool    [][]float64
}

func (gr *grower) stride() int { return 2*gr.S + 1 }

func (gr *grower) histSize() int { return gr.F * gr.B * gr.stride() }

func (gr *grower) alloc() []float64 {
	if n := len(gr.pool); n > 0 {
		h := gr.pool[n-1]
		gr.pool = gr.pool[:n-1]
		return h
	}
	return make([]float64, gr.histSize())
}

func (gr *grower) free(h []float64) { gr.pool = append(gr.pool, h) }

// tree grows a tree on rows and returns it with the split bin of every node (−1 for leaves).
func (gr *grower) tree(rows []int32) (onnxrt.Tree, []int) {
	gr.nodes, gr.split = nil, nil
	hist := gr.alloc()
	gr.build(rows, hist)
	gr.grow(rows, hist, 0)
	gr.free(hist)
	return onnxrt.Tree{Nodes: gr.nodes}, gr.split
}

// build fills hist with the gradient sums of rows, per feature and bin.
func (gr *grower) build(rows []int32, hist []float64) {
	st, S := gr.stride(), gr.S
	per := gr.B * st
	work := func(f int) {
		hb := hist[f*per : (f+1)*per]
		clear(hb)
		bf := gr.bins[f]
		for _, r := range rows {
			o := int(bf[r]) * st
			gs, hs := gr.g[int(r)*S:int(r)*S+S], gr.h[int(r)*S:int(r)*S+S]
			for d := 0; d < S; d++ {
				hb[o+d] += gs[d]
				hb[o+S+d] += hs[d]
			}
			hb[o+2*S]++
		}
	}
	if len(rows)*len(gr.feats) < 20000 {
		for _, f := range gr.feats {
			work(f)
		}
		return
	}
	parallel(len(gr.feats), func(i int) { work(gr.feats[i]) })
}

type splitInfo struct {
	gain    float64
	feature int
	bin     int
}

func (gr *grower) score(g, h []float64) float64 {
	var s float64
	for d := range g {
		s += g[d] * g[d] / (h[d] + gr.p.Lambda)
	}
	return s
}

func (gr *grower) best(hist []float64, count int) splitInfo {
	st, S := gr.stride(), gr.S
	per := gr.B * st
	best := splitInfo{feature: -1}
	tot := make([]float64, 2*S)
	left := make([]float64, 2*S)
	right := make([]float64, 2*S)
	for _, f := range gr.feats {
		hb := hist[f*per : (f+1)*per]
		nb := len(gr.thr[f]) + 1
		if nb < 2 {
			continue
		}
		clear(tot)
		for b := 0; b < nb; b++ {
			for d := 0; d < 2*S; d++ {
				tot[d] += hb[b*st+d]
			}
		}
		parent := gr.score(tot[:S], tot[S:])
		clear(left)
		cl := 0
		for b := 0; b < nb-1; b++ {
			o := b * st
			for d := 0; d < 2*S; d++ {
				left[d] += hb[o+d]
			}
			cl += int(hb[o+2*S])
			if cl < gr.p.MinLeaf {
				continue
			}
			if count-cl < gr.p.MinLeaf {
				break
			}
			var hl, hr float64
			for d := 0; d < 2*S; d++ {
				right[d] = tot[d] - left[d]
			}
			for d := S; d < 2*S; d++ {
				hl += left[d]
				hr += right[d]
			}
			if hl < 1e-3 || hr < 1e-3 {
				continue
			}
			g := gr.score(left[:S], left[S:]) + gr.score(right[:S], right[S:]) - parent
			if g > best.gain+1e-12 {
				best = splitInfo{gain: g, feature: f, bin: b}
			}
		}
	}
	return best
}

// grow adds the subtree over rows (whose histogram is hist) and returns its node index.
func (gr *grower) grow(rows []int32, hist []float64, depth int) int {
	idx := len(gr.nodes)
	gr.nodes = append(gr.nodes, onnxrt.TreeNode{})
	gr.split = append(gr.split, -1)
	var sp splitInfo
	sp.feature = -1
	if depth < gr.p.MaxDepth && len(rows) >= 2*gr.p.MinLeaf {
		sp = gr.best(hist, len(rows))
	}
	if sp.feature < 0 || sp.gain <= 0 {
		gr.nodes[idx] = gr.leaf(rows)
		return idx
	}
	gr.gain[sp.feature] += sp.gain
	// Partition rows in place: bin ≤ split goes left (true branch).
	bf := gr.bins[sp.feature]
	i, j := 0, len(rows)-1
	for i <= j {
		if int(bf[rows[i]]) <= sp.bin {
			i++
		} else {
			rows[i], rows[j] = rows[j], rows[i]
			j--
		}
	}
	left, right := rows[:i], rows[i:]
	small := left
	if len(right) < len(left) {
		small = right
	}
	hs := gr.alloc()
	gr.build(small, hs)
	// The parent's histogram becomes the larger child's.
	for _, f := range gr.feats {
		per := gr.B * gr.stride()
		a, b := hist[f*per:(f+1)*per], hs[f*per:(f+1)*per]
		for k := range a {
			a[k] -= b[k]
		}
	}
	hl, hr := hs, hist
	if len(right) < len(left) {
		hl, hr = hist, hs
	}
	l := gr.grow(left, hl, depth+1)
	r := gr.grow(right, hr, depth+1)
	gr.free(hs)
	gr.nodes[idx] = onnxrt.TreeNode{Feature: sp.feature, Threshold: gr.thr[sp.feature][sp.bin], True: l, False: r}
	gr.split[idx] = sp.bin
	return idx
}

func (gr *grower) leaf(rows []int32) onnxrt.TreeNode {
	K := gr.K
	if gr.p.Loss == L1 {
		v := make([]float32, K)
		res := make([]float64, 0, len(rows))
		for k := 0; k < K; k++ {
			res = res[:0]
			for _, r := range rows {
				if y := gr.y[int(r)*K+k]; !math.IsNaN(y) {
					res = append(res, y-gr.pred[int(r)*K+k])
				}
			}
			if len(res) > 0 {
				v[k] = float32(gr.p.LearningRate * median(res))
			}
		}
		return onnxrt.TreeNode{Leaf: true, Values: v}
	}
	G := make([]float64, K)
	H := make([]float64, K)
	for _, r := range rows {
		base := int(r) * K
		for k := 0; k < K; k++ {
			G[k] += gr.gk[base+k]
			H[k] += gr.hk[base+k]
		}
	}
	v := make([]float32, K)
	for k := range v {
		v[k] = float32(-gr.p.LearningRate * G[k] / (H[k] + gr.p.Lambda))
	}
	return onnxrt.TreeNode{Leaf: true, Values: v}
}

func routeBins(t *onnxrt.Tree, split []int, bins [][]uint8, r int) *onnxrt.TreeNode {
	i := 0
	for !t.Nodes[i].Leaf {
		n := &t.Nodes[i]
		if int(bins[n.Feature][r]) <= split[i] {
			i = n.True
		} else {
			i = n.False
		}
	}
	return &t.Nodes[i]
}

// median returns the median of vals (reordered in place).
func median(vals []float64) float64 {
	slices.Sort(vals)
	n := len(vals)
	if n%2 == 1 {
		return vals[n/2]
	}
	return (vals[n/2-1] + vals[n/2]) / 2
}

// parallel runs f(0..n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	wg.Wait()
}
