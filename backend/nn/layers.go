package nn

import (
	"fmt"
	"math"
)

// Param is one trainable tensor, flattened: its values and the gradient of the loss with
// respect to them (same length). The optimiser reads Grad and updates Value in place.
type Param[T Float] struct {
	Name  string
	Value []T
	Grad  []T
}

// Dense is a fully connected layer y = x·W + b for a batch of row vectors: x is n×In, y n×Out.
type Dense[T Float] struct {
	In, Out int
	W       Mat[T] // In×Out weights
	B       []T    // Out biases
	GW      Mat[T] // gradient of the loss w.r.t. W (In×Out), written by Backward
	GB      []T    // gradient w.r.t. B (Out), written by Backward
}

// NewDense returns an in→out layer initialised like PyTorch's nn.Linear: weights and biases
// uniform in ±1/√in.
func NewDense[T Float](in, out int, r *RNG) *Dense[T] {
	d := &Dense[T]{In: in, Out: out, W: NewMat[T](in, out), B: make([]T, out), GW: NewMat[T](in, out), GB: make([]T, out)}
	bound := 1 / math.Sqrt(float64(in))
	FillUniform(r, d.W.Data, -bound, bound)
	FillUniform(r, d.B, -bound, bound)
	return d
}

// Params returns the layer's weights and biases with their gradients, named prefix+".w" and
// prefix+".b".
func (d *Dense[T]) Params(prefix string) []Param[T] {
	return []Param[T]{{prefix + ".w", d.W.Data, d.GW.Data}, {prefix + ".b", d.B, d.GB}}
}

// Forward computes y = x·W + b. x is n×In, y n×Out (not aliasing x).
func (d *Dense[T]) Forward(x, y Mat[T]) {
	if x.Cols != d.In || y.Cols != d.Out || x.Rows != y.Rows {
		panic(fmt.Sprintf("nn: Dense %d→%d forward with x %d×%d, y %d×%d", d.In, d.Out, x.Rows, x.Cols, y.Rows, y.Cols))
	}
	for i := 0; i < y.Rows; i++ {
		copy(y.Row(i), d.B)
	}
	Gemm(false, false, x, d.W, y, true)
}

// Backward takes the forward input x (n×In) and the gradient dy (n×Out) of the loss w.r.t. the
// output, sets GW = xᵀ·dy and GB = Σ_rows dy, and, unless dx.Data is nil, sets dx = dy·Wᵀ
// (n×In), the gradient w.r.t. the input.
func (d *Dense[T]) Backward(x, dy, dx Mat[T]) {
	Gemm(true, false, x, dy, d.GW, false)
	// Column sums, columns split between threads (each sums its rows in order).
	parallelRange(d.Out, 32, func(lo, hi int) {
		gb := d.GB[lo:hi]
		clear(gb)
		for i := 0; i < dy.Rows; i++ {
			for j, v := range dy.Row(i)[lo:hi] {
				gb[j] += v
			}
		}
	})
	if dx.Data != nil {
		Gemm(false, true, dy, d.W, dx, false)
	}
}

// ReLU sets y = max(x, 0) elementwise (y may be x).
func ReLU[T Float](x, y []T) {
	y = y[:len(x)]
	if x32, ok := as32(x); ok {
		y32, _ := as32(y)
		parallelRange(len(x32), elementGrain, func(lo, hi int) {
			for i, v := range x32[lo:hi] {
				b := math.Float32bits(v)
				y32[lo+i] = math.Float32frombits(b &^ uint32(int32(b)>>31)) // negative → +0
			}
		})
		return
	}
	for i, v := range x {
		y[i] = max(v, 0)
	}
}

// ReLUBackward sets dx = dy where the ReLU output y is positive and 0 elsewhere (dx may be dy).
func ReLUBackward[T Float](y, dy, dx []T) {
	dy = dy[:len(y)]
	dx = dx[:len(y)]
	if y32, ok := as32(y); ok {
		// Branch-free: y ≥ 0, so y > 0 exactly when its bits are not zero.
		dy32, _ := as32(dy)
		dx32, _ := as32(dx)
		parallelRange(len(y32), elementGrain, func(lo, hi int) {
			for i, v := range y32[lo:hi] {
				b := math.Float32bits(v)
				mask := -((b + 0x7fffffff) >> 31)
				dx32[lo+i] = math.Float32frombits(math.Float32bits(dy32[lo+i]) & mask)
			}
		})
		return
	}
	for i, v := range y {
		if v <= 0 {
			dx[i] = 0
		} else {
			dx[i] = dy[i]
		}
	}
}

// Tanh sets y = tanh(x) elementwise (y may be x).
func Tanh[T Float](x, y []T) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = T(math.Tanh(float64(v)))
	}
}

// TanhBackward sets dx = dy·(1 − y²), y being the tanh output (dx may be dy).
func TanhBackward[T Float](y, dy, dx []T) {
	dy = dy[:len(y)]
	dx = dx[:len(y)]
	for i, v := range y {
		dx[i] = dy[i] * (1 - v*v)
	}
}

// elementGrain is the smallest chunk elementwise functions hand to a thread.
const elementGrain = 1 << 15

// SoftmaxSpans applies Softmax to every span [starts[i], starts[i]+widths[i]) of the row x,
// writing the probabilities into the same positions of p and the log-partitions into lse
// (len(starts)). Positions of p outside the spans are left undefined (overwritten). The spans
// must be ascending and not overlap. For float32 all exponentials of the row go through one
// vectorised pass.
func SoftmaxSpans[T Float](x, p []T, starts, widths []int, lse []float64) {
	x32, ok := as32(x)
	if !ok || len(starts) == 0 {
		for i, s := range starts {
			lse[i] = Softmax(x[s:s+widths[i]], p[s:s+widths[i]])
		}
		return
	}
	p32, _ := as32(p)
	first, last := starts[0], starts[len(starts)-1]+widths[len(starts)-1]
	prev := first
	mxs := make([]float32, 0, 64)
	for i, s := range starts {
		seg := x32[s : s+widths[i]]
		clear(p32[prev:s]) // gaps between spans
		mx := seg[0]
		for _, v := range seg[1:] {
			if v > mx {
				mx = v
			}
		}
		mxs = append(mxs, mx)
		for j, v := range seg {
			p32[s+j] = v - mx
		}
		prev = s + widths[i]
	}
	expInPlace32(p32[first:last])
	for i, s := range starts {
		seg := p32[s : s+widths[i]]
		sum := float32(0)
		for _, e := range seg {
			sum += e
		}
		inv := 1 / sum
		for j := range seg {
			seg[j] *= inv
		}
		lse[i] = float64(mxs[i]) + float64(Log32(sum))
	}
}

// Softmax sets p = softmax(x) over one span of logits (p may be x) and returns log Σ exp(x),
// the log-partition, for cross-entropies. float32 uses Exp32.
func Softmax[T Float](x, p []T) float64 {
	p = p[:len(x)]
	if x32, ok := as32(x); ok {
		p32, _ := as32(p)
		mx := x32[0]
		for _, v := range x32[1:] {
			if v > mx {
				mx = v
			}
		}
		for i, v := range x32 {
			p32[i] = v - mx
		}
		expInPlace32(p32)
		s := float32(0)
		for _, e := range p32 {
			s += e
		}
		inv := 1 / s
		for i := range p32 {
			p32[i] *= inv
		}
		return float64(mx) + float64(Log32(s))
	}
	mx := math.Inf(-1)
	for _, v := range x {
		if f := float64(v); f > mx {
			mx = f
		}
	}
	s := 0.0
	for i, v := range x {
		e := math.Exp(float64(v) - mx)
		p[i] = T(e)
		s += e
	}
	inv := 1 / s
	for i := range p {
		p[i] = T(float64(p[i]) * inv)
	}
	return mx + math.Log(s)
}

// Reparameterize draws z = μ + ε·σ with σ = exp(logvar/2) for given standard-normal noise ε,
// and stores σ in std for the backward pass and KLStdNormal. All slices have the same length.
func Reparameterize[T Float](mu, logvar, eps, std, z []T) {
	n := len(mu)
	logvar, eps, std, z = logvar[:n], eps[:n], std[:n], z[:n]
	if lv32, ok := as32(logvar); ok {
		s32, _ := as32(std)
		for i, v := range lv32 {
			s32[i] = 0.5 * v
		}
		expInPlace32(s32)
	} else {
		for i, v := range logvar {
			std[i] = T(math.Exp(0.5 * float64(v)))
		}
	}
	for i := range mu {
		z[i] = mu[i] + eps[i]*std[i]
	}
}

// ReparameterizeBackward adds the gradient dz of the loss w.r.t. z to the gradients w.r.t. μ
// (dmu += dz) and logvar (dlogvar += dz·ε·σ/2).
func ReparameterizeBackward[T Float](eps, std, dz, dmu, dlogvar []T) {
	n := len(dz)
	eps, std, dmu, dlogvar = eps[:n], std[:n], dmu[:n], dlogvar[:n]
	for i, g := range dz {
		dmu[i] += g
		dlogvar[i] += g * eps[i] * std[i] * 0.5
	}
}

// KLStdNormal returns KL(N(μ, σ²) ‖ N(0, 1)) summed over all entries,
// −½ Σ (1 + logvar − μ² − σ²), given logvar and σ = exp(logvar/2) (as Reparameterize leaves
// it in std), and sets dmu = scale·μ and dlogvar = scale·(σ² − 1)/2, its gradient times scale
// (e.g. 1/batch size).
func KLStdNormal[T Float](mu, logvar, std, dmu, dlogvar []T, scale float64) float64 {
	n := len(mu)
	logvar, std, dmu, dlogvar = logvar[:n], std[:n], dmu[:n], dlogvar[:n]
	kl := T(0)
	sc := T(scale)
	for i, m := range mu {
		e := std[i] * std[i]
		kl += 1 + logvar[i] - m*m - e
		dmu[i] = sc * m
		dlogvar[i] = sc * 0.5 * (e - 1)
	}
	return -0.5 * float64(kl)
}
