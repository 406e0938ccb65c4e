package ml

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/ml/gbt"
	"pdmstudio/backend/onnxrt"
)

// stageFunc returns a progress callback for a stage spanning [from, to] of the whole fit.
type stageFunc func(name string, from, to float64) func(float64)

// candidate is one trained family: its head and its validation outputs.
type candidate struct {
	family  string
	head    *head
	logits  []float64 // classification: validation logits n×K
	score   float64
	seconds float64
	err     error
	extra   any
	note    string // why it was chosen or kept, when not by the plain best score
}

// span returns the progress span of the i-th of n candidates within [0.05, 0.85].
func span(i, n int) (float64, float64) {
	w := 0.8 / float64(n)
	return 0.05 + w*float64(i), 0.05 + w*float64(i+1)
}

// classList returns the sorted class labels of a target column (numeric order for numbers).
func classList(c *datasets.Column) []string {
	seen := map[string]bool{}
	var out []string
	for i := 0; i < c.Len(); i++ {
		if c.IsNull(i) {
			continue
		}
		s := c.Text(i)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if c.Type.Numeric() {
		sort.Slice(out, func(a, b int) bool {
			x, _ := strconv.ParseFloat(out[a], 64)
			y, _ := strconv.ParseFloat(out[b], 64)
			return x < y
		})
	} else {
		slices.Sort(out)
	}
	return out
}

func fitClassification(ctx context.Context, spec *FitSpec, pipe *features.Pipeline, tr, va *data, stage stageFunc) (*fitted, error) {
	col := spec.Train.Column(spec.Target)
	classes := classList(col)
	if len(classes) < 2 {
		return nil, field("target", "column %q has %d class(es) in the training data; a classifier needs at least 2", spec.Target, len(classes))
	}
	if len(classes) > maxClasses {
		return nil, field("target", "column %q has %d distinct values; a classifier takes at most %d (use the rul task for a number)", spec.Target, len(classes), maxClasses)
	}
	p := &post{Target: spec.Target, Classes: classes, ClassType: col.Type}
	ltr, lva := p.classIndex(tr), p.classIndex(va)
	tr = tr.keep(func(i int) bool { return ltr[i] >= 0 })
	va = va.keep(func(i int) bool { return lva[i] >= 0 })
	if len(tr.idx) < MinTrainRows {
		return nil, field("target", "only %d training rows have a %q value", len(tr.idx), spec.Target)
	}
	if len(va.idx) == 0 {
		return nil, field("valid", "no validation row has a known %q class", spec.Target)
	}
	ytr, yva := labelsOf(p.classIndex(tr)), labelsOf(p.classIndex(va))
	K := len(classes)
	counts := make([]int, K)
	for _, y := range ytr {
		counts[int(y)]++
	}
	for k := range counts {
		if counts[k] > counts[p.Majority] {
			p.Majority = k
		}
	}
	xtr, xva := tr.x(), va.x()
	var cands []*candidate
	for i, fam := range spec.Families {
		from, to := span(i, len(spec.Families))
		prog := stage("training "+fam, from, to)
		c := &candidate{family: fam}
		t0 := time.Now()
		switch fam {
		case FamilyGBT:
			var gm *gbt.Model
			gm, c.err = gbt.Fit(ctx, gbt.Params{Loss: gbt.Softmax, Outputs: K, Rounds: spec.Trees, Seed: spec.Seed},
				&gbt.Data{X: xtr.X, N: xtr.N, F: xtr.F, Y: ytr}, &gbt.Data{X: xva.X, N: xva.N, F: xva.F, Y: yva},
				func(r, n int, _, _ float64) { prog(float64(r) / float64(n)) })
			if c.err == nil {
				c.logits, c.extra = gm.Raw(xva.X, xva.N), gm
			}
		case FamilyOrdinal:
			var oh *head
			oh, c.logits, c.err = fitOrdinal(ctx, spec, p, tr, va, ytr, yva, K, prog)
			if c.err == nil {
				c.extra = oh
			}
		case FamilySignature:
			var sh *head
			sh, c.logits, c.err = fitSignature(spec, p, pipe, tr, va, ytr, yva, K)
			if c.err == nil {
				c.extra = sh
			}
			prog(1)
		case FamilyMLP, FamilyLinear:
			cfg := mlpConfig{Hidden: []int{64, 32}, Act: onnxrt.ReLU, Softmax: true, Epochs: spec.Epochs, Decay: 1e-4, Seed: spec.Seed}
			if fam == FamilyLinear {
				cfg.Hidden, cfg.LR, cfg.Decay = nil, 3e-3, 0
			}
			var dh *denseHead
			dh, _, c.err = fitDense(ctx, cfg, xtr, xva, ytr, yva, K, prog)
			if c.err == nil {
				c.logits, c.extra = denseLogits(dh, xva), dh
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.seconds = time.Since(t0).Seconds()
		if c.err == nil {
			pred := make([]int, xva.N)
			for r := range pred {
				pred[r] = argmax64(c.logits[r*K : (r+1)*K])
			}
			_, c.score, _, _ = classScores(classes, intsOf(yva), pred)
		}
		cands = append(cands, c)
	}
	best := pick(cands, func(a, b *candidate) bool {
		if math.Abs(a.score-b.score) > 1e-9 {
			return a.score > b.score
		}
		return nll(a.logits, yva, K, 1) < nll(b.logits, yva, K, 1)
	})
	if best == nil {
		return nil, fmt.Errorf("every model family failed: %v", cands[0].err)
	}
	if sig := findCandidate(cands, FamilySignature); sig != nil && sig != best {
		// The signature model rests on the machine's own description of its faults; a family
		// that learned from the training rows replaces it only on clear evidence.
		if spec.Synthetic {
			// Training rows from a generator that saw the validation episodes: a learned
			// family's validation score measures how well the generator copied them, not the
			// machine. On the development simulation with the wizard's default data settings,
			// gradient-boosted trees trained on the synthetic rows scored 0.907 macro-F1 on
			// validation but 0.825 on fresh real data (24 of 26 machines below 0.90); the
			// signature model 0.96 and 0.95.
			sig.note = fmt.Sprintf("kept: %s scored higher on validation, but it learned from synthetic rows whose generator saw the validation episodes", best.family)
			best = sig
		} else {
			// Real training rows: a higher validation macro-F1 in at least 95 % of bootstrap
			// resamples of the validation groups. With ≈ 4 real validation episodes a plain best
			// score picks noise: on the development simulation (26 machines, synthetic training)
			// the best-score rule chose a learned family on 3 machines, each worse on the test
			// data by 0.002–0.17 macro-F1.
			wins := bootstrapWins(va, yva, K, best.logits, sig.logits, spec.Seed)
			if wins < signatureEvidence {
				sig.note = fmt.Sprintf("kept: %s scored higher on validation, but only in %.0f %% of resamples of the validation episodes (%.0f %% needed)", best.family, 100*wins, 100*signatureEvidence)
				best = sig
			} else {
				best.note = fmt.Sprintf("chosen over the signature model: higher validation score in %.0f %% of resamples of the validation episodes", 100*wins)
			}
		}
	}
	stage("calibrating", 0.85, 0.86)(0)
	h := &head{}
	if oh, ok := best.extra.(*head); ok {
		// Already calibrated (the link's scale was fitted on the validation data).
		p.Temperature = 1
		return &fitted{head: oh, post: p, family: best.family, metric: "macro_f1", candidates: candidateList(cands, best, "macro_f1")}, nil
	}
	p.Temperature = temperature(best.logits, yva, K)
	switch m := best.extra.(type) {
	case *gbt.Model:
		m.Scale(1 / p.Temperature)
		te := m.Ensemble()
		h.Kind, h.Trees, h.Classifier = headTrees, &te, true
	case *denseHead:
		last := &m.Layers[len(m.Layers)-1]
		for j := range last.W {
			last.W[j] = float32(float64(last.W[j]) / p.Temperature)
		}
		for j := range last.B {
			last.B[j] = float32(float64(last.B[j]) / p.Temperature)
		}
		h.Kind, h.Dense = headDense, m
	}
	return &fitted{head: h, post: p, family: best.family, metric: "macro_f1", candidates: candidateList(cands, best, "macro_f1")}, nil
}

func labelsOf(idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, v := range idx {
		out[i] = float64(v)
	}
	return out
}

func intsOf(v []float64) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

func argmax64(v []float64) int {
	best := 0
	for k := range v {
		if v[k] > v[best] {
			best = k
		}
	}
	return best
}

// denseLogits evaluates a softmax dense head without its final softmax.
func denseLogits(h *denseHead, x matrix) []float64 {
	layers := slices.Clone(h.Layers)
	layers[len(layers)-1].Activation = onnxrt.Linear
	out, err := onnxrt.MLPForward(layers, standardize(x.X, h.Mean, h.Scale), x.N)
	if err != nil {
		panic(err) // shapes come from training
	}
	res := make([]float64, len(out))
	for i, v := range out {
		res[i] = float64(v)
	}
	return res
}

// nll is the mean log loss of softmax(logits·beta).
func nll(logits, y []float64, K int, beta float64) float64 {
	var s float64
	z := make([]float64, K)
	p := make([]float64, K)
	for r := range y {
		for k := 0; k < K; k++ {
			z[k] = logits[r*K+k] * beta
		}
		softmaxTo(z, p)
		s -= math.Log(max(p[int(y[r])], 1e-15))
	}
	return s / float64(max(len(y), 1))
}

// temperature returns T minimising the validation log loss of softmax(logits/T)
// (golden-section search over 1/T in [0.05, 20], where the loss is convex).
func temperature(logits, y []float64, K int) float64 {
	a, b := math.Log(0.05), math.Log(20)
	g := (math.Sqrt(5) - 1) / 2
	f := func(lb float64) float64 { return nll(logits, y, K, math.Exp(lb)) }
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := f(c), f(d)
	for i := 0; i < 60; i++ {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = f(d)
		}
	}
	return 1 / math.Exp((a+b)/2)
}

// pick returns the best candidate without error by better(a, b) (a better than b).
func pick(cands []*candidate, better func(a, b *candidate) bool) *candidate {
	var best *candidate
	for _, c := range cands {
		if c.err != nil {
			continue
		}
		if best == nil || better(c, best) {
			best = c
		}
	}
	return best
}

func candidateList(cands []*candidate, best *candidate, metric string) []Candidate {
	var out []Candidate
	for _, c := range cands {
		cd := Candidate{Family: c.family, Metric: metric, Score: nanToZero(c.score), Seconds: c.seconds, Chosen: c == best}
		if c.err != nil {
			cd.Note = c.err.Error()
		} else {
			cd.Note = c.note
		}
		out = append(out, cd)
	}
	return out
}

// findCandidate returns the candidate of a family that trained without error, or nil.
func findCandidate(cands []*candidate, family string) *candidate {
	for _, c := range cands {
		if c.family == family && c.err == nil {
			return c
		}
	}
	return nil
}

// bootstrapWins returns the share of 500 bootstrap resamples of the validation groups in which
// the predictions of logits a (n×K) have a higher macro-F1 than those of b.
func bootstrapWins(va *data, y []float64, K int, a, b []float64, seed uint64) float64 {
	group, G := groupIndex(va)
	confA, confB := make([][]int, G), make([][]int, G) // per group, K×K flattened
	for g := range confA {
		confA[g], confB[g] = make([]int, K*K), make([]int, K*K)
	}
	for i, g := range group {
		t := int(y[i])
		confA[g][t*K+argmax64(a[i*K:(i+1)*K])]++
		confB[g][t*K+argmax64(b[i*K:(i+1)*K])]++
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	sumA, sumB := make([]int, K*K), make([]int, K*K)
	wins := 0
	const B = 500
	for range B {
		clear(sumA)
		clear(sumB)
		for range G {
			g := rng.IntN(G)
			for j := range sumA {
				sumA[j] += confA[g][j]
				sumB[j] += confB[g][j]
			}
		}
		if macroF1(sumA, K) > macroF1(sumB, K) {
			wins++
		}
	}
	return float64(wins) / B
}

// macroF1 is the mean F1 over the classes present (as truth or prediction) of a K×K confusion
// matrix (row = truth).
func macroF1(conf []int, K int) float64 {
	var sum float64
	n := 0
	for k := 0; k < K; k++ {
		var support, predicted int
		for j := 0; j < K; j++ {
			support += conf[k*K+j]
			predicted += conf[j*K+k]
		}
		if support == 0 && predicted == 0 {
			continue
		}
		n++
		if tp := conf[k*K+k]; tp > 0 {
			sum += 2 * float64(tp) / float64(support+predicted)
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// signatureEvidence is the share of validation resamples in which another family must beat the
// signature model to replace it.
const signatureEvidence = 0.95
