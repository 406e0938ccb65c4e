package ml

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/ml/gbt"
	"pdmstudio/backend/onnxrt"
)

// meanStd returns the mean and standard deviation (1 when the values are constant) of the
// columns of an n×k matrix, ignoring NaN.
func meanStd(y []float64, k int) (mean, std []float64) {
	mean, std = make([]float64, k), make([]float64, k)
	for j := 0; j < k; j++ {
		var s, ss float64
		n := 0
		for i := j; i < len(y); i += k {
			if !math.IsNaN(y[i]) {
				s += y[i]
				n++
			}
		}
		mu := s / float64(max(n, 1))
		for i := j; i < len(y); i += k {
			if !math.IsNaN(y[i]) {
				ss += (y[i] - mu) * (y[i] - mu)
			}
		}
		sd := math.Sqrt(ss / float64(max(n, 1)))
		if sd < 1e-12 {
			sd = 1
		}
		mean[j], std[j] = mu, sd
	}
	return mean, std
}

func scaled(y, mean, std []float64) []float64 {
	k := len(mean)
	out := make([]float64, len(y))
	for i, v := range y {
		out[i] = (v - mean[i%k]) / std[i%k]
	}
	return out
}

// fitRegressors trains the regression families of spec on standardized targets (n×k) and
// returns the candidates with their validation outputs (standardized) in extra.
//
// With l1 the trees and the MLP are trained for the absolute error (they predict the median);
// the linear model is always least squares.
func fitRegressors(ctx context.Context, spec *FitSpec, xtr, xva matrix, ytr, yva []float64, k int, l1 bool, stage stageFunc) []*candidate {
	loss := gbt.L2
	if l1 {
		loss = gbt.L1
	}
	var cands []*candidate
	for i, fam := range spec.Families {
		from, to := span(i, len(spec.Families))
		prog := stage("training "+fam, from, to)
		c := &candidate{family: fam}
		t0 := time.Now()
		switch fam {
		case FamilyGBT:
			var gm *gbt.Model
			gm, c.err = gbt.Fit(ctx, gbt.Params{Loss: loss, Outputs: k, Rounds: spec.Trees, Seed: spec.Seed},
				&gbt.Data{X: xtr.X, N: xtr.N, F: xtr.F, Y: ytr}, &gbt.Data{X: xva.X, N: xva.N, F: xva.F, Y: yva},
				func(r, n int, _, _ float64) { prog(float64(r) / float64(n)) })
			if c.err == nil {
				te := gm.Ensemble()
				c.head = &head{Kind: headTrees, Trees: &te}
			}
		case FamilyMLP:
			var dh *denseHead
			dh, _, c.err = fitDense(ctx, mlpConfig{Hidden: []int{64, 32}, Act: onnxrt.ReLU, L1: l1, Epochs: spec.Epochs, Decay: 1e-4, Seed: spec.Seed},
				xtr, xva, ytr, yva, k, prog)
			if c.err == nil {
				c.head = &head{Kind: headDense, Dense: dh}
			}
		case FamilyLinear:
			var dh *denseHead
			dh, _, c.err = fitRidge(xtr, xva, ytr, yva, k)
			if c.err == nil {
				c.head = &head{Kind: headDense, Dense: dh}
			}
		}
		c.seconds = time.Since(t0).Seconds()
		if c.err == nil {
			out, _, err := c.head.eval(xva.X, xva.N)
			if err != nil {
				c.err = err
			} else {
				c.extra = out
			}
		}
		cands = append(cands, c)
		if ctx.Err() != nil {
			break
		}
	}
	return cands
}

func fitRUL(ctx context.Context, spec *FitSpec, pipe *features.Pipeline, tr, va *data, stage stageFunc) (*fitted, error) {
	p := &post{Target: spec.Target, Level: spec.IntervalLevel}
	ytr0, yva0 := numericTarget(tr, spec.Target), numericTarget(va, spec.Target)
	tr = tr.keep(func(i int) bool { return !math.IsNaN(ytr0[i]) })
	va = va.keep(func(i int) bool { return !math.IsNaN(yva0[i]) })
	if len(tr.idx) < MinTrainRows {
		return nil, field("target", "only %d training rows have a %q value", len(tr.idx), spec.Target)
	}
	if len(va.idx) == 0 {
		return nil, field("valid", "no validation row has a %q value", spec.Target)
	}
	ytr, yva := numericTarget(tr, spec.Target), numericTarget(va, spec.Target)
	p.YMean, p.YStd = meanStd(ytr, 1)
	p.TrainMean = p.YMean[0]
	if slices.Min(ytr) >= 0 {
		zero := 0.0
		p.Floor = &zero
	}
	xtr, xva := tr.x(), va.x()
	str, sva := scaled(ytr, p.YMean, p.YStd), scaled(yva, p.YMean, p.YStd)
	cands := fitRegressors(ctx, spec, xtr, xva, str, sva, 1, false, stage)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	preds := map[*candidate][]float64{}
	for _, c := range cands {
		if c.err != nil {
			continue
		}
		out := c.extra.([]float32)
		pr := make([]float64, len(out))
		for i, o := range out {
			pr[i] = p.rul(o)
		}
		_, rmse := maeRMSE(pr, yva)
		c.score = -rmse
		preds[c] = pr
		if c.family == FamilyLinear {
			p.Linear = c.head.Dense
		}
	}
	best := pick(cands, func(a, b *candidate) bool { return a.score > b.score })
	if best == nil {
		return nil, fmt.Errorf("every model family failed: %v", cands[0].err)
	}
	if p.Linear == nil {
		if lin, _, err := fitRidge(xtr, xva, str, sva, 1); err == nil {
			p.Linear = lin
		}
	}
	stage("calibrating", 0.85, 0.86)(0)
	// Interval: split conformal. Quantiles of the validation residuals, separately for bins
	// of the predicted value (the error grows with the remaining life: Mondrian conformal
	// bands), at levels widened by the finite-sample correction (n+1)/n. Validation rows are
	// exchangeable with new data of the same kind, training rows are not, so the residuals of a
	// grouped cross-validation over the training episodes are added only when the validation
	// data is too small to give stable quantiles (fewer than minConformal rows).
	pr, yref := slices.Clone(preds[best]), slices.Clone(yva)
	if len(pr) < minConformal {
		if cp, cy, err := crossResiduals(ctx, spec, tr, best.family, p); err == nil {
			pr, yref = append(pr, cp...), append(yref, cy...)
		} else if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	bins := 1
	switch {
	case len(pr) >= 400:
		bins = 4
	case len(pr) >= 100:
		bins = 2
	}
	sorted := slices.Clone(pr)
	slices.Sort(sorted)
	for b := 1; b < bins; b++ {
		p.Edges = append(p.Edges, quantile(sorted, float64(b)/float64(bins)))
	}
	lo, hi := (1-p.Level)/2, (1+p.Level)/2
	for b := 0; b < bins; b++ {
		var res []float64
		for i, v := range pr {
			if binOf(p.Edges, v) == b {
				res = append(res, yref[i]-v)
			}
		}
		if len(res) == 0 {
			p.Lo, p.Hi = append(p.Lo, 0), append(p.Hi, 0)
			continue
		}
		m := float64(len(res))
		p.Lo = append(p.Lo, quantile(res, max(0, (lo*(m+1)-1)/m)))
		p.Hi = append(p.Hi, quantile(res, min(1, hi*(m+1)/m)))
	}
	return &fitted{head: best.head, post: p, family: best.family, metric: "-rmse", candidates: candidateList(cands, best, "-rmse")}, nil
}

// minConformal is the number of validation rows from which RUL intervals are calibrated on
// the validation residuals alone.
const minConformal = 400

// rulFolds is the number of folds of crossResiduals.
const rulFolds = 4

// crossResiduals refits family on all but one fold of the training groups (folds of whole
// groups, each held-out fold also stopping the training early) and returns the predictions
// and true values of the held-out rows. It needs at least rulFolds groups.
func crossResiduals(ctx context.Context, spec *FitSpec, tr *data, family string, p *post) (pred, y []float64, err error) {
	groups := map[int]bool{}
	for _, r := range tr.idx {
		groups[tr.f.Seq[r]] = true
	}
	if len(groups) < rulFolds {
		return nil, nil, fmt.Errorf("only %d groups", len(groups))
	}
	order := make([]int, 0, len(groups))
	for g := range groups {
		order = append(order, g)
	}
	slices.Sort(order)
	fold := map[int]int{}
	for i, g := range order {
		fold[g] = i % rulFolds
	}
	sub := *spec
	sub.Families = []string{family}
	quiet := func(string, float64, float64) func(float64) { return func(float64) {} }
	for k := 0; k < rulFolds; k++ {
		in := tr.keep(func(i int) bool { return fold[tr.f.Seq[tr.idx[i]]] != k })
		out := tr.keep(func(i int) bool { return fold[tr.f.Seq[tr.idx[i]]] == k })
		yin, yout := numericTarget(in, spec.Target), numericTarget(out, spec.Target)
		xin, xout := in.x(), out.x()
		cands := fitRegressors(ctx, &sub, xin, xout, scaled(yin, p.YMean, p.YStd), scaled(yout, p.YMean, p.YStd), 1, false, quiet)
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if len(cands) == 0 || cands[0].err != nil {
			return nil, nil, fmt.Errorf("fold %d failed", k)
		}
		for i, o := range cands[0].extra.([]float32) {
			pred = append(pred, p.rul(o))
			y = append(y, yout[i])
		}
	}
	return pred, y, nil
}

// binOf returns the bin of v for sorted edges (as sort.SearchFloat64s does).
func binOf(edges []float64, v float64) int {
	b := 0
	for b < len(edges) && edges[b] < v {
		b++
	}
	return b
}
