package ml

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/onnxrt"
)

// anomalyClip bounds healthy z-scores, so that one wild value (an outlier, a stuck sensor)
// cannot dominate the score.
const anomalyClip = 10

// groupMatrix returns the F×G matrix that sums squared residuals per input column and divides
// by F (so the group sums add up to the mean square).
func groupMatrix(pipe *features.Pipeline) []float32 {
	F, G := pipe.NumFeatures(), len(pipe.Inputs)
	w := make([]float32, F*G)
	for g, in := range pipe.Inputs {
		for f := in.First; f < in.First+in.Count; f++ {
			w[f*G+g] = 1 / float32(F)
		}
	}
	return w
}

func fitAnomaly(ctx context.Context, spec *FitSpec, pipe *features.Pipeline, tr, va *data, stage stageFunc) (*fitted, error) {
	p := &post{Target: spec.Target, Normal: spec.Normal, FalseAlarm: spec.FalseAlarmRate}
	trPos, trKnown := p.anomalyLabels(tr)
	healthy := tr.keep(func(i int) bool { return trKnown[i] && !trPos[i] })
	if len(healthy.idx) < 30 {
		return nil, field("target", "only %d healthy training rows (%s = %q); an anomaly model needs at least 30", len(healthy.idx), spec.Target, spec.Normal)
	}
	vaPos, vaKnown := p.anomalyLabels(va)
	xh := healthy.x()
	xva := va.x()
	mean, scale := standardizer(xh)
	F, G := pipe.NumFeatures(), len(pipe.Inputs)
	groups := groupMatrix(pipe)
	base := func() *scoreHead {
		return &scoreHead{Mean: mean, Scale: scale, Clip: anomalyClip, Groups: groups, G: G}
	}
	// Healthy z-scores (clipped), as the head computes them.
	z := standardize(xh.X, mean, scale)
	for i, v := range z {
		z[i] = min(max(v, -anomalyClip), anomalyClip)
	}
	var vscore []float64
	var vlab []bool
	scoreOf := func(sh *scoreHead, x matrix) []float64 {
		out, err := sh.eval(x.X, x.N)
		if err != nil {
			panic(err) // shapes come from training
		}
		s := make([]float64, x.N)
		for i := range s {
			s[i] = float64(out[i*(G+1)])
		}
		return s
	}
	validAUC := func(sh *scoreHead) float64 {
		s := scoreOf(sh, xva)
		vscore, vlab = vscore[:0], vlab[:0]
		for i := range s {
			if vaKnown[i] {
				vscore = append(vscore, s[i])
				vlab = append(vlab, vaPos[i])
			}
		}
		return rocAUC(vscore, vlab)
	}
	var cands []*candidate
	for i, fam := range spec.Families {
		from, to := span(i, len(spec.Families))
		prog := stage("training "+fam, from, to)
		c := &candidate{family: fam}
		t0 := time.Now()
		switch fam {
		case FamilyZScore:
			c.head = &head{Kind: headScore, Score: base()}
		case FamilyPCA:
			// Keep the principal components explaining 90, 95 or 99 % of the healthy variance,
			// whichever separates the validation data best.
			var comps [][]onnxrt.Dense
			comps, c.err = pcaLayers(z, xh.N, F, []float64{0.9, 0.95, 0.99})
			bestAUC := math.Inf(-1)
			for _, layers := range comps {
				sh := base()
				sh.Layers = layers
				if a := validAUC(sh); a > bestAUC || math.IsNaN(bestAUC) || c.head == nil {
					bestAUC, c.head = a, &head{Kind: headScore, Score: sh}
				}
			}
		case FamilyAutoencoder:
			var layers []onnxrt.Dense
			layers, c.err = autoencoder(ctx, spec, z, xh.N, F, prog)
			if c.err == nil {
				sh := base()
				sh.Layers = layers
				c.head = &head{Kind: headScore, Score: sh}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.seconds = time.Since(t0).Seconds()
		if c.err == nil && c.head == nil {
			c.err = fmt.Errorf("no model")
		}
		if c.err == nil {
			c.score = validAUC(c.head.Score)
		}
		cands = append(cands, c)
	}
	// Rank by validation ROC-AUC; without anomalous validation rows (NaN AUC) the first
	// family in the list wins.
	best := pick(cands, func(a, b *candidate) bool {
		if math.IsNaN(b.score) {
			return false
		}
		return !math.IsNaN(a.score) && a.score > b.score
	})
	if best == nil {
		return nil, fmt.Errorf("every model family failed: %v", cands[0].err)
	}
	stage("calibrating", 0.85, 0.86)(0)
	threshold := func(sh *scoreHead) (float64, []float64) {
		s := scoreOf(sh, xva)
		var h []float64
		for i := range s {
			if vaKnown[i] && !vaPos[i] {
				h = append(h, s[i])
			}
		}
		if len(h) < 20 {
			// Too few healthy validation rows: calibrate on the healthy training rows.
			h = scoreOf(sh, xh)
		}
		slices.Sort(h)
		return quantile(slices.Clone(h), 1-spec.FalseAlarmRate), h
	}
	var healthyScores []float64
	p.Threshold, healthyScores = threshold(best.head.Score)
	p.Healthy = compress(healthyScores, 256)
	if best.family != FamilyZScore {
		p.Baseline = base()
		p.BaselineThreshold, _ = threshold(p.Baseline)
	}
	return &fitted{head: best.head, post: p, family: best.family, metric: "roc_auc", candidates: candidateList(cands, best, "roc_auc")}, nil
}

// pcaLayers returns, for each variance share, the reconstruction z ↦ (z−μ)·P·Pᵀ + μ through
// the top principal components P of the n×F matrix z, as two linear dense layers.
func pcaLayers(z []float32, n, F int, shares []float64) ([][]onnxrt.Dense, error) {
	mu := make([]float64, F)
	for r := 0; r < n; r++ {
		for j := 0; j < F; j++ {
			mu[j] += float64(z[r*F+j]) / float64(n)
		}
	}
	cov := mat.NewSymDense(F, nil)
	row := make([]float64, F)
	for r := 0; r < n; r++ {
		for j := 0; j < F; j++ {
			row[j] = float64(z[r*F+j]) - mu[j]
		}
		cov.SymRankOne(cov, 1/float64(n), mat.NewVecDense(F, row))
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return nil, fmt.Errorf("pca: eigendecomposition failed")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	var total float64
	for _, v := range vals {
		total += max(v, 0)
	}
	var out [][]onnxrt.Dense
	seen := map[int]bool{}
	for _, share := range shares {
		k, acc := 0, 0.0
		for i := F - 1; i >= 0 && acc < share*total; i-- {
			acc += max(vals[i], 0)
			k++
		}
		k = max(1, min(k, F-1))
		if seen[k] {
			continue
		}
		seen[k] = true
		enc := make([]float32, F*k) // F×k: column c is eigenvector F-1-c
		dec := make([]float32, k*F)
		for c := 0; c < k; c++ {
			for j := 0; j < F; j++ {
				v := float32(vecs.At(j, F-1-c))
				enc[j*k+c] = v
				dec[c*F+j] = v
			}
		}
		b1 := make([]float32, k)
		for c := 0; c < k; c++ {
			var s float64
			for j := 0; j < F; j++ {
				s += mu[j] * float64(enc[j*k+c])
			}
			b1[c] = float32(-s)
		}
		out = append(out, []onnxrt.Dense{
			{In: F, Out: k, W: enc, B: b1},
			{In: k, Out: F, W: dec, B: f32(mu)},
		})
	}
	return out, nil
}

// autoencoder trains an MLP F→h→k→h→F (tanh) to reconstruct healthy z-scores and returns its
// layers acting directly on z (its own input standardization folded into the first layer).
func autoencoder(ctx context.Context, spec *FitSpec, z []float32, n, F int, prog func(float64)) ([]onnxrt.Dense, error) {
	// Hold out every fifth healthy row for early stopping.
	var tr, va []float32
	var ytr, yva []float64
	for r := 0; r < n; r++ {
		row := z[r*F : (r+1)*F]
		if r%5 == 4 {
			va = append(va, row...)
			for _, v := range row {
				yva = append(yva, float64(v))
			}
		} else {
			tr = append(tr, row...)
			for _, v := range row {
				ytr = append(ytr, float64(v))
			}
		}
	}
	h := min(64, max(8, F))
	k := max(2, F/8)
	dh, _, err := fitDense(ctx, mlpConfig{Hidden: []int{h, k, h}, Act: onnxrt.Tanh, Epochs: spec.Epochs, Decay: 1e-4, Seed: spec.Seed},
		matrix{X: tr, N: len(tr) / F, F: F}, matrix{X: va, N: len(va) / F, F: F}, ytr, yva, F, prog)
	if err != nil {
		return nil, err
	}
	// Fold (z − mean)·scale into the first layer: W' = diag(scale)·W, b' = b − (mean·scale)·W.
	first := dh.Layers[0]
	w := make([]float32, len(first.W))
	b := make([]float32, first.Out)
	for j := 0; j < first.Out; j++ {
		s := float64(first.B[j])
		for i := 0; i < first.In; i++ {
			wij := float64(first.W[i*first.Out+j]) * float64(dh.Scale[i])
			w[i*first.Out+j] = float32(wij)
			s -= float64(dh.Mean[i]) * wij
		}
		b[j] = float32(s)
	}
	layers := slices.Clone(dh.Layers)
	layers[0].W, layers[0].B = w, b
	return layers, nil
}
