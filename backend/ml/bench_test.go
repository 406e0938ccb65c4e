package ml

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/profiles"
)

// currentBuffer returns what a live prediction sees: the last n rows of the last group (unit)
// of t, led by the group's first base rows (the asset's baseline, [Recent]), without label
// columns.
func currentBuffer(t *datasets.Table, n, base int) *datasets.Table {
	buf, _ := Recent(t, SeedGroup, n, base)
	return without(buf, "failure_mode", "degradation", "health_state", "rul", "episode_end", "outlier")
}

// engines lists the engines to benchmark: ONNX Runtime when the library loads, and Go.
func engines(b *testing.B) []string {
	if err := loadORT(); err != nil {
		if os.Getenv(envRequireRuntimes) != "" {
			b.Fatalf("ONNX Runtime is required: %v", err)
		}
		b.Logf("ONNX Runtime not available, benchmarking the Go engine only: %v", err)
		return []string{EngineGo}
	}
	return []string{EngineORT, EngineGo}
}

// BenchmarkPredictOne measures one live prediction (the latest row of one machine, with its
// top-5 factors, from a buffer of the model's Window() latest rows and its baseline rows) per task and engine, and
// for the ordinal and the signature health-state models; it reports the 50th and 99th
// percentile latency.
func BenchmarkPredictOne(b *testing.B) {
	engs := engines(b)
	type bench struct {
		task     Task
		families []string
	}
	var list []bench
	for _, task := range Tasks {
		list = append(list, bench{task: task})
	}
	list = append(list, bench{Classification, []string{FamilyOrdinal}}, bench{Classification, []string{FamilySignature}})
	for _, bc := range list {
		task := bc.task
		m := trainedModel(b, task, bc.families...)
		m.openSession()
		buf := currentBuffer(seedData(b, testMachine, 3000, 2), m.Window(), m.BaseRows())
		for _, eng := range engs {
			b.Run(fmt.Sprintf("%s-%s/%s", task, m.Manifest().Family, eng), func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					p, err := m.Predict(buf, PredictOptions{Last: true, Engine: eng})
					lat = append(lat, time.Since(t0))
					if err != nil || len(p) != 1 || p[0].Engine != eng {
						b.Fatalf("predict: %v (%d predictions)", err, len(p))
					}
				}
				b.StopTimer()
				reportPercentiles(b, lat)
			})
		}
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds())
	}
	b.ReportMetric(q(0.5), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// fleetModels trains (or, with PDMSTUDIO_ML_BENCH_DIR set, loads from or saves to that
// folder) the four models of every built-in machine: 3,000 rows of seed 1, seed 3 for
// validation, 60 trees and 10 epochs at most.
func fleetModels(b *testing.B) ([][]*Model, []*datasets.Table) {
	cache := os.Getenv("PDMSTUDIO_ML_BENCH_DIR")
	var models [][]*Model
	var bufs []*datasets.Table
	for _, p := range profiles.Fleet() {
		var row []*Model
		for _, task := range Tasks {
			dir := filepath.Join(cache, p.MachineID, string(task))
			if cache != "" {
				if m, err := Load(dir); err == nil {
					row = append(row, m)
					continue
				}
			}
			var keys []string
			for _, s := range p.KeySensors() {
				keys = append(keys, s.Name)
			}
			spec := SeedSpec(task, seedData(b, p.MachineID, 3000, 1), seedData(b, p.MachineID, 3000, 3), keys)
			spec.Trees, spec.Epochs, spec.Seed = 60, 10, 1
			spec.Signatures = SignaturesFrom(p.FaultShifts(), p.FaultProgressions()) // as the registry does
			m, err := Fit(context.Background(), spec, nil)
			if err != nil {
				b.Fatalf("%s %s: %v", p.MachineID, task, err)
			}
			if cache != "" {
				if err := m.Save(dir); err != nil {
					b.Fatal(err)
				}
			}
			row = append(row, m)
		}
		models = append(models, row)
		history, base := 1, 0
		for _, m := range row {
			history, base = max(history, m.Window()), max(base, m.BaseRows())
		}
		bufs = append(bufs, currentBuffer(seedData(b, p.MachineID, 3000, 2), history, base))
	}
	return models, bufs
}

// BenchmarkFleetPredict measures the batch path: all four predictions (with top factors) for
// each of the 26 built-in machines from their latest rows (as many as the models' longest
// window, as the telemetry monitor gives them), per engine.
func BenchmarkFleetPredict(b *testing.B) {
	engs := engines(b)
	models, bufs := fleetModels(b)
	for _, eng := range engs {
		var items []BatchItem
		for i, row := range models {
			for _, m := range row {
				m.openSession()
				items = append(items, BatchItem{Model: m, Data: bufs[i], Options: PredictOptions{Last: true, Engine: eng}})
			}
		}
		b.Run(eng, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			cpu0 := processCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				res := PredictBatch(context.Background(), items, 0)
				lat = append(lat, time.Since(t0))
				for _, r := range res {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			b.StopTimer()
			// CPU time per batch (all threads): steadier than wall time under shared load.
			b.ReportMetric((processCPU()-cpu0)*1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(len(items)), "predictions/op")
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkTrainMachine measures training the four models of one machine on 10,000 rows of
// seed data (20 % of the episodes held out for validation), all default families.
func BenchmarkTrainMachine(b *testing.B) {
	train := seedData(b, testMachine, 10000, 1)
	keys := keySensors(b, testMachine)
	for i := 0; i < b.N; i++ {
		var total time.Duration
		cpu0 := processCPU()
		for _, task := range Tasks {
			t0 := time.Now()
			if _, err := Fit(context.Background(), SeedSpec(task, train, nil, keys), nil); err != nil {
				b.Fatal(err)
			}
			d := time.Since(t0)
			total += d
			b.ReportMetric(d.Seconds(), string(task)+"-s")
		}
		b.ReportMetric(total.Seconds(), "four-models-s")
		// CPU time (all threads): steadier than wall time on an oversubscribed machine.
		b.ReportMetric(processCPU()-cpu0, "four-models-cpu-s")
	}
}
