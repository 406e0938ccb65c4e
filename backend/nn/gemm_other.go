//go:build !amd64

package nn

var (
	hasAVX2 = false
	useAsm  = false
)

// Kernel names the float32 micro-kernel in use: "avx2-fma" or "go".
func Kernel() string { return "go" }

func kernel(k int, a, b, c []float32, ldc int, acc bool) { kernelGo(k, a, b, c, ldc, acc) }
