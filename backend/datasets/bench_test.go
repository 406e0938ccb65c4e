package datasets

import (
	"bytes"
	"encoding/csv"
	"github.com/parquet-go/parquet-go"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

const benchRows = 100_000

// benchTable is shaped like seed data: timestamp, unit, regime, 10 sensors with a few nulls,
// labels.
func benchTable(b *testing.B) *Table {
	b.Helper()
	rng := rand.New(rand.NewPCG(9, 9))
	n := benchRows
	ts := make([]int64, n)
	unit := make([]int64, n)
	regime := make([]string, n)
	hs := make([]int64, n)
	out := make([]bool, n)
	for i := range ts {
		ts[i] = 1_700_000_000_000 + int64(i)*10_000
		unit[i] = int64(i / 5000)
		regime[i] = []string{"idle", "nominal", "full_load"}[(i/300)%3]
		hs[i] = int64(i % 5000 * 4 / 5000)
		out[i] = rng.Float64() < 0.002
	}
	cols := []*Column{NewTimestamp("timestamp", ts, Meta{Role: RoleTime}), NewInt("unit", unit, Meta{Role: RoleID}), NewString("regime", regime, Meta{})}
	for s := 0; s < 10; s++ {
		v := make([]float64, n)
		for i := range v {
			v[i] = 50 + 10*math.Sin(float64(i)/700) + rng.NormFloat64()
			if rng.Float64() < 0.001 {
				v[i] = math.NaN()
			}
		}
		cols = append(cols, NewFloat("sensor_"+strconv.Itoa(s), v, Meta{Unit: "°C"}))
	}
	cols = append(cols, NewInt("health_state", hs, Meta{}), NewBool("outlier", out, Meta{}))
	return mustTable(b, cols...)
}

// measure runs f b.N times and reports CPU time per operation (see processCPU) and, with
// rows > 0, throughput in rows per second of wall time.
func measure(b *testing.B, rows int, f func()) {
	b.Helper()
	cpu0 := processCPU()
	for b.Loop() {
		f()
	}
	b.ReportMetric((processCPU()-cpu0)*1e3/float64(b.N), "cpu-ms/op")
	if rows > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
}

// BenchmarkStats compares Describe (selection-based quantiles, columns in parallel) with a naive
// baseline that sorts a copy of each column, on 100,000 rows.
func BenchmarkStats(b *testing.B) {
	tb := benchTable(b)
	b.Run("describe_one_column", func(b *testing.B) {
		c := tb.Column("sensor_0")
		measure(b, benchRows, func() {
			DescribeColumn(c)
		})
	})
	b.Run("baseline_sort_one_column", func(b *testing.B) {
		c := tb.Column("sensor_0")
		measure(b, benchRows, func() {
			naiveStats(c)
		})
	})
	b.Run("describe_all_15_columns", func(b *testing.B) {
		measure(b, benchRows, func() {
			if _, err := Describe(tb); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("histogram_two_datasets", func(b *testing.B) {
		measure(b, 0, func() {
			if _, err := HistogramOf("sensor_0", 50, tb, tb); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("correlation_11_columns", func(b *testing.B) {
		measure(b, 0, func() {
			if _, err := Correlate(tb); err != nil {
				b.Fatal(err)
			}
		})
	})
}

func naiveStats(c *Column) (mean, std float64, q []float64) {
	vals := numericValues(c, nil)
	slices.Sort(vals)
	for _, v := range vals {
		mean += v
	}
	mean /= float64(len(vals))
	for _, v := range vals {
		std += (v - mean) * (v - mean)
	}
	std = math.Sqrt(std / float64(len(vals)-1))
	for _, p := range quantileProbs {
		q = append(q, refQuantile(vals, p))
	}
	return mean, std, q
}

// BenchmarkSeries compares Downsample (LTTB to 1,000 points, whole series and one unit) with
// naive every-k-th decimation of the same series, on 100,000 rows.
func BenchmarkSeries(b *testing.B) {
	tb := benchTable(b)
	b.Run("lttb_1000_points", func(b *testing.B) {
		measure(b, benchRows, func() {
			if _, err := Downsample(tb, SeriesQuery{Y: "sensor_3", MaxPoints: 1000}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("lttb_one_unit", func(b *testing.B) {
		measure(b, 0, func() {
			if _, err := Downsample(tb, SeriesQuery{Y: "sensor_3", FilterColumn: "unit", FilterValue: "7", MaxPoints: 1000}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("baseline_every_kth", func(b *testing.B) {
		x := tb.Column("timestamp")
		y := tb.Column("sensor_3")
		measure(b, benchRows, func() {
			xs := make([]float64, 0, benchRows)
			ys := make([]float64, 0, benchRows)
			for i := 0; i < benchRows; i++ {
				yv, ok := y.Number(i)
				if !ok {
					continue
				}
				xv, _ := x.Number(i)
				xs = append(xs, xv)
				ys = append(ys, yv)
			}
			everyNth(xs, ys, 1000)
		})
	})
}

// BenchmarkWrite compares the Parquet writer (zstd, atomic file) with encoding/csv on the same
// 100,000-row table, and measures reading the Parquet file back.
func BenchmarkWrite(b *testing.B) {
	tb := benchTable(b)
	dir := b.TempDir()
	path := filepath.Join(dir, "bench.parquet")
	b.Run("parquet_file", func(b *testing.B) {
		measure(b, benchRows, func() {
			if err := WriteParquet(path, tb); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("baseline_encoding_csv", func(b *testing.B) {
		var buf bytes.Buffer
		rec := make([]string, len(tb.Columns))
		measure(b, benchRows, func() {
			buf.Reset()
			w := csv.NewWriter(&buf)
			for i := 0; i < benchRows; i++ {
				for j, c := range tb.Columns {
					rec[j] = c.Text(i)
				}
				_ = w.Write(rec)
			}
			w.Flush()
		})
	})
	b.Run("parquet_read", func(b *testing.B) {
		if err := WriteParquet(path, tb); err != nil {
			b.Fatal(err)
		}
		measure(b, benchRows, func() {
			if _, err := ReadParquet(path); err != nil {
				b.Fatal(err)
			}
		})
	})
	// The page-header walk ReadParquet does before decoding (its share of parquet_read).
	b.Run("parquet_check_pages", func(b *testing.B) {
		f, size, err := openLimited(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
		if err != nil {
			b.Fatal(err)
		}
		measure(b, benchRows, func() {
			if err := checkPages(f, size, pf); err != nil {
				b.Fatal(err)
			}
		})
	})
}
