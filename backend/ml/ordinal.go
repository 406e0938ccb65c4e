package ml

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"pdmstudio/backend/ml/gbt"
	"pdmstudio/backend/onnxrt"
)

// fitOrdinal trains the ordinal classifier for ordered numeric classes: gradient-boosted
// regression trees predict a severity value v — the FitSpec.Progress column when there is
// one (e.g. the wear level the classes are thresholds of), else the class index — and a
// cumulative-logistic link turns v into class probabilities,
//
//	P(class ≥ k) = σ((v − t_k)/s),  P(class k) = P(≥ k) − P(≥ k+1),
//
// with cut points t_k between adjacent classes (the midpoint of the gap between their
// progress ranges in the training data, or k − ½ for class indices) and the scale s fitted
// on the validation data by log loss. The link is two dense layers (Gemm + Sigmoid, Gemm)
// after the trees, so the model stays one ONNX graph. It returns the head and the validation
// outputs as log probabilities (the candidates' common currency).
func fitOrdinal(ctx context.Context, spec *FitSpec, p *post, tr, va *data, ytr, yva []float64, K int, prog func(float64)) (*head, []float64, error) {
	if !p.ClassType.Numeric() {
		return nil, nil, fmt.Errorf("ordinal: the classes are not numbers, so they have no order")
	}
	for _, c := range p.Classes {
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return nil, nil, fmt.Errorf("ordinal: class %q is not a number", c)
		}
	}
	// Severity target and cut points.
	target := slices.Clone(ytr)
	useProgress := false
	cuts := make([]float64, K-1)
	for k := range cuts {
		cuts[k] = float64(k) + 0.5
	}
	if spec.Progress != "" {
		prog := numericTarget(tr, spec.Progress)
		lo, hi := make([]float64, K), make([]float64, K)
		for k := range lo {
			lo[k], hi[k] = math.Inf(1), math.Inf(-1)
		}
		ok := true
		for i, v := range prog {
			if math.IsNaN(v) {
				ok = false
				break
			}
			k := int(ytr[i])
			lo[k], hi[k] = min(lo[k], v), max(hi[k], v)
		}
		for k := 1; k < K && ok; k++ {
			if math.IsInf(lo[k], 0) || math.IsInf(hi[k-1], 0) || lo[k] < hi[k-1] {
				ok = false // progress does not separate the classes: fall back to indices
			}
		}
		if ok {
			target, useProgress = prog, true
			for k := range cuts {
				cuts[k] = (hi[k] + lo[k+1]) / 2
			}
		}
	}
	mean, std := meanStd(target, 1)
	str := scaled(target, mean, std)
	// Validation target on the same scale (only early stopping uses it): the validation
	// data's progress, or the middle of each class's range.
	mid := func(k int) float64 {
		switch {
		case k == 0:
			return cuts[0] - (cuts[min(1, K-2)]-cuts[0])/2
		case k == K-1:
			return cuts[K-2] + (cuts[K-2]-cuts[max(0, K-3)])/2
		}
		return (cuts[k-1] + cuts[k]) / 2
	}
	sva := make([]float64, len(yva))
	var vprog []float64
	if useProgress {
		vprog = numericTarget(va, spec.Progress)
	}
	for i, y := range yva {
		v := mid(int(y))
		if vprog != nil && !math.IsNaN(vprog[i]) {
			v = vprog[i] // the validation data's own progress, when it has it
		}
		sva[i] = (v - mean[0]) / std[0]
	}
	xtr, xva := tr.x(), va.x()
	gm, err := gbt.Fit(ctx, gbt.Params{Loss: gbt.L2, Outputs: 1, Rounds: spec.Trees, Seed: spec.Seed},
		&gbt.Data{X: xtr.X, N: xtr.N, F: xtr.F, Y: str}, &gbt.Data{X: xva.X, N: xva.N, F: xva.F, Y: sva},
		func(r, n int, _, _ float64) { prog(float64(r) / float64(n)) })
	if err != nil {
		return nil, nil, err
	}
	te := gm.Ensemble()
	raw, err := te.Predict(xva.X, xva.N)
	if err != nil {
		return nil, nil, err
	}
	// Recalibrate the severity scale on the validation data: v = a + b·o by least squares
	// against the validation target. When the training rows are synthetic their wear signal
	// is often attenuated, so the trees' values are squeezed towards the middle; real
	// validation data stretches them back. (Kept only for a plausible slope, 0.2 < b < 5.)
	// Then the link's scale by validation log loss.
	span := 1e-9
	for k := 1; k < K-1; k++ {
		span = max(span, cuts[k]-cuts[k-1])
	}
	if K == 2 {
		span = max(span, std[0])
	}
	calibrate := func(rows []int) (a0, b0, s float64) {
		o, y, sv := make([]float32, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
		for j, i := range rows {
			o[j], y[j], sv[j] = raw[i], yva[i], sva[i]
		}
		a0, b0 = mean[0], std[0]
		if a, b, ok := linearFit(o, sv); ok && b > 0.2 && b < 5 {
			a0, b0 = mean[0]+std[0]*a, std[0]*b
		}
		value := make([]float64, len(o))
		for j, v := range o {
			value[j] = a0 + b0*float64(v)
		}
		return a0, b0, linkScale(value, cuts, y, span)
	}
	a0, b0, s := calibrate(allIndices(len(raw)))
	h := &head{Kind: headTrees, Trees: &te, Post: ordinalLink(a0, b0, cuts, s)}
	logp, err := linkScores(h, va, K, raw, cuts, calibrate)
	if err != nil {
		return nil, nil, err
	}
	return h, logp, nil
}

// linkScores returns the validation log-probabilities (n×K) by which a family ending in the
// cumulative-logistic link is compared with the others. The candidates are compared on
// validation scores, and the link (v = a + b·raw, scale s) was calibrated on the validation
// rows, so they are scored out of fold (crossFitted); with a single validation group, in
// sample through the head itself.
func linkScores(h *head, va *data, K int, raw []float32, cuts []float64, calibrate func(rows []int) (a, b, s float64)) ([]float64, error) {
	if logp := crossFitted(va, K, func(rows []int) func(i int) []float64 {
		a, b, s := calibrate(rows)
		return func(i int) []float64 { return ordinalProbs([]float64{a + b*float64(raw[i])}, cuts, s) }
	}); logp != nil {
		return logp, nil
	}
	xva := va.x()
	out, _, err := h.eval(xva.X, xva.N)
	if err != nil {
		return nil, err
	}
	logp := make([]float64, len(out))
	for i, v := range out {
		logp[i] = math.Log(max(float64(v), 1e-15))
	}
	return logp, nil
}

// allIndices returns 0..n−1.
func allIndices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// groupIndex numbers the groups (assets, episodes) of the rows of d in order of appearance: it
// returns each row's group number and the number of groups.
func groupIndex(d *data) ([]int, int) {
	out := make([]int, len(d.idx))
	groups := map[int]int{}
	for i := range out {
		seq := d.f.Seq[d.idx[i]]
		g, ok := groups[seq]
		if !ok {
			g = len(groups)
			groups[seq] = g
		}
		out[i] = g
	}
	return out, len(groups)
}

// crossFitted returns out-of-fold class log-probabilities (n×K) of the validation rows for a
// family whose calibration is fitted on the validation data itself: fit(rows) calibrates on
// those rows and returns the class probabilities of a row. The validation groups alternate
// between two folds, each calibrated on the other, so that model selection does not score a
// calibration on the rows it was fitted on. It returns nil when the validation data has fewer
// than 2 groups (the caller then scores in sample).
func crossFitted(va *data, K int, fit func(rows []int) func(i int) []float64) []float64 {
	n := len(va.idx)
	fold, G := groupIndex(va)
	if G < 2 {
		return nil
	}
	for i := range fold {
		fold[i] %= 2
	}
	out := make([]float64, n*K)
	for f := range 2 {
		var in, test []int
		for i, fi := range fold {
			if fi == f {
				test = append(test, i)
			} else {
				in = append(in, i)
			}
		}
		probs := fit(in)
		for _, i := range test {
			for k, p := range probs(i) {
				out[i*K+k] = math.Log(max(p, 1e-15))
			}
		}
	}
	return out
}

// linkScale returns the scale s of the cumulative-logistic link that minimises the log loss
// of classes y given severities value (golden-section search of log s over [span·1e-3,
// span·10]).
func linkScale(value, cuts, y []float64, span float64) float64 {
	K := len(cuts) + 1
	loss := func(ls float64) float64 {
		pr := ordinalProbs(value, cuts, math.Exp(ls))
		var l float64
		for i, c := range y {
			l -= math.Log(max(pr[i*K+int(c)], 1e-15))
		}
		return l
	}
	a, b := math.Log(span*1e-3), math.Log(span*10)
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := loss(c), loss(d)
	for range 50 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = loss(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = loss(d)
		}
	}
	return math.Exp((a + b) / 2)
}

// ordinalProbs returns the n×K class probabilities of the cumulative-logistic link.
func ordinalProbs(value, cuts []float64, s float64) []float64 {
	K := len(cuts) + 1
	out := make([]float64, len(value)*K)
	for i, v := range value {
		prev := 1.0
		for k := 0; k < K-1; k++ {
			ge := 1 / (1 + math.Exp(-(v-cuts[k])/s))
			out[i*K+k] = prev - ge
			prev = ge
		}
		out[i*K+K-1] = prev
	}
	return out
}

// ordinalLink returns the dense layers from the tree output o (value = mean + std·o) to the
// K class probabilities: z_k = σ((value − t_k)/s), then P = z·D + e₀.
func ordinalLink(mean, std float64, cuts []float64, s float64) []onnxrt.Dense {
	K := len(cuts) + 1
	l1 := onnxrt.Dense{In: 1, Out: K - 1, W: make([]float32, K-1), B: make([]float32, K-1), Activation: onnxrt.Sigmoid}
	for k, t := range cuts {
		l1.W[k] = float32(std / s)
		l1.B[k] = float32((mean - t) / s)
	}
	l2 := onnxrt.Dense{In: K - 1, Out: K, W: make([]float32, (K-1)*K), B: make([]float32, K), Activation: onnxrt.Linear}
	l2.B[0] = 1
	for k := 0; k < K-1; k++ { // z_k adds to class k+1 and subtracts from class k
		l2.W[k*K+k] = -1
		l2.W[k*K+k+1] = 1
	}
	return []onnxrt.Dense{l1, l2}
}

// linearFit returns a, b minimising Σ (y − a − b·x)²; ok is false when x is constant.
func linearFit(x []float32, y []float64) (a, b float64, ok bool) {
	n := float64(len(x))
	if n < 2 {
		return 0, 0, false
	}
	var sx, sy float64
	for i, v := range x {
		sx += float64(v)
		sy += y[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for i, v := range x {
		dx := float64(v) - mx
		sxx += dx * dx
		sxy += dx * (y[i] - my)
	}
	if sxx < 1e-12 {
		return 0, 0, false
	}
	b = sxy / sxx
	return my - b*mx, b, true
}
