package nn

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// microKernel computes one mr×nr tile of C (row stride ldc) from mr rows of A, read with
// strides (A(r, kk) = a[r·rs + kk·ks], which covers row-major A, Aᵀ and packed blocks without
// copying), and a packed B panel (k×nr): C = (or += when acc) Σ_kk A(r, kk)·b[kk·nr+j].
type microKernel struct {
	name   string
	mr, nr int
	fn     func(k int, a []float32, rs, ks int, b, c []float32, ldc int, acc bool)
}

// The portable kernel's tile (also the AVX2 kernel's).
const (
	goMR = 6
	goNR = 16
)

var goKernel = &microKernel{"go", goMR, goNR, kernelGo}

// active is the kernel sgemm uses: the best one the CPU supports (see kernels).
var active = bestKernel()

// Kernel names the float32 micro-kernel in use: "avx512" (8×32 tile), "avx2-fma" (6×16) or
// "go" (6×16, portable).
func Kernel() string { return active.name }

var threads atomic.Int32

// SetThreads sets how many goroutines one Gemm may use (n <= 0: runtime.GOMAXPROCS) and
// returns the previous setting. Results do not depend on it (see the package comment).
func SetThreads(n int) int {
	return int(threads.Swap(int32(n)))
}

func numThreads() int {
	if n := int(threads.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// Gemm computes C = op(A)·op(B), or C += op(A)·op(B) when accumulate is true, where op(X) is
// Xᵀ when the matching trans flag is set and X otherwise. op(A) is m×k, op(B) is k×n and C is
// m×n. It panics when the shapes do not agree. float64 goes to gonum's Dgemm, float32 to this
// package's packed kernel (see the package comment).
func Gemm[T Float](transA, transB bool, a, b, c Mat[T], accumulate bool) {
	m, k := a.Rows, a.Cols
	if transA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if transB {
		kb, n = n, kb
	}
	if k != kb || c.Rows != m || c.Cols != n {
		panic(fmt.Sprintf("nn: Gemm shapes: op(A) %d×%d, op(B) %d×%d, C %d×%d", m, k, kb, n, c.Rows, c.Cols))
	}
	for _, x := range []struct {
		rows, cols, stride, n int
	}{{a.Rows, a.Cols, a.Stride, len(a.Data)}, {b.Rows, b.Cols, b.Stride, len(b.Data)}, {c.Rows, c.Cols, c.Stride, len(c.Data)}} {
		if x.rows > 0 && x.cols > 0 && (x.stride < x.cols || x.n < (x.rows-1)*x.stride+x.cols) {
			panic(fmt.Sprintf("nn: Gemm on a malformed %d×%d matrix (stride %d, %d values)", x.rows, x.cols, x.stride, x.n))
		}
	}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !accumulate {
			c.Zero()
		}
		return
	}
	switch cd := any(c.Data).(type) {
	case []float32:
		sgemm(transA, transB, m, n, k, any(a.Data).([]float32), a.Stride,
			any(b.Data).([]float32), b.Stride, cd, c.Stride, accumulate)
	case []float64:
		tA, tB := blas.NoTrans, blas.NoTrans
		if transA {
			tA = blas.Trans
		}
		if transB {
			tB = blas.Trans
		}
		beta := 0.0
		if accumulate {
			beta = 1
		}
		gonum.Implementation{}.Dgemm(tA, tB, m, n, k, 1, any(a.Data).([]float64), a.Stride,
			any(b.Data).([]float64), b.Stride, beta, cd, c.Stride)
	}
}

// GonumSgemm computes the float32 product like Gemm but through gonum's native Sgemm. It is
// kept for the comparison in BenchmarkGemm.
func GonumSgemm(transA, transB bool, a, b, c Mat[float32], accumulate bool) {
	m, k := a.Rows, a.Cols
	if transA {
		m, k = k, m
	}
	n := b.Cols
	if transB {
		n = b.Rows
	}
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	var beta float32
	if accumulate {
		beta = 1
	}
	gonum.Implementation{}.Sgemm(tA, tB, m, n, k, 1, a.Data, a.Stride, b.Data, b.Stride, beta, c.Data, c.Stride)
}

var bufPool = sync.Pool{New: func() any { return new([]float32) }}

func getBuf(n int) *[]float32 {
	p := bufPool.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

// sgemm is the float32 product. The nr-wide column panels of op(B) are split between
// goroutines in contiguous ranges; each goroutine packs its panel (k×nr) and runs the
// micro-kernel down all row blocks of A, which it reads in place (only a last, partial row
// block is copied, zero-padded). Every element of C is summed over k in order by one kernel
// call, so the result does not depend on the number of goroutines.
func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, acc bool) {
	kern := active
	mr, nr := kern.mr, kern.nr
	mb := (m + mr - 1) / mr
	nb := (n + nr - 1) / nr
	workers := min(numThreads(), nb)
	if workers <= 1 || m*n*k < 1<<17 {
		workers = 1
	}
	// Strides of A in elements: row r, column kk of op(A) is a[r·rs + kk·ks].
	rs, ks := lda, 1
	if transA {
		rs, ks = 1, lda
	}
	Parallel(workers, workers, func(w int) {
		p0, p1 := w*nb/workers, (w+1)*nb/workers
		pb := getBuf(k * nr)
		defer bufPool.Put(pb)
		tile := getBuf(mr * nr)
		defer bufPool.Put(tile)
		var last *[]float32 // the partial last row block, packed (k×mr)
		if m%mr != 0 {
			last = getBuf(k * mr)
			defer bufPool.Put(last)
			i0 := (mb - 1) * mr
			for kk := 0; kk < k; kk++ {
				d := (*last)[kk*mr : kk*mr+mr]
				for r := range d {
					if i0+r < m {
						d[r] = a[(i0+r)*rs+kk*ks]
					} else {
						d[r] = 0
					}
				}
			}
		}
		for p := p0; p < p1; p++ {
			j0 := p * nr
			nw := min(nr, n-j0)
			packB(transB, nr, k, n, j0, b, ldb, *pb)
			for ib := 0; ib < mb; ib++ {
				i0 := ib * mr
				mw := min(mr, m-i0)
				ap, ars, aks := a[i0*rs:], rs, ks
				if mw < mr {
					ap, ars, aks = *last, 1, mr
				}
				if mw == mr && nw == nr {
					kern.fn(k, ap, ars, aks, *pb, c[i0*ldc+j0:], ldc, acc)
					continue
				}
				t := *tile
				kern.fn(k, ap, ars, aks, *pb, t, nr, false)
				for r := 0; r < mw; r++ {
					dst := c[(i0+r)*ldc+j0 : (i0+r)*ldc+j0+nw]
					src := t[r*nr : r*nr+nw]
					if acc {
						for j := range dst {
							dst[j] += src[j]
						}
					} else {
						copy(dst, src)
					}
				}
			}
		}
	})
}

// packB writes columns [j0, j0+nr) of op(B) (k×n) as k rows of nr values (zero past column n).
func packB(trans bool, nr, k, n, j0 int, b []float32, ldb int, dst []float32) {
	nw := min(nr, n-j0)
	if !trans {
		for kk := 0; kk < k; kk++ {
			d := dst[kk*nr : kk*nr+nr]
			copy(d, b[kk*ldb+j0:kk*ldb+j0+nw])
			clear(d[nw:])
		}
		return
	}
	for j := 0; j < nr; j++ {
		if j >= nw {
			for kk := 0; kk < k; kk++ {
				dst[kk*nr+j] = 0
			}
			continue
		}
		col := b[(j0+j)*ldb : (j0+j)*ldb+k]
		for kk, v := range col {
			dst[kk*nr+j] = v
		}
	}
}

// kernelGo is the portable micro-kernel (goMR×goNR, see microKernel). It works on 2×4
// sub-tiles held in local variables (registers) and sums over k in the same order as the
// assembly kernels (without fused multiply-adds).
func kernelGo(k int, a []float32, rs, ks int, b, c []float32, ldc int, acc bool) {
	const mr, nr = goMR, goNR
	_ = a[(mr-1)*rs+(k-1)*ks]
	b = b[:k*nr]
	for r := 0; r < mr; r += 2 {
		for j := 0; j < nr; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			ia := r * rs
			for kk := 0; kk < k; kk++ {
				bb := b[kk*nr+j : kk*nr+j+4 : kk*nr+j+4]
				a0, a1 := a[ia], a[ia+rs]
				ia += ks
				b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
				c00 += a0 * b0
				c01 += a0 * b1
				c02 += a0 * b2
				c03 += a0 * b3
				c10 += a1 * b0
				c11 += a1 * b1
				c12 += a1 * b2
				c13 += a1 * b3
			}
			d0 := c[r*ldc+j : r*ldc+j+4 : r*ldc+j+4]
			d1 := c[(r+1)*ldc+j : (r+1)*ldc+j+4 : (r+1)*ldc+j+4]
			if acc {
				d0[0] += c00
				d0[1] += c01
				d0[2] += c02
				d0[3] += c03
				d1[0] += c10
				d1[1] += c11
				d1[2] += c12
				d1[3] += c13
			} else {
				d0[0], d0[1], d0[2], d0[3] = c00, c01, c02, c03
				d1[0], d1[1], d1[2], d1[3] = c10, c11, c12, c13
			}
		}
	}
}
