package nn

import (
	"math"
	"testing"
)

var sink32 float32

func BenchmarkExp(b *testing.B) {
	xs := make([]float32, 1024)
	for i := range xs {
		xs[i] = -float32(i) / 100
	}
	b.Run("Exp32", func(b *testing.B) {
		for b.Loop() {
			s := float32(0)
			for _, x := range xs {
				s += Exp32(x)
			}
			sink32 = s
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(xs)), "ns/exp")
	})
	b.Run("math.Exp", func(b *testing.B) {
		for b.Loop() {
			s := float32(0)
			for _, x := range xs {
				s += float32(math.Exp(float64(x)))
			}
			sink32 = s
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(xs)), "ns/exp")
	})
	b.Run("Normal", func(b *testing.B) {
		r := NewRNG(1)
		buf := make([]float32, 1024)
		for b.Loop() {
			FillNormal(r, buf)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(buf)), "ns/normal")
	})
}
