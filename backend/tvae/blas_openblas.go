//go:build openblas

package tvae

// The OpenBLAS binding of BenchmarkBLAS (blas_bench_test.go): built only with the openblas tag
// (cgo and an installed OpenBLAS); the product does not use it.

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "pdmstudio/backend/nn"

func cblasTrans(t bool) uint32 {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// openblasGemm computes c = op(a)·op(b) with OpenBLAS in the element type of the matrices.
func openblasGemm[T nn.Float](tA, tB bool, a, b, c nn.Mat[T]) {
	k := a.Cols
	if tA {
		k = a.Rows
	}
	switch av := any(a.Data).(type) {
	case []float32:
		bv, cv := any(b.Data).([]float32), any(c.Data).([]float32)
		C.cblas_sgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB), C.blasint(c.Rows), C.blasint(c.Cols), C.blasint(k),
			1, (*C.float)(&av[0]), C.blasint(a.Stride), (*C.float)(&bv[0]), C.blasint(b.Stride), 0, (*C.float)(&cv[0]), C.blasint(c.Stride))
	case []float64:
		bv, cv := any(b.Data).([]float64), any(c.Data).([]float64)
		C.cblas_dgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB), C.blasint(c.Rows), C.blasint(c.Cols), C.blasint(k),
			1, (*C.double)(&av[0]), C.blasint(a.Stride), (*C.double)(&bv[0]), C.blasint(b.Stride), 0, (*C.double)(&cv[0]), C.blasint(c.Stride))
	}
}
