package tvae

import (
	"math"
	"testing"

	"pdmstudio/backend/nn"
)

func TestDigamma(t *testing.T) {
	// ψ(1) = −γ, ψ(0.5) = −γ − 2 ln 2, ψ(10) = H_9 − γ.
	const gamma = 0.5772156649015329
	h9 := 0.0
	for i := 1; i <= 9; i++ {
		h9 += 1 / float64(i)
	}
	for _, c := range []struct{ x, want float64 }{{1, -gamma}, {0.5, -gamma - 2*math.Ln2}, {10, h9 - gamma}} {
		if got := digamma(c.x); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("digamma(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// TestMixtureFindsModes fits a bimodal column (N(0,1) 30 %, N(10, 0.5²) 70 %) and expects the
// valid components to sit on the two modes with about the right weights.
func TestMixtureFindsModes(t *testing.T) {
	r := nn.NewRNG(1)
	x := make([]float64, 5000)
	for i := range x {
		if r.Float64() < 0.3 {
			x[i] = r.NormFloat64()
		} else {
			x[i] = 10 + 0.5*r.NormFloat64()
		}
	}
	g := fitMixture(x, nn.NewRNG(2))
	var w0, w10 float64
	valid := 0
	for j, w := range g.weights {
		if w <= bgmThreshold {
			continue
		}
		valid++
		t.Logf("mode %d: weight %.3f mean %.3f std %.3f", j, w, g.means[j], g.stds[j])
		switch {
		case math.Abs(g.means[j]) < 1.5 && g.stds[j] < 1.6:
			w0 += w
		case math.Abs(g.means[j]-10) < 1 && g.stds[j] < 0.8:
			w10 += w
		default:
			t.Errorf("component %d (mean %v, std %v) sits on neither mode", j, g.means[j], g.stds[j])
		}
	}
	t.Logf("valid modes %d after %d iterations", valid, g.iters)
	if math.Abs(w0-0.3) > 0.03 || math.Abs(w10-0.7) > 0.03 {
		t.Fatalf("weights %v on the mode at 0, %v on the mode at 10; want 0.3 and 0.7", w0, w10)
	}
}
