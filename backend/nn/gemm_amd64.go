package nn

import "golang.org/x/sys/cpu"

// The assembly kernels and whether the CPU (and OS) support them.
var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F

	avx2Kernel   = &microKernel{"avx2-fma", 6, 16, kernelAVX2Checked}
	avx512Kernel = &microKernel{"avx512", 8, 32, kernelAVX512Checked}
)

// kernels lists the kernels this CPU can run, best first.
func kernels() []*microKernel {
	var ks []*microKernel
	if hasAVX512 {
		ks = append(ks, avx512Kernel)
	}
	if hasAVX2 {
		ks = append(ks, avx2Kernel)
	}
	return append(ks, goKernel)
}

func bestKernel() *microKernel { return kernels()[0] }

//go:noescape
func kernelAVX2(k int, a *float32, rs, ks int, b, c *float32, ldc int, acc bool)

//go:noescape
func kernelAVX512(k int, a *float32, rs, ks int, b, c *float32, ldc int, acc bool)

// The wrappers check every index the assembly will touch (strides in elements).

func kernelAVX2Checked(k int, a []float32, rs, ks int, b, c []float32, ldc int, acc bool) {
	_ = a[5*rs+(k-1)*ks]
	_ = b[k*16-1]
	_ = c[5*ldc+15]
	kernelAVX2(k, &a[0], 4*rs, 4*ks, &b[0], &c[0], ldc, acc)
}

func kernelAVX512Checked(k int, a []float32, rs, ks int, b, c []float32, ldc int, acc bool) {
	_ = a[7*rs+(k-1)*ks]
	_ = b[k*32-1]
	_ = c[7*ldc+31]
	kernelAVX512(k, &a[0], 4*rs, 4*ks, &b[0], &c[0], ldc, acc)
}
