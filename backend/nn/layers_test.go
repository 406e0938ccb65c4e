package nn

import (
	"math"
	"testing"
)

// tinyNet is encoder → reparameterisation → decoder with a tanh head and a softmax span, the
// shape of a TVAE, in float64 so that finite differences are exact enough to check gradients.
type tinyNet struct {
	l1, l2, l3 *Dense[float64]
	eps        []float64
	w          []float64 // weights of the scalar outputs in the loss
	target     int       // class of the softmax span
}

const (
	tnIn, tnHid, tnZ, tnOut, tnRows = 5, 7, 3, 6, 4
	tnSpan                          = 3 // the last tnSpan outputs are one softmax span
)

func newTinyNet(r *RNG) *tinyNet {
	n := &tinyNet{
		l1: NewDense[float64](tnIn, tnHid, r), l2: NewDense[float64](tnHid, 2*tnZ, r),
		l3: NewDense[float64](tnZ, tnOut, r), eps: make([]float64, tnRows*tnZ), w: make([]float64, tnOut-tnSpan), target: 1,
	}
	FillNormal(r, n.eps)
	FillNormal(r, n.w)
	return n
}

// loss runs forward and, when backward, fills every gradient, including dx for the input.
func (n *tinyNet) loss(x Mat[float64], backward bool, dx Mat[float64]) float64 {
	h := NewMat[float64](tnRows, tnHid)
	n.l1.Forward(x, h)
	ReLU(h.Data, h.Data)
	ml := NewMat[float64](tnRows, 2*tnZ)
	n.l2.Forward(h, ml)
	mu, lv := NewMat[float64](tnRows, tnZ), NewMat[float64](tnRows, tnZ)
	mu.CopyFrom(ml.ColSlice(0, tnZ))
	lv.CopyFrom(ml.ColSlice(tnZ, 2*tnZ))
	std, z := NewMat[float64](tnRows, tnZ), NewMat[float64](tnRows, tnZ)
	Reparameterize(mu.Data, lv.Data, n.eps, std.Data, z.Data)
	out := NewMat[float64](tnRows, tnOut)
	n.l3.Forward(z, out)
	dout := NewMat[float64](tnRows, tnOut)
	loss := 0.0
	ns := tnOut - tnSpan
	p := make([]float64, tnSpan)
	for i := 0; i < tnRows; i++ {
		row := out.Row(i)
		for j := 0; j < ns; j++ {
			y := math.Tanh(row[j])
			loss += n.w[j] * y * y
			dout.Set(i, j, n.w[j]*2*y*(1-y*y))
		}
		lse := Softmax(row[ns:], p)
		loss += lse - row[ns+n.target]
		for j := range p {
			g := p[j]
			if j == n.target {
				g--
			}
			dout.Set(i, ns+j, g)
		}
	}
	dmu, dlv := NewMat[float64](tnRows, tnZ), NewMat[float64](tnRows, tnZ)
	loss += KLStdNormal(mu.Data, lv.Data, std.Data, dmu.Data, dlv.Data, 1)
	if !backward {
		return loss
	}
	dz := NewMat[float64](tnRows, tnZ)
	n.l3.Backward(z, dout, dz)
	ReparameterizeBackward(n.eps, std.Data, dz.Data, dmu.Data, dlv.Data)
	dml := NewMat[float64](tnRows, 2*tnZ)
	dml.ColSlice(0, tnZ).CopyFrom(dmu)
	dml.ColSlice(tnZ, 2*tnZ).CopyFrom(dlv)
	dh := NewMat[float64](tnRows, tnHid)
	n.l2.Backward(h, dml, dh)
	ReLUBackward(h.Data, dh.Data, dh.Data)
	n.l1.Backward(x, dh, dx)
	return loss
}

func TestGradientCheck(t *testing.T) {
	r := NewRNG(7)
	n := newTinyNet(r)
	x := NewMat[float64](tnRows, tnIn)
	FillNormal(r, x.Data)
	dx := NewMat[float64](tnRows, tnIn)
	n.loss(x, true, dx)
	params := append(append(n.l1.Params("l1"), n.l2.Params("l2")...), n.l3.Params("l3")...)
	params = append(params, Param[float64]{"x", x.Data, dx.Data})
	const h = 1e-6
	for _, p := range params {
		grad := append([]float64(nil), p.Grad...)
		for i := range p.Value {
			old := p.Value[i]
			p.Value[i] = old + h
			lp := n.loss(x, false, Mat[float64]{})
			p.Value[i] = old - h
			lm := n.loss(x, false, Mat[float64]{})
			p.Value[i] = old
			num := (lp - lm) / (2 * h)
			if d := math.Abs(num - grad[i]); d > 1e-6*(1+math.Abs(num)) {
				t.Errorf("%s[%d]: analytic %.9g, numeric %.9g", p.Name, i, grad[i], num)
			}
		}
	}
}

func TestTanhBackward(t *testing.T) {
	x := []float64{-2, -0.3, 0, 0.5, 3}
	y := make([]float64, len(x))
	Tanh(x, y)
	dy := []float64{1, 1, 1, 1, 1}
	dx := make([]float64, len(x))
	TanhBackward(y, dy, dx)
	for i, v := range x {
		num := (math.Tanh(v+1e-6) - math.Tanh(v-1e-6)) / 2e-6
		if math.Abs(num-dx[i]) > 1e-8 {
			t.Errorf("x=%v: %v vs %v", v, dx[i], num)
		}
	}
}

// TestAdamMatchesTorch checks one step against torch.optim.Adam(lr=0.01, weight_decay=0.1) on
// w = 1, grad = 0.5: g' = 0.6, m = 0.06, v = 3.6e-4, w ← 1 − (0.01/0.1)·0.06/(0.6+1e-8).
func TestAdamMatchesTorch(t *testing.T) {
	w, g := []float64{1}, []float64{0.5}
	ps := []Param[float64]{{"w", w, g}}
	a := NewAdam(ps, 0.01, 0.1)
	a.Step(ps)
	want := 1 - 0.1*0.06/(0.6+1e-8)
	if math.Abs(w[0]-want) > 1e-12 {
		t.Fatalf("w = %.15g, want %.15g", w[0], want)
	}
}

func TestRNG(t *testing.T) {
	a, b := NewRNG(42), NewRNG(42)
	for range 1000 {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same seed, different streams")
		}
	}
	if NewRNG(1).Uint64() == NewRNG(2).Uint64() {
		t.Fatal("different seeds, same first value")
	}
	r := NewRNG(3)
	const n = 200000
	s, s2 := 0.0, 0.0
	for range n {
		v := r.NormFloat64()
		s += v
		s2 += v * v
	}
	if mean, vr := s/n, s2/n-(s/n)*(s/n); math.Abs(mean) > 0.01 || math.Abs(vr-1) > 0.02 {
		t.Fatalf("normal mean %v var %v", mean, vr)
	}
	counts := make([]int, 7)
	for range 70000 {
		counts[r.IntN(7)]++
	}
	for i, c := range counts {
		if c < 9500 || c > 10500 {
			t.Fatalf("IntN(7): value %d drawn %d times of 70000", i, c)
		}
	}
	perm := r.Perm(make([]int, 50))
	seen := make([]bool, 50)
	for _, v := range perm {
		seen[v] = true
	}
	for i, ok := range seen {
		if !ok {
			t.Fatalf("Perm misses %d", i)
		}
	}
	// A golden value pins the algorithm: a change would silently change every trained model.
	if got := NewRNG(0).Uint64(); got != goldenFirst {
		t.Fatalf("NewRNG(0).Uint64() = %#x, want %#x", got, goldenFirst)
	}
}

func TestExp32(t *testing.T) {
	worst := 0.0
	for x := -87.0; x <= 88.5; x += 0.0137 {
		want := math.Exp(float64(float32(x)))
		got := float64(Exp32(float32(x)))
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
		}
	}
	if worst > 2e-7 {
		t.Fatalf("Exp32 relative error %.3g", worst)
	}
	if Exp32(-100) != 0 || !math.IsInf(float64(Exp32(100)), 1) || Exp32(0) != 1 {
		t.Fatal("Exp32 limits")
	}
}

func TestReLUBackward32(t *testing.T) {
	y := []float32{0, 1.5, 0, 2, 1e-30}
	dy := []float32{3, 4, -5, -6, 7}
	dx := make([]float32, 5)
	ReLUBackward(y, dy, dx)
	want := []float32{0, 4, 0, -6, 7}
	for i := range want {
		if dx[i] != want[i] {
			t.Fatalf("dx = %v, want %v", dx, want)
		}
	}
}

// TestNormalTails checks the ziggurat against the normal's tail probabilities.
func TestNormalTails(t *testing.T) {
	r := NewRNG(9)
	const n = 1_000_000
	var over1, over2, over3, over35 int
	for range n {
		v := math.Abs(r.NormFloat64())
		if v > 1 {
			over1++
		}
		if v > 2 {
			over2++
		}
		if v > 3 {
			over3++
		}
		if v > 3.5 {
			over35++
		}
	}
	for _, c := range []struct {
		got  int
		want float64
	}{{over1, 0.317311}, {over2, 0.0455003}, {over3, 0.0026998}, {over35, 0.000465}} {
		sd := math.Sqrt(c.want * (1 - c.want) * n)
		if math.Abs(float64(c.got)-c.want*n) > 5*sd {
			t.Errorf("tail count %d, want %.0f ± %.0f", c.got, c.want*n, sd)
		}
	}
}

func TestLog32AndExpSlice(t *testing.T) {
	worst := 0.0
	for x := 1e-30; x < 1e30; x *= 1.013 {
		got, want := float64(Log32(float32(x))), math.Log(float64(float32(x)))
		if d := math.Abs(got - want); d > 1e-6*math.Max(1, math.Abs(want)) {
			worst = math.Max(worst, d)
		}
	}
	if worst > 0 {
		t.Fatalf("Log32 error %.3g", worst)
	}
	xs := []float32{0, -0.5, -1, -10, -50, -87, -88, -100, 0.7, 3}
	ys := append([]float32(nil), xs...)
	expInPlace32(ys)
	for i, x := range xs {
		if want := Exp32(x); math.Abs(float64(ys[i]-want)) > 1e-7*float64(want)+1.2e-38 {
			t.Errorf("exp(%v): %v vs Exp32 %v", x, ys[i], want)
		}
	}
	r := []float32{-3, 0, 2.5, -0.0}
	ReLU(r, r)
	if r[0] != 0 || r[1] != 0 || r[2] != 2.5 || math.Signbit(float64(r[3])) {
		t.Errorf("ReLU: %v", r)
	}
}

func TestExpVector(t *testing.T) {
	xs := make([]float32, 0, 4099)
	for x := float32(-90); x < 89; x += 0.0437 {
		xs = append(xs, x)
	}
	ys := append([]float32(nil), xs...)
	expInPlace32(ys)
	for i, x := range xs {
		want := math.Exp(float64(x))
		if x < -87.3 {
			if ys[i] > 1.2e-38 {
				t.Fatalf("exp(%v) = %v, want ~0", x, ys[i])
			}
			continue
		}
		if x > 88.37 {
			continue
		}
		if rel := math.Abs(float64(ys[i])-want) / want; rel > 3e-7 {
			t.Fatalf("exp(%v) = %v, want %v (rel %.3g)", x, ys[i], want, rel)
		}
	}
}

// TestSoftmaxSpans32 compares the vectorised float32 path with the float64 one.
func TestSoftmaxSpans32(t *testing.T) {
	r := NewRNG(3)
	starts, widths := []int{1, 4, 9, 10, 30}, []int{3, 5, 1, 17, 2}
	x64 := make([]float64, 33)
	FillNormal(r, x64)
	for i := range x64 {
		x64[i] *= 5
	}
	x32 := make([]float32, len(x64))
	for i, v := range x64 {
		x32[i] = float32(v)
	}
	p64, p32 := make([]float64, len(x64)), make([]float32, len(x64))
	l64, l32 := make([]float64, len(starts)), make([]float64, len(starts))
	SoftmaxSpans(x64, p64, starts, widths, l64)
	SoftmaxSpans(x32, p32, starts, widths, l32)
	for i, s := range starts {
		if math.Abs(l64[i]-l32[i]) > 1e-5*(1+math.Abs(l64[i])) {
			t.Errorf("span %d: lse %v vs %v", i, l32[i], l64[i])
		}
		sum := 0.0
		for j := s; j < s+widths[i]; j++ {
			sum += float64(p32[j])
			if math.Abs(float64(p32[j])-p64[j]) > 1e-6 {
				t.Errorf("p[%d] = %v, want %v", j, p32[j], p64[j])
			}
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("span %d sums to %v", i, sum)
		}
	}
}
