//go:build openblas

package tvae

// OpenBLAS through cgo, side by side with the matrix multiplies the TVAE ships (backend/nn's
// float32 kernel, gonum's native Sgemm and Dgemm), at the shapes of one TVAE training step and
// at 1024³ (the machine's peak). Built only with the openblas tag, since it needs cgo and an
// installed OpenBLAS (apt install libopenblas-dev), which the product does not ship:
//
//	go test -tags openblas ./backend/tvae -run '^$' -bench BLAS -benchtime 2s

import (
	"fmt"
	"testing"

	"pdmstudio/backend/nn"
)

func randMatrix[T nn.Float](r *nn.RNG, rows, cols int) nn.Mat[T] {
	m := nn.NewMat[T](rows, cols)
	for i := range m.Data {
		m.Data[i] = T(r.NormFloat64())
	}
	return m
}

// TestOpenBLASAgrees checks the binding before the benchmark trusts it.
func TestOpenBLASAgrees(t *testing.T) {
	r := nn.NewRNG(1)
	a, b := randMatrix[float64](r, 37, 53), randMatrix[float64](r, 41, 53)
	c1, c2 := nn.NewMat[float64](37, 41), nn.NewMat[float64](37, 41)
	nn.Gemm(false, true, a, b, c1, false)
	openblasGemm(false, true, a, b, c2)
	for i := range c1.Data {
		if d := c1.Data[i] - c2.Data[i]; d > 1e-9 || d < -1e-9 {
			t.Fatalf("element %d: %v vs %v", i, c1.Data[i], c2.Data[i])
		}
	}
}

// BenchmarkBLAS: GFLOP/s (2mnk per product, per wall-clock second and per CPU second) of each
// implementation at the products of one TVAE step on the bench table (batch 500, width 158,
// hidden 128, latent 128) and at 1024³.
func BenchmarkBLAS(b *testing.B) {
	const width = 158
	shapes := []struct {
		name    string
		tA, tB  bool
		m, n, k int
	}{
		{"fwd_500x128x158", false, false, 500, 128, width},
		{"fwd_500x256x128", false, false, 500, 256, 128},
		{"dX_500x158x128_NT", false, true, 500, width, 128},
		{"dW_158x128x500_TN", true, false, width, 128, 500},
		{"big_1024x1024x1024", false, false, 1024, 1024, 1024},
	}
	for _, s := range shapes {
		r := nn.NewRNG(3)
		ar, ac := s.m, s.k
		if s.tA {
			ar, ac = s.k, s.m
		}
		br, bc := s.k, s.n
		if s.tB {
			br, bc = s.n, s.k
		}
		a32, b32, c32 := randMatrix[float32](r, ar, ac), randMatrix[float32](r, br, bc), nn.NewMat[float32](s.m, s.n)
		a64, b64, c64 := randMatrix[float64](r, ar, ac), randMatrix[float64](r, br, bc), nn.NewMat[float64](s.m, s.n)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		run := func(name string, f func()) {
			b.Run(fmt.Sprintf("%s/%s", s.name, name), func(b *testing.B) {
				cpu0 := processCPU()
				for b.Loop() {
					f()
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				b.ReportMetric(flops*float64(b.N)/(processCPU()-cpu0)/1e9, "GFLOP/cpu-s")
			})
		}
		run("f32-nn-"+nn.Kernel(), func() { nn.Gemm(s.tA, s.tB, a32, b32, c32, false) })
		run("f32-gonum", func() { nn.GonumSgemm(s.tA, s.tB, a32, b32, c32, false) })
		run("f32-openblas", func() { openblasGemm(s.tA, s.tB, a32, b32, c32) })
		run("f64-gonum", func() { nn.Gemm(s.tA, s.tB, a64, b64, c64, false) })
		run("f64-openblas", func() { openblasGemm(s.tA, s.tB, a64, b64, c64) })
	}
}
