package nn

import "math"

// Adam is the Adam optimiser with L2 weight decay as torch.optim.Adam applies it (the decay
// term WeightDecay·w is added to the gradient before the moment updates; this is not AdamW).
type Adam[T Float] struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64
	// Steps counts the updates made so far (for bias correction).
	Steps int
	m, v  [][]T
}

// NewAdam returns an optimiser for params with learning rate lr and weight decay wd, and
// PyTorch's other defaults (β1 = 0.9, β2 = 0.999, ε = 1e-8).
func NewAdam[T Float](params []Param[T], lr, wd float64) *Adam[T] {
	a := &Adam[T]{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: wd}
	for _, p := range params {
		a.m = append(a.m, make([]T, len(p.Value)))
		a.v = append(a.v, make([]T, len(p.Value)))
	}
	return a
}

// Step updates every parameter from its gradient. params must be the same list, in the same
// order, as given to NewAdam.
func (a *Adam[T]) Step(params []Param[T]) {
	if len(params) != len(a.m) {
		panic("nn: Adam.Step with a different parameter list")
	}
	a.Steps++
	bc1 := 1 - math.Pow(a.Beta1, float64(a.Steps))
	bc2 := 1 - math.Pow(a.Beta2, float64(a.Steps))
	stepSize := T(a.LR / bc1)
	invSqrtBC2 := T(1 / math.Sqrt(bc2))
	b1, b2 := T(a.Beta1), T(a.Beta2)
	wd, eps := T(a.WeightDecay), T(a.Eps)
	// Elements are independent: update them in chunks on all threads.
	const chunk = 8192
	type span struct{ p, lo, hi int }
	var work []span
	for pi, p := range params {
		for lo := 0; lo < len(p.Value); lo += chunk {
			work = append(work, span{pi, lo, min(lo+chunk, len(p.Value))})
		}
	}
	Parallel(len(work), 0, func(j int) {
		sp := work[j]
		p := params[sp.p]
		w, g := p.Value[sp.lo:sp.hi], p.Grad[sp.lo:sp.hi]
		m, v := a.m[sp.p][sp.lo:sp.hi], a.v[sp.p][sp.lo:sp.hi]
		for i := range w {
			gi := g[i] + wd*w[i]
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			denom := T(math.Sqrt(float64(v[i])))*invSqrtBC2 + eps
			w[i] -= stepSize * m[i] / denom
		}
	})
}

// State returns the first and second moment estimates (for saving an optimiser; the slices
// are the optimiser's own).
func (a *Adam[T]) State() (m, v [][]T) { return a.m, a.v }
