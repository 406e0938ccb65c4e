package nn

import "golang.org/x/sys/cpu"

// hasAVX2 reports whether the assembly micro-kernel can run (AVX2 and FMA, enabled by the OS).
// useAsm is whether kernel uses it (tests switch it off to exercise kernelGo).
var (
	hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	useAsm  = hasAVX2
)

// Kernel names the float32 micro-kernel in use: "avx2-fma" or "go".
func Kernel() string {
	if useAsm {
		return "avx2-fma"
	}
	return "go"
}

//go:noescape
func kernelAVX2(k int, a, b, c *float32, ldc int, acc bool)

func kernel(k int, a, b, c []float32, ldc int, acc bool) {
	if useAsm {
		_ = a[k*mr-1]
		_ = b[k*nr-1]
		_ = c[(mr-1)*ldc+nr-1]
		kernelAVX2(k, &a[0], &b[0], &c[0], ldc, acc)
		return
	}
	kernelGo(k, a, b, c, ldc, acc)
}
