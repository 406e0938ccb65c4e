package gbt

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// synth returns n rows of f features and targets from fn.
func synth(n, f int, seed uint64, fn func(x []float32) []float64) (*Data, int) {
	r := rand.New(rand.NewPCG(seed, 1))
	d := &Data{N: n, F: f, X: make([]float32, n*f)}
	k := 0
	for i := 0; i < n; i++ {
		row := d.X[i*f : (i+1)*f]
		for j := range row {
			row[j] = float32(r.NormFloat64())
		}
		y := fn(row)
		k = len(y)
		d.Y = append(d.Y, y...)
	}
	return d, k
}

func TestFit(t *testing.T) {
	reg := func(x []float32) []float64 {
		return []float64{math.Sin(float64(x[0])) + 0.5*float64(x[1]*x[2]), float64(x[3]) * 2}
	}
	cls := func(x []float32) []float64 {
		switch {
		case x[0] > 0.5:
			return []float64{2}
		case x[1] > 0:
			return []float64{1}
		}
		return []float64{0}
	}
	wide := func(x []float32) []float64 {
		out := make([]float64, 12)
		for k := range out {
			out[k] = float64(x[k%4]) * float64(k+1) / 6
		}
		return out
	}
	cases := []struct {
		name    string
		loss    Loss
		fn      func([]float32) []float64
		classes int
		maxLoss float64
	}{
		{"l2-two-targets", L2, reg, 0, 0.15},
		{"softmax-three-classes", Softmax, cls, 3, 0.15},
		{"l2-sketched-12-targets", L2, wide, 0, 0.1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr, k := synth(3000, 6, 1, tc.fn)
			va, _ := synth(1000, 6, 2, tc.fn)
			if tc.classes > 0 {
				k = tc.classes
			}
			m, err := Fit(context.Background(), Params{Loss: tc.loss, Outputs: k, Rounds: 150, Seed: 3}, tr, va, nil)
			if err != nil {
				t.Fatal(err)
			}
			best := m.ValidLoss[len(m.Trees)-1]
			if best > tc.maxLoss {
				t.Errorf("validation loss %.4f > %.4f after %d trees", best, tc.maxLoss, len(m.Trees))
			}
			// The ONNX ensemble evaluated in Go gives the same scores as Raw (after softmax).
			te := m.Ensemble()
			got, err := te.Predict(va.X, va.N)
			if err != nil {
				t.Fatal(err)
			}
			raw := m.Raw(va.X, va.N)
			p := make([]float64, k)
			for r := 0; r < va.N; r++ {
				want := raw[r*k : (r+1)*k]
				if tc.loss == Softmax {
					softmaxInto(want, p)
					want = p
				}
				for j := range want {
					if d := math.Abs(float64(got[r*k+j]) - want[j]); d > 1e-5 {
						t.Fatalf("row %d output %d: ensemble %v, raw %v", r, j, got[r*k+j], want[j])
					}
				}
			}
			if err := te.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFitCancel(t *testing.T) {
	tr, _ := synth(500, 3, 1, func(x []float32) []float64 { return []float64{float64(x[0])} })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, Params{Loss: L2, Outputs: 1}, tr, nil, nil); err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
