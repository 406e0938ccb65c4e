package telemetry

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"pdmstudio/backend/ml"
	"pdmstudio/backend/onnxrt"
	"pdmstudio/backend/store"
)

// BenchmarkFleetRefresh measures one scheduled refresh of a fleet of ready machines (replay
// advance, three models per machine through ml.PredictBatch, alerts, readings and prediction
// log written to SQLite) beside two baselines on the same windows: the predictions alone in one
// batch (the floor), and the per-machine path an on-demand prediction takes (each machine's
// models one after another, each machine's log in its own transaction).
func BenchmarkFleetRefresh(b *testing.B) {
	engine := ml.EngineGo
	if info := onnxrt.Probe(); info.Loaded {
		engine = ml.EngineORT
	}
	b.Logf("engine: %s", engine)
	sizes := []int{26, 1000}
	if env := os.Getenv("PDMSTUDIO_BENCH_FLEET"); env != "" { // e.g. "200" while profiling
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("PDMSTUDIO_BENCH_FLEET: %q is not a machine count", f)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		f := newTestFleet(b, n, 0)
		ctx := context.Background()
		if err := SaveSettings(ctx, f.store, Settings{Speed: 10, RefreshIntervalS: 30, RULHorizon: 1}); err != nil {
			b.Fatal(err)
		}
		m := f.monitor()
		t0 := time.Now()
		if _, err := m.Refresh(ctx, false); err != nil { // loads sources and models
			b.Fatal(err)
		}
		b.Logf("%d machines: first refresh (loading sources and models) %v", n, time.Since(t0))
		b.Run(fmt.Sprintf("machines=%d/refresh", n), func(b *testing.B) {
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				ov, err := m.Refresh(ctx, true)
				if err != nil || len(ov.Machines) != n || ov.Counts.Unknown != 0 {
					b.Fatalf("refresh: %v", err)
				}
			}
			report(b, n, cpu0)
		})
		b.Run(fmt.Sprintf("machines=%d/refresh-without-log", n), func(b *testing.B) {
			cpu0 := processCPU()
			m.NoPredictionLog = true
			defer func() { m.NoPredictionLog = false }()
			for i := 0; i < b.N; i++ {
				if _, err := m.Refresh(ctx, true); err != nil {
					b.Fatal(err)
				}
			}
			report(b, n, cpu0)
		})
		items := fleetItems(b, m, f)
		b.Run(fmt.Sprintf("machines=%d/baseline-batch-predict-only", n), func(b *testing.B) {
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				for _, r := range ml.PredictBatch(ctx, items, 0) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			report(b, n, cpu0)
		})
		b.Run(fmt.Sprintf("machines=%d/baseline-per-machine", n), func(b *testing.B) {
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				for k := 0; k < len(items); k += len(refreshTasks) {
					var logs []store.PredictionRow
					for _, it := range items[k : k+len(refreshTasks)] {
						ps, err := it.Model.Predict(it.Data, it.Options)
						if err != nil {
							b.Fatal(err)
						}
						res, _ := json.Marshal(ps[len(ps)-1])
						logs = append(logs, store.PredictionRow{ID: uuid.NewString(), MachineID: f.ready[k/len(refreshTasks)],
							PredictionType: string(it.Model.Task()), InputData: []byte("{}"), Result: res, Timestamp: store.Now()})
					}
					if err := f.store.InsertPredictions(ctx, logs); err != nil {
						b.Fatal(err)
					}
				}
			}
			report(b, n, cpu0)
		})
	}
}

// report adds the CPU time per refresh (user + system, all threads) beside the wall time: the
// shared build machine is often oversubscribed, which inflates wall time but not CPU time.
func report(b *testing.B, n int, cpu0 float64) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "machines/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(cpu*1000/float64(b.N), "cpu-ms/op")
	}
}

// fleetItems are the refresh's prediction items for the fleet's current windows.
func fleetItems(b *testing.B, m *Monitor, f *testFleet) []ml.BatchItem {
	var items []ml.BatchItem
	for _, id := range f.ready {
		rp := m.replays[id]
		for _, task := range refreshTasks {
			mod, err := f.loader.Model(store.ModelVersion{FilePath: shared.models[task]})
			if err != nil {
				b.Fatal(err)
			}
			items = append(items, ml.BatchItem{Model: mod, Data: rp.window(mod.Window(), mod.BaseRows()), Options: ml.PredictOptions{Last: true}})
		}
	}
	return items
}
