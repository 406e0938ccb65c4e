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
	clear(d.GB)
	for i := 0; i < dy.Rows; i++ {
		for j, v := range dy.Row(i) {
			d.GB[j] += v
		}
	}
	if dx.Data != nil {
		Gemm(false, true, dy, d.W, dx, false)
	}
}

// ReLU sets y = max(x, 0) elementwise (y may be x).
func ReLU[T Float](x, y []T) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = max(v, 0)
	}
}

// ReLUBackward sets dx = dy where the ReLU output y is positive and 0 elsewhere (dx may be dy).
func ReLUBackward[T Float](y, dy, dx []T) {
	dy = dy[:len(y)]
	dx = dx[:len(y)]
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

// Softmax sets p = softmax(x) over one span of logits (p may be x) and returns log Σ exp(x),
// the log-partition, for cross-entropies.
func Softmax[T Float](x, p []T) float64 {
	p = p[:len(x)]
	mx := math.Inf(-1)
	for _, v := range x {
		mx = math.Max(mx, float64(v))
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
// and stores σ in std for the backward pass. All slices have the same length.
func Reparameterize[T Float](mu, logvar, eps, std, z []T) {
	n := len(mu)
	logvar, eps, std, z = logvar[:n], eps[:n], std[:n], z[:n]
	for i := range mu {
		s := T(math.Exp(0.5 * float64(logvar[i])))
		std[i] = s
		z[i] = mu[i] + eps[i]*s
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

// KLStdNormal returns KL(N(μ, e^logvar) ‖ N(0, 1)) summed over all entries,
// −½ Σ (1 + logvar − μ² − e^logvar), and sets dmu = scale·μ and dlogvar = scale·(e^logvar − 1)/2,
// its gradient times scale (e.g. 1/batch size).
func KLStdNormal[T Float](mu, logvar, dmu, dlogvar []T, scale float64) float64 {
	n := len(mu)
	logvar, dmu, dlogvar = logvar[:n], dmu[:n], dlogvar[:n]
	kl := 0.0
	for i, m := range mu {
		lv := float64(logvar[i])
		e := math.Exp(lv)
		kl += 1 + lv - float64(m)*float64(m) - e
		dmu[i] = T(scale * float64(m))
		dlogvar[i] = T(scale * 0.5 * (e - 1))
	}
	return -0.5 * kl
}
