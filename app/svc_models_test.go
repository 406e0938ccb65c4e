package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/registry"
	"pdmstudio/backend/store"
)

// Models.Timeline over the dispatcher on a machine with seed data: the readings alone before any
// model, then every task's series aligned with the rows once the four models are trained; and
// the plot data the Model Performance page draws is stored with each version's metrics.
func TestModelsTimelineAndPlotMetrics(t *testing.T) {
	dir := t.TempDir()
	id := "pump_grundfos_cr3_004"
	runCLI(t, "--data-dir", dir, "fleet", "init")
	if code, _, errs := runCLI(t, "--data-dir", dir, "seed", id, "--samples", "3000"); code != 0 {
		t.Fatalf("seed: %s", errs)
	}
	ctx := context.Background()
	timeline := func() registry.Timeline {
		t.Helper()
		c, err := OpenCore(ctx, dir, CoreOptions{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		d := c.Dispatcher()
		if _, err := d.Invoke(ctx, LocalAdmin, "Models", "Timeline", []json.RawMessage{json.RawMessage(`"no_such_machine"`)}); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("unknown machine: %v, want not found", err)
		}
		res, err := d.Invoke(ctx, Caller{User: "v", Role: RoleViewer}, "Models", "Timeline", []json.RawMessage{json.RawMessage(`"` + id + `"`)})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatalf("timeline is not JSON-safe: %v", err)
		}
		var tl registry.Timeline
		if err := json.Unmarshal(b, &tl); err != nil {
			t.Fatal(err)
		}
		return tl
	}

	tl := timeline()
	if len(tl.Time) == 0 || len(tl.Sensors) == 0 || tl.State != nil || tl.RUL != nil || tl.Forecast != nil {
		t.Fatalf("before models: %d rows, %d sensors, state %v", len(tl.Time), len(tl.Sensors), tl.State)
	}

	if code, out, errs := runCLI(t, "--data-dir", dir, "models", "train", id, "--json"); code != 0 {
		t.Fatalf("train: %s %s", out, errs)
	}
	tl = timeline()
	n := len(tl.Time)
	if tl.Source != "seed" || n == 0 || len(tl.Errors) > 0 {
		t.Fatalf("source %q, %d rows, errors %v", tl.Source, n, tl.Errors)
	}
	if _, ok := tl.Time[n-1].(string); !ok {
		t.Errorf("time is the timestamp column, got %T %v", tl.Time[n-1], tl.Time[n-1])
	}
	for _, s := range tl.Sensors {
		if len(s.Values) != n || s.Unit == "" {
			t.Errorf("sensor %s: %d values for %d rows, unit %q", s.Name, len(s.Values), n, s.Unit)
		}
	}
	if tl.State == nil || tl.RUL == nil || tl.Anomaly == nil || tl.Forecast == nil {
		t.Fatalf("a task is missing: state %v rul %v anomaly %v forecast %v", tl.State, tl.RUL, tl.Anomaly, tl.Forecast)
	}
	if len(tl.State.Predicted) != n || len(tl.State.Actual) != n || len(tl.RUL.Values) != n || len(tl.RUL.Actual) != n || len(tl.Anomaly.Scores) != n {
		t.Fatalf("series not aligned with the %d rows", n)
	}
	// The last row always has a prediction of every task, with a consistent interval.
	last := n - 1
	if tl.State.Predicted[last] == "" || math.IsNaN(tl.State.Confidence[last]) || math.IsNaN(tl.Anomaly.Scores[last]) {
		t.Errorf("last row: state %q conf %v score %v", tl.State.Predicted[last], tl.State.Confidence[last], tl.Anomaly.Scores[last])
	}
	if v, lo, hi := tl.RUL.Values[last], tl.RUL.Lower[last], tl.RUL.Upper[last]; math.IsNaN(v) || lo > v || hi < v || tl.RUL.Level <= 0 {
		t.Errorf("last RUL %v in [%v, %v] at level %v", v, lo, hi, tl.RUL.Level)
	}
	if tl.StepSeconds <= 0 {
		t.Errorf("step seconds %v", tl.StepSeconds)
	}
	// The rows are the last episode's recent ones, evenly spaced: the episode's first readings,
	// which the health-state model reads as the asset's baseline, are not shown.
	if n > 200 {
		t.Errorf("%d rows, want at most 200", n)
	}
	for i := 1; i < n; i++ {
		a, errA := time.Parse(time.RFC3339Nano, fmt.Sprint(tl.Time[i-1]))
		b, errB := time.Parse(time.RFC3339Nano, fmt.Sprint(tl.Time[i]))
		if errA != nil || errB != nil || b.Sub(a).Seconds() != tl.StepSeconds {
			t.Fatalf("rows %d–%d: %v → %v, want %v s apart", i-1, i, tl.Time[i-1], tl.Time[i], tl.StepSeconds)
		}
	}
	if tl.Anomaly.Threshold <= 0 || tl.State.Version != "v1" {
		t.Errorf("threshold %v, version %q", tl.Anomaly.Threshold, tl.State.Version)
	}
	if len(tl.Forecast.Sensors) == 0 || len(tl.Forecast.Sensors[0].Values) == 0 || len(tl.Forecast.Sensors[0].Lower) != len(tl.Forecast.Sensors[0].Values) {
		t.Errorf("forecast: %+v", tl.Forecast)
	}

	// Plot data in the stored metrics.
	code, out, _ := runCLI(t, "--data-dir", dir, "models", "list", id, "--json")
	var vs []store.ModelVersion
	if code != 0 || json.Unmarshal([]byte(out), &vs) != nil || len(vs) != 4 {
		t.Fatalf("versions: %s", out)
	}
	for _, v := range vs {
		var m registry.VersionMetrics
		if err := json.Unmarshal(v.Metrics, &m); err != nil {
			t.Fatal(err)
		}
		val := m.Validation
		switch v.ModelType {
		case "classification":
			if c := val.Classification; c == nil || len(c.Reliability) != 10 {
				t.Errorf("classification reliability: %+v", c)
			}
		case "rul":
			if r := val.RUL; r == nil || len(r.Points) == 0 || len(r.Points) > 300 {
				t.Errorf("rul points: %+v", r)
			}
		case "anomaly":
			if a := val.Anomaly; a == nil || len(a.Curve) < 2 {
				t.Errorf("anomaly curve: %+v", a)
			}
		}
	}
}
