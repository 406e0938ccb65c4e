package tvae

import (
	"context"
	"os"
	"strconv"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
)

// benchTable simulates rows of the turbine (20 columns: timestamp, unit, regime, 11 sensors,
// failure mode, degradation, health state, rul, episode end, outlier).
func benchTable(b *testing.B, rows int) *datasets.Table {
	p, err := profiles.FleetProfile("turbine_siemens_sgt400_020")
	if err != nil {
		b.Fatal(err)
	}
	t, err := simulate.Run(context.Background(), p, simulate.Options{Rows: rows, Seed: 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// flopsPerRow counts the floating-point operations of one training row in the matrix
// products: forward (in·out per layer), weight gradients (in·out per layer) and input
// gradients (in·out per layer but the first), two FLOPs per multiply-add.
func flopsPerRow(width int, o Options) float64 {
	var macs, first float64
	in := width
	for i, d := range o.CompressDims {
		if i == 0 {
			first = float64(in * d)
		}
		macs += float64(in * d)
		in = d
	}
	macs += float64(in * 2 * o.EmbeddingDim)
	in = o.EmbeddingDim
	for _, d := range o.DecompressDims {
		macs += float64(in * d)
		in = d
	}
	macs += float64(in * width)
	return 2 * (3*macs - first)
}

// BenchmarkTVAEFit trains SDV's default TVAE (300 epochs; TVAE_BENCH_EPOCHS overrides) on
// 10,000 rows × 20 columns of seed data, in float32 (the shipped path: packed AVX2/FMA kernel)
// and float64 (gonum Dgemm) side by side. Run with -benchtime 1x.
func BenchmarkTVAEFit(b *testing.B) {
	tb := benchTable(b, 10_000)
	epochs := 300
	if s := os.Getenv("TVAE_BENCH_EPOCHS"); s != "" {
		epochs, _ = strconv.Atoi(s)
	}
	for _, prec := range []string{"float32", "float64"} {
		b.Run(prec, func(b *testing.B) {
			o := DefaultOptions()
			o.Epochs = epochs
			o.Precision = prec
			var width int
			cpu0 := processCPU()
			for b.Loop() {
				m, err := Fit(context.Background(), tb, o, nil)
				if err != nil {
					b.Fatal(err)
				}
				width = m.Transformer.Width
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			cpu := (processCPU() - cpu0) / float64(b.N)
			flops := flopsPerRow(width, o) * float64(tb.NumRows()) * float64(epochs)
			b.ReportMetric(sec, "s/fit")
			b.ReportMetric(cpu, "cpu-s/fit")
			b.ReportMetric(flops/cpu/1e9, "GFLOP/cpu-s")
			b.ReportMetric(float64(epochs)/sec, "epochs/s")
			b.ReportMetric(flops/sec/1e9, "GFLOP/s")
			b.ReportMetric(float64(width), "width")
			kernel := "gonum Dgemm"
			if prec == "float32" {
				kernel = "nn " + nn.Kernel()
			}
			b.Logf("%s: %s, width %d, %.3g GFLOP per epoch", prec, kernel, width, flops/float64(epochs)/1e9)
		})
	}
}

// BenchmarkTransform fits the transformer on 100,000 rows × 20 columns of seed data and
// encodes them.
func BenchmarkTransform(b *testing.B) {
	tb := benchTable(b, 100_000)
	cpu0 := processCPU()
	for b.Loop() {
		tr, err := FitTransformer(context.Background(), tb, TransformOptions{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tr.Transform(context.Background(), tb, 2); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tb.NumRows())*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
	b.ReportMetric((processCPU()-cpu0)/float64(b.N), "cpu-s/op")
}
