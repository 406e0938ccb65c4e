// Package nn is the small neural-network toolkit shared by the TVAE synthesizer (backend/tvae)
// and the predictive models (backend/ml): row-major matrices, a matrix multiply (Gemm), dense
// layers, ReLU/tanh activations, softmax over spans of columns, the VAE reparameterisation,
// Adam with L2 weight decay, and a seeded random number generator.
//
// There is no autograd: each layer has a Forward and a Backward that the model calls in
// reverse order, and the tests check every Backward against finite differences.
//
// # Precision and speed
//
// Everything is generic over the element type (float32 or float64, see Float). Gemm on float64
// uses gonum's native Dgemm; on float32 it uses this package's own kernel: B packed in panels,
// A read in place through strides, and a micro-kernel in assembly picked at run time — 8×32
// AVX-512 where the CPU has it, else 6×16 AVX2/FMA — or the same algorithm in plain Go
// elsewhere (no cgo, so it builds for Windows, macOS and Linux alike). The float32 exponential
// of softmax and reparameterisation is vectorised (AVX2) too. Models train in float32, as
// PyTorch does; float64 is there for gradient checks and for comparison (see BenchmarkGemm
// and backend/tvae's BenchmarkTVAEFit).
//
// # Determinism
//
// The same seed gives bit-identical results on the same build and CPU: RNG is a fixed
// algorithm (xoshiro256**), no numeric result depends on map order, and parallel work is split
// so that every output element is computed by one goroutine in a fixed order (the split only
// decides who computes it, not how); sums over rows are taken in fixed chunks added in order.
// The AVX2 and AVX-512 kernels give bit-identical products (both sum over k in order with
// fused multiply-adds); the plain-Go kernel (no fused multiply-add) and other CPU
// architectures may differ in the last bits.
package nn
