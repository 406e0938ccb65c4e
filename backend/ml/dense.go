package ml

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"pdmstudio/backend/onnxrt"
)

// matrix is a block of feature vectors: N×F float32, row-major.
type matrix struct {
	X    []float32
	N, F int
}

func (m matrix) row(r int) []float32 { return m.X[r*m.F : (r+1)*m.F] }

// subset returns the rows idx of m (copied).
func (m matrix) subset(idx []int) matrix {
	out := matrix{X: make([]float32, len(idx)*m.F), N: len(idx), F: m.F}
	for i, r := range idx {
		copy(out.X[i*m.F:(i+1)*m.F], m.row(r))
	}
	return out
}

// standardizer returns per-feature mean and scale (1/std; 1 for constant features) of m.
func standardizer(m matrix) (mean, scale []float32) {
	mean = make([]float32, m.F)
	scale = make([]float32, m.F)
	for j := 0; j < m.F; j++ {
		var s, ss float64
		for r := 0; r < m.N; r++ {
			s += float64(m.X[r*m.F+j])
		}
		mu := s / float64(max(m.N, 1))
		for r := 0; r < m.N; r++ {
			d := float64(m.X[r*m.F+j]) - mu
			ss += d * d
		}
		sd := math.Sqrt(ss / float64(max(m.N, 1)))
		mean[j] = float32(mu)
		scale[j] = 1
		if sd > 1e-9*(1+math.Abs(mu)) {
			scale[j] = float32(1 / sd)
		}
	}
	return mean, scale
}

// zmat returns the standardized features as float64 (computed as the ONNX graph does).
func zmat(m matrix, mean, scale []float32) []float64 {
	z := standardize(m.X, mean, scale)
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = float64(v)
	}
	return out
}

// mlpConfig configures fitDense.
type mlpConfig struct {
	Hidden []int             // hidden layer sizes; none gives a linear (logistic) model
	Act    onnxrt.Activation // hidden activation: ReLU or Tanh
	// Softmax makes a classifier over K classes (targets are class indices); otherwise the
	// loss is the mean squared error over K targets (NaN targets are ignored).
	Softmax bool
	// L1 trains for the absolute error (the median) instead of the squared error.
	L1       bool
	Epochs   int
	Batch    int
	LR       float64
	Decay    float64 // decoupled weight decay (AdamW)
	Patience int     // epochs without a better validation loss before stopping
	Seed     uint64
}

type layer64 struct {
	in, out        int
	act            onnxrt.Activation
	W, b           []float64
	gW, gb         []float64
	mW, vW, mb, vb []float64
}

// fitDense trains an MLP with Adam on standardized features and returns it as a dense head
// (standardization included) with its best validation loss. K is the number of outputs.
func fitDense(ctx context.Context, cfg mlpConfig, tr, va matrix, ytr, yva []float64, K int, progress func(frac float64)) (*denseHead, float64, error) {
	if cfg.Batch == 0 {
		cfg.Batch = 128
	}
	if cfg.LR == 0 {
		cfg.LR = 1e-3
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 60
	}
	if cfg.Patience == 0 {
		cfg.Patience = 8
	}
	mean, scale := standardizer(tr)
	ztr := zmat(tr, mean, scale)
	zva := zmat(va, mean, scale)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	sizes := append(append([]int{tr.F}, cfg.Hidden...), K)
	layers := make([]*layer64, len(sizes)-1)
	for i := range layers {
		l := &layer64{in: sizes[i], out: sizes[i+1], act: cfg.Act}
		if i == len(layers)-1 {
			l.act = onnxrt.Linear
		}
		l.W = make([]float64, l.in*l.out)
		std := math.Sqrt(2 / float64(l.in))
		if l.act != onnxrt.ReLU {
			std = math.Sqrt(1 / float64(l.in))
		}
		for j := range l.W {
			l.W[j] = rng.NormFloat64() * std
		}
		l.b = make([]float64, l.out)
		l.gW, l.gb = make([]float64, len(l.W)), make([]float64, l.out)
		l.mW, l.vW = make([]float64, len(l.W)), make([]float64, len(l.W))
		l.mb, l.vb = make([]float64, l.out), make([]float64, l.out)
		layers[i] = l
	}
	if !cfg.Softmax {
		// Start the output at the target mean (targets are standardized, so about 0).
		last := layers[len(layers)-1]
		for j := range last.W {
			last.W[j] *= 0.1
		}
	}
	bestLoss := math.Inf(1)
	best := snapshot(layers)
	bad := 0
	perm := make([]int, tr.N)
	for i := range perm {
		perm[i] = i
	}
	step := 0
	bx := make([]float64, cfg.Batch*tr.F)
	by := make([]float64, cfg.Batch*K)
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for start := 0; start < tr.N; start += cfg.Batch {
			end := min(start+cfg.Batch, tr.N)
			b := end - start
			for i := 0; i < b; i++ {
				r := perm[start+i]
				copy(bx[i*tr.F:(i+1)*tr.F], ztr[r*tr.F:(r+1)*tr.F])
				if cfg.Softmax {
					by[i] = ytr[r]
				} else {
					copy(by[i*K:(i+1)*K], ytr[r*K:(r+1)*K])
				}
			}
			acts := forward64(layers, bx[:b*tr.F], b)
			delta := outputGrad(acts[len(acts)-1], by, b, K, cfg.Softmax, cfg.L1)
			backward64(layers, acts, delta, b)
			step++
			adam(layers, cfg.LR, cfg.Decay, step)
		}
		vl := denseLoss(layers, zva, yva, va.N, va.F, K, cfg.Softmax, cfg.L1)
		if vl < bestLoss-1e-9 {
			bestLoss, best, bad = vl, snapshot(layers), 0
		} else if bad++; bad >= cfg.Patience {
			break
		}
		if progress != nil {
			progress(float64(epoch+1) / float64(cfg.Epochs))
		}
	}
	if math.IsInf(bestLoss, 1) || math.IsNaN(bestLoss) {
		return nil, 0, fmt.Errorf("mlp training diverged")
	}
	h := &denseHead{Mean: mean, Scale: scale}
	for i, l := range best {
		d := onnxrt.Dense{In: l.in, Out: l.out, W: f32(l.W), B: f32(l.b), Activation: l.act}
		if i == len(best)-1 && cfg.Softmax {
			d.Activation = onnxrt.Softmax
		}
		h.Layers = append(h.Layers, d)
	}
	return h, bestLoss, nil
}

func f32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func snapshot(layers []*layer64) []layer64 {
	out := make([]layer64, len(layers))
	for i, l := range layers {
		out[i] = layer64{in: l.in, out: l.out, act: l.act, W: slices.Clone(l.W), b: slices.Clone(l.b)}
	}
	return out
}

// forward64 returns the activations of every layer (acts[0] = x, acts[len] = output).
func forward64(layers []*layer64, x []float64, n int) [][]float64 {
	acts := [][]float64{x}
	cur := x
	for _, l := range layers {
		out := make([]float64, n*l.out)
		for r := 0; r < n; r++ {
			copy(out[r*l.out:(r+1)*l.out], l.b)
		}
		blas64.Implementation().Dgemm(blas.NoTrans, blas.NoTrans, n, l.out, l.in, 1, cur, l.in, l.W, l.out, 1, out, l.out)
		switch l.act {
		case onnxrt.ReLU:
			for i, v := range out {
				if v < 0 {
					out[i] = 0
				}
			}
		case onnxrt.Tanh:
			for i, v := range out {
				out[i] = math.Tanh(v)
			}
		}
		acts = append(acts, out)
		cur = out
	}
	return acts
}

// outputGrad is dLoss/dOutput for a batch: softmax cross-entropy on logits, or the mean
// squared error over present targets.
func outputGrad(out, y []float64, n, K int, softmax, l1 bool) []float64 {
	d := make([]float64, n*K)
	if softmax {
		p := make([]float64, K)
		for r := 0; r < n; r++ {
			softmaxTo(out[r*K:(r+1)*K], p)
			for k := range p {
				d[r*K+k] = p[k] / float64(n)
			}
			d[r*K+int(y[r])] -= 1 / float64(n)
		}
		return d
	}
	cnt := 0
	for i := 0; i < n*K; i++ {
		if !math.IsNaN(y[i]) {
			cnt++
		}
	}
	if cnt == 0 {
		return d
	}
	for i := 0; i < n*K; i++ {
		if math.IsNaN(y[i]) {
			continue
		}
		e := out[i] - y[i]
		if l1 {
			d[i] = math.Copysign(1, e) / float64(cnt)
			if e == 0 {
				d[i] = 0
			}
			continue
		}
		d[i] = 2 * e / float64(cnt)
	}
	return d
}

func backward64(layers []*layer64, acts [][]float64, delta []float64, n int) {
	impl := blas64.Implementation()
	for li := len(layers) - 1; li >= 0; li-- {
		l := layers[li]
		in := acts[li]
		impl.Dgemm(blas.Trans, blas.NoTrans, l.in, l.out, n, 1, in, l.in, delta, l.out, 0, l.gW, l.out)
		clear(l.gb)
		for r := 0; r < n; r++ {
			for j := 0; j < l.out; j++ {
				l.gb[j] += delta[r*l.out+j]
			}
		}
		if li == 0 {
			break
		}
		prev := make([]float64, n*l.in)
		impl.Dgemm(blas.NoTrans, blas.Trans, n, l.in, l.out, 1, delta, l.out, l.W, l.out, 0, prev, l.in)
		switch layers[li-1].act {
		case onnxrt.ReLU:
			for i, a := range in {
				if a <= 0 {
					prev[i] = 0
				}
			}
		case onnxrt.Tanh:
			for i, a := range in {
				prev[i] *= 1 - a*a
			}
		}
		delta = prev
	}
}

func adam(layers []*layer64, lr, decay float64, step int) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	c1 := 1 - math.Pow(b1, float64(step))
	c2 := 1 - math.Pow(b2, float64(step))
	upd := func(w, g, m, v []float64, wd float64) {
		for i := range w {
			m[i] = b1*m[i] + (1-b1)*g[i]
			v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
			w[i] -= lr * ((m[i]/c1)/(math.Sqrt(v[i]/c2)+eps) + wd*w[i])
		}
	}
	for _, l := range layers {
		upd(l.W, l.gW, l.mW, l.vW, decay)
		upd(l.b, l.gb, l.mb, l.vb, 0)
	}
}

// denseLoss is the mean loss over a data set (log loss or MSE over present targets).
func denseLoss(layers []*layer64, z, y []float64, n, f, K int, softmax, l1 bool) float64 {
	var s float64
	cnt := 0
	p := make([]float64, K)
	for start := 0; start < n; start += 1024 {
		end := min(start+1024, n)
		b := end - start
		acts := forward64(layers, z[start*f:end*f], b)
		out := acts[len(acts)-1]
		for r := 0; r < b; r++ {
			if softmax {
				softmaxTo(out[r*K:(r+1)*K], p)
				s -= math.Log(max(p[int(y[start+r])], 1e-15))
				cnt++
				continue
			}
			for k := 0; k < K; k++ {
				if t := y[(start+r)*K+k]; !math.IsNaN(t) {
					e := out[r*K+k] - t
					if l1 {
						s += math.Abs(e)
					} else {
						s += e * e
					}
					cnt++
				}
			}
		}
	}
	if cnt == 0 {
		return 0
	}
	return s / float64(cnt)
}

func softmaxTo(z, p []float64) {
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

// fitRidge fits a linear least-squares model of the K targets y (N×K, no NaN) on the
// standardized features, choosing the ridge penalty on the validation data, and returns it as
// a dense head with its validation mean squared error.
func fitRidge(tr, va matrix, ytr, yva []float64, K int) (*denseHead, float64, error) {
	mean, scale := standardizer(tr)
	z := zmat(tr, mean, scale)
	F, n := tr.F, tr.N
	zm := make([]float64, F)
	for r := 0; r < n; r++ {
		for j := 0; j < F; j++ {
			zm[j] += z[r*F+j] / float64(n)
		}
	}
	ym := make([]float64, K)
	for r := 0; r < n; r++ {
		for k := 0; k < K; k++ {
			ym[k] += ytr[r*K+k] / float64(n)
		}
	}
	zc := make([]float64, len(z))
	for r := 0; r < n; r++ {
		for j := 0; j < F; j++ {
			zc[r*F+j] = z[r*F+j] - zm[j]
		}
	}
	yc := make([]float64, n*K)
	for r := 0; r < n; r++ {
		for k := 0; k < K; k++ {
			yc[r*K+k] = ytr[r*K+k] - ym[k]
		}
	}
	impl := blas64.Implementation()
	ztz := make([]float64, F*F)
	impl.Dgemm(blas.Trans, blas.NoTrans, F, F, n, 1, zc, F, zc, F, 0, ztz, F)
	zty := make([]float64, F*K)
	impl.Dgemm(blas.Trans, blas.NoTrans, F, K, n, 1, zc, F, yc, K, 0, zty, K)
	zva := zmat(va, mean, scale)
	var best *denseHead
	bestLoss := math.Inf(1)
	for _, lam := range []float64{1e-3, 1e-2, 1e-1, 1, 10} {
		a := mat.NewSymDense(F, nil)
		for i := 0; i < F; i++ {
			for j := i; j < F; j++ {
				v := ztz[i*F+j]
				if i == j {
					v += lam * float64(n)
				}
				a.SetSym(i, j, v)
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(a) {
			continue
		}
		var beta mat.Dense
		if err := ch.SolveTo(&beta, mat.NewDense(F, K, slices.Clone(zty))); err != nil {
			continue
		}
		w := make([]float64, F*K)
		b := slices.Clone(ym)
		for j := 0; j < F; j++ {
			for k := 0; k < K; k++ {
				w[j*K+k] = beta.At(j, k)
				b[k] -= zm[j] * beta.At(j, k)
			}
		}
		// Validation MSE.
		var s float64
		for r := 0; r < va.N; r++ {
			for k := 0; k < K; k++ {
				p := b[k]
				for j := 0; j < F; j++ {
					p += zva[r*F+j] * w[j*K+k]
				}
				e := p - yva[r*K+k]
				s += e * e
			}
		}
		loss := s / float64(max(va.N*K, 1))
		if loss < bestLoss {
			bestLoss = loss
			best = &denseHead{Mean: mean, Scale: scale, Layers: []onnxrt.Dense{{In: F, Out: K, W: f32(w), B: f32(b)}}}
		}
	}
	if best == nil {
		return nil, 0, fmt.Errorf("ridge regression: the system could not be solved")
	}
	return best, bestLoss, nil
}
