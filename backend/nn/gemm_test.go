package nn

import (
	"fmt"
	"math"
	"testing"
)

func naiveGemm(transA, transB bool, a, b Mat[float64], m, n, k int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for kk := 0; kk < k; kk++ {
				var av, bv float64
				if transA {
					av = a.At(kk, i)
				} else {
					av = a.At(i, kk)
				}
				if transB {
					bv = b.At(j, kk)
				} else {
					bv = b.At(kk, j)
				}
				s += av * bv
			}
			out[i*n+j] = s
		}
	}
	return out
}

func randMat[T Float](r *RNG, rows, cols, stride int) Mat[T] {
	m := Mat[T]{Rows: rows, Cols: cols, Stride: stride, Data: make([]T, (rows-1)*stride+cols)}
	FillUniform(r, m.Data, -1, 1)
	return m
}

func toF64(m Mat[float32]) Mat[float64] {
	d := make([]float64, len(m.Data))
	for i, v := range m.Data {
		d[i] = float64(v)
	}
	return Mat[float64]{Rows: m.Rows, Cols: m.Cols, Stride: m.Stride, Data: d}
}

func TestGemm(t *testing.T) {
	r := NewRNG(1)
	defer func(k *microKernel) { active = k }(active)
	for _, kern := range kernels() {
		active = kern
		asm := kern.name
		for _, sz := range [][3]int{{1, 1, 1}, {6, 16, 1}, {8, 32, 2}, {7, 17, 3}, {13, 40, 29}, {17, 70, 33}, {500, 37, 128}, {128, 130, 500}} {
			m, n, k := sz[0], sz[1], sz[2]
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				for _, acc := range []bool{false, true} {
					name := fmt.Sprintf("kernel=%s/%dx%dx%d/tA=%v/tB=%v/acc=%v", asm, m, n, k, tr[0], tr[1], acc)
					ar, ac := m, k
					if tr[0] {
						ar, ac = k, m
					}
					br, bc := k, n
					if tr[1] {
						br, bc = n, k
					}
					a := randMat[float32](r, ar, ac, ac+3)
					b := randMat[float32](r, br, bc, bc+1)
					c := randMat[float32](r, m, n, n+2)
					c0 := toF64(c)
					want := naiveGemm(tr[0], tr[1], toF64(a), toF64(b), m, n, k)
					Gemm(tr[0], tr[1], a, b, c, acc)
					c64 := randMat[float64](r, m, n, n+5)
					c64init := append([]float64(nil), c64.Data...)
					Gemm(tr[0], tr[1], toF64(a), toF64(b), c64, acc)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							w := want[i*n+j]
							w64 := w
							if acc {
								w += c0.At(i, j)
								w64 += c64init[i*c64.Stride+j]
							}
							if got := float64(c.At(i, j)); math.Abs(got-w) > 1e-4*math.Sqrt(float64(k))+1e-5 {
								t.Fatalf("%s: C[%d,%d] = %v, want %v", name, i, j, got, w)
							}
							if got := c64.At(i, j); math.Abs(got-w64) > 1e-12*float64(k) {
								t.Fatalf("%s float64: C[%d,%d] = %v, want %v", name, i, j, got, w64)
							}
						}
						// Padding between rows stays untouched.
						if i < m-1 {
							for j := n; j < c.Stride; j++ {
								if c.Data[i*c.Stride+j] != float32(c0.Data[i*c.Stride+j]) {
									t.Fatalf("%s: wrote into the stride padding", name)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestGemmThreadsDeterministic checks that the split between goroutines does not change a bit.
func TestGemmThreadsDeterministic(t *testing.T) {
	r := NewRNG(2)
	a := randMat[float32](r, 500, 177, 177)
	b := randMat[float32](r, 177, 131, 131)
	var ref []float32
	defer SetThreads(SetThreads(0))
	for _, th := range []int{1, 2, 3, 7} {
		SetThreads(th)
		c := NewMat[float32](500, 131)
		Gemm(false, false, a, b, c, false)
		if ref == nil {
			ref = c.Data
			continue
		}
		for i := range ref {
			if ref[i] != c.Data[i] {
				t.Fatalf("threads=%d: element %d differs", th, i)
			}
		}
	}
}

// BenchmarkGemm measures the matrix-multiply rate (GFLOP/s = 2mnk per op) of the float32
// kernel, the portable Go kernel, gonum's Sgemm and gonum's Dgemm at the shapes a TVAE step
// uses (batch 500, width 128, data width about 176), on 1 thread and on all of them.
func BenchmarkGemm(b *testing.B) {
	shapes := []struct {
		name    string
		tA, tB  bool
		m, n, k int
	}{
		{"fwd_500x128x128", false, false, 500, 128, 128},
		{"fwd_500x176x128", false, false, 500, 176, 128},
		{"dX_500x128x176_NT", false, true, 500, 128, 176},
		{"dW_128x128x500_TN", true, false, 128, 128, 500},
		{"big_1024x1024x1024", false, false, 1024, 1024, 1024},
	}
	for _, th := range []int{1, 0} {
		for _, s := range shapes {
			r := NewRNG(3)
			ar, ac := s.m, s.k
			if s.tA {
				ar, ac = s.k, s.m
			}
			br, bc := s.k, s.n
			if s.tB {
				br, bc = s.n, s.k
			}
			a32 := randMat[float32](r, ar, ac, ac)
			b32 := randMat[float32](r, br, bc, bc)
			c32 := NewMat[float32](s.m, s.n)
			a64, b64, c64 := toF64(a32), toF64(b32), NewMat[float64](s.m, s.n)
			flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
			thName := "threads=all"
			if th == 1 {
				thName = "threads=1"
			}
			run := func(name string, f func()) {
				b.Run(thName+"/"+s.name+"/"+name, func(b *testing.B) {
					prev := SetThreads(th)
					defer SetThreads(prev)
					if th == 1 {
						prevP := runtimeGOMAXPROCS(1)
						defer runtimeGOMAXPROCS(prevP)
					}
					for b.Loop() {
						f()
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
			for _, kern := range kernels() {
				run("f32-"+kern.name, func() {
					prevK := active
					active = kern
					Gemm(s.tA, s.tB, a32, b32, c32, false)
					active = prevK
				})
			}
			run("f32-gonum", func() { GonumSgemm(s.tA, s.tB, a32, b32, c32, false) })
			run("f64-gonum", func() { Gemm(s.tA, s.tB, a64, b64, c64, false) })
		}
	}
}

// TestAsmKernelsAgree: the AVX2 and AVX-512 kernels both sum each element over k in order
// with fused multiply-adds, so they give bit-identical products (a model trained on either
// CPU is the same).
func TestAsmKernelsAgree(t *testing.T) {
	ks := kernels()
	if len(ks) < 3 {
		t.Skip("needs both assembly kernels")
	}
	r := NewRNG(4)
	a := randMat[float32](r, 77, 131, 131)
	b := randMat[float32](r, 131, 45, 45)
	defer func(k *microKernel) { active = k }(active)
	var ref []float32
	for _, k := range ks[:2] {
		active = k
		c := NewMat[float32](77, 45)
		Gemm(false, false, a, b, c, false)
		if ref == nil {
			ref = c.Data
			continue
		}
		for i := range ref {
			if ref[i] != c.Data[i] {
				t.Fatalf("%s differs from %s at %d: %v vs %v", k.name, ks[0].name, i, c.Data[i], ref[i])
			}
		}
	}
}
