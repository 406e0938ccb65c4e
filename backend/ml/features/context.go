package features

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"pdmstudio/backend/datasets"
)

// ctxFeatures lists the categorical features (one-hots and shares), in order.
func (p *Pipeline) ctxFeatures() []int {
	var out []int
	for _, in := range p.Inputs {
		if in.Kind != Categorical {
			continue
		}
		n := in.Count
		if in.Missing {
			n--
		}
		for j := 0; j < n; j++ {
			out = append(out, in.First+j)
		}
	}
	return out
}

// fitContext fits the context models on the training table: for every numeric input with
// context slots, ridge regressions of its last (and mean) feature on the categorical features.
func (p *Pipeline) fitContext(t *datasets.Table) error {
	p.Context = nil
	ctxf := p.ctxFeatures()
	var targets [][2]int
	for _, in := range p.Inputs {
		if in.Ctx == 0 {
			continue
		}
		res := in.First + in.Count - in.Ctx - in.devN()
		targets = append(targets, [2]int{in.First, res})
		if in.Ctx == 2 {
			targets = append(targets, [2]int{in.First + 1, res + 1})
		}
	}
	if len(targets) == 0 || len(ctxf) == 0 {
		return nil
	}
	f, err := p.Transform(t, nil, false)
	if err != nil {
		return err
	}
	C := len(ctxf)
	n := f.N
	// Normal equations with an intercept column: A = XᵀX + λI, b = Xᵀy.
	a := mat.NewSymDense(C+1, nil)
	row := make([]float64, C+1)
	for r := 0; r < n; r++ {
		x := f.Row(r)
		for j, c := range ctxf {
			row[j] = float64(x[c])
		}
		row[C] = 1
		a.SymRankOne(a, 1, mat.NewVecDense(C+1, row))
	}
	lambda := 1e-3 * float64(n)
	for j := 0; j < C; j++ {
		a.SetSym(j, j, a.At(j, j)+lambda)
	}
	a.SetSym(C, C, a.At(C, C)+1e-9*float64(n))
	var ch mat.Cholesky
	if !ch.Factorize(a) {
		return fmt.Errorf("context model: singular system")
	}
	b := mat.NewDense(C+1, len(targets), nil)
	for r := 0; r < n; r++ {
		x := f.Row(r)
		for k, tg := range targets {
			y := float64(x[tg[0]])
			for j, c := range ctxf {
				b.Set(j, k, b.At(j, k)+float64(x[c])*y)
			}
			b.Set(C, k, b.At(C, k)+y)
		}
	}
	var coef mat.Dense
	if err := ch.SolveTo(&coef, b); err != nil {
		return fmt.Errorf("context model: %w", err)
	}
	for k, tg := range targets {
		cm := ContextModel{Feature: tg[0], Residual: tg[1], Coef: make([]float64, C), Intercept: coef.At(C, k)}
		for j := 0; j < C; j++ {
			cm.Coef[j] = coef.At(j, k)
		}
		p.Context = append(p.Context, cm)
	}
	return nil
}
