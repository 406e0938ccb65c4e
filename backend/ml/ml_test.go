package ml

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
)

// Each task, trained on one simulation of a machine's seed data, beats its naive baseline on
// another simulation (a different seed).
func TestTasksBeatBaselines(t *testing.T) {
	test := seedData(t, testMachine, 3000, 2)
	cases := []struct {
		task  Task
		check func(t *testing.T, m Metrics)
	}{
		{Classification, func(t *testing.T, m Metrics) {
			c := m.Classification
			if c.MacroF1 < c.Baseline.MacroF1+0.3 || c.Accuracy <= c.Baseline.Accuracy {
				t.Errorf("macro-F1 %.3f / accuracy %.3f vs majority class %.3f / %.3f", c.MacroF1, c.Accuracy, c.Baseline.MacroF1, c.Baseline.Accuracy)
			}
			if c.ECE > 0.1 {
				t.Errorf("ECE %.3f > 0.1", c.ECE)
			}
			total := 0
			for _, row := range c.Confusion {
				for _, v := range row {
					total += v
				}
			}
			if total != m.Rows || len(c.PerClass) != 4 {
				t.Errorf("confusion counts %d rows, metrics say %d; %d classes", total, m.Rows, len(c.PerClass))
			}
		}},
		{RUL, func(t *testing.T, m Metrics) {
			r := m.RUL
			if len(r.Baselines) != 2 || r.RMSE >= r.Baselines[0].RMSE || r.MAE >= r.Baselines[0].MAE {
				t.Errorf("RMSE %.1f MAE %.1f vs baselines %+v", r.RMSE, r.MAE, r.Baselines)
			}
			if r.Coverage < 0.3 || r.MeanWidth <= 0 {
				t.Errorf("interval coverage %.2f width %.1f", r.Coverage, r.MeanWidth)
			}
		}},
		{Anomaly, func(t *testing.T, m Metrics) {
			a := m.Anomaly
			if a.ROCAUC < 0.85 || a.Recall < 0.4 || a.FalseAlarmRate > 0.1 || a.Positives == 0 {
				t.Errorf("anomaly %+v", a)
			}
		}},
		{Forecast, func(t *testing.T, m Metrics) {
			f := m.Forecast
			if len(f.RelativeMAE) != DefaultHorizon || len(f.Sensors) != 3 {
				t.Fatalf("forecast metrics %+v", f)
			}
			for h, r := range f.RelativeMAE {
				if r >= 1 {
					t.Errorf("step %d: MAE / naive MAE = %.3f, want < 1", h+1, r)
				}
			}
			if f.Coverage < 0.5 || f.Coverage > 0.98 {
				t.Errorf("interval coverage %.2f for level %.2f", f.Coverage, f.IntervalLevel)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(string(tc.task), func(t *testing.T) {
			m := trainedModel(t, tc.task)
			met, err := m.Evaluate(test)
			if err != nil {
				t.Fatal(err)
			}
			if met.Task != tc.task || met.Rows == 0 {
				t.Fatalf("metrics task %s rows %d", met.Task, met.Rows)
			}
			tc.check(t, met)
			man := m.Manifest()
			chosen := 0
			for _, c := range man.Candidates {
				if c.Chosen {
					chosen++
					if c.Family != man.Family {
						t.Errorf("chosen candidate %s, manifest family %s", c.Family, man.Family)
					}
				}
			}
			if chosen != 1 || len(man.Candidates) != len(DefaultFamilies[tc.task]) {
				t.Errorf("candidates %+v", man.Candidates)
			}
			for _, c := range man.Candidates {
				// A family kept over a higher validation score says why (the signature model).
				if c.Chosen && c.Note == "" && slices.ContainsFunc(man.Candidates, func(o Candidate) bool { return o.Score > c.Score+1e-9 }) {
					t.Errorf("%s chosen over a higher score without a note: %+v", c.Family, man.Candidates)
				}
			}
			window := 20 // the default; health states also look 5 × 10 readings back for the signature deviations
			if tc.task == Classification {
				window = 50
			}
			if len(man.Importance) == 0 || man.Metrics.Data != "validation" || man.Window != window {
				t.Errorf("manifest importance %d, metrics data %q, window %d", len(man.Importance), man.Metrics.Data, man.Window)
			}
			if _, err := json.Marshal(met); err != nil {
				t.Errorf("metrics do not encode: %v", err)
			}
		})
	}
}

// parityCases cover every kind of ONNX head: tree classifier and regressor (one and many
// outputs), dense softmax/regression (MLP, linear), the fault-signature head and the three
// anomaly scores.
var parityCases = []struct {
	task   Task
	family string
}{
	{Classification, FamilyGBT}, {Classification, FamilyMLP}, {Classification, FamilyLinear}, {Classification, FamilyOrdinal},
	{Classification, FamilySignature},
	{RUL, FamilyGBT}, {RUL, FamilyMLP}, {RUL, FamilyLinear},
	{Anomaly, FamilyZScore}, {Anomaly, FamilyPCA}, {Anomaly, FamilyAutoencoder},
	{Forecast, FamilyGBT}, {Forecast, FamilyMLP}, {Forecast, FamilyLinear},
}

// ONNX Runtime and the pure-Go engine give the same outputs (max |diff| ≤ 1e-5) for every
// model kind, and the same predictions.
func TestParityORTGo(t *testing.T) {
	requireORT(t)
	data := lastRows(seedData(t, testMachine, 3000, 2), 600)
	for _, tc := range parityCases {
		t.Run(string(tc.task)+"/"+tc.family, func(t *testing.T) {
			m := trainedModel(t, tc.task, tc.family)
			m.openSession()
			if e, note := m.Engine(); e != EngineORT {
				t.Fatalf("engine %s (%s), want %s", e, note, EngineORT)
			}
			ort, ortLabels, _, err := m.RawOutputs(data, EngineORT)
			if err != nil {
				t.Fatal(err)
			}
			gov, goLabels, _, err := m.RawOutputs(data, EngineGo)
			if err != nil {
				t.Fatal(err)
			}
			if len(ort) != len(gov) || len(ort) == 0 {
				t.Fatalf("%d ORT outputs, %d Go outputs", len(ort), len(gov))
			}
			var d float64
			for i := range ort {
				d = max(d, math.Abs(float64(ort[i])-float64(gov[i])))
			}
			if d > 1e-5 {
				t.Errorf("max |ORT − Go| = %.3g > 1e-5", d)
			}
			t.Logf("%d outputs, max |ORT − Go| = %.3g", len(ort), d)
			if !slices.Equal(ortLabels, goLabels) {
				t.Errorf("labels differ between engines")
			}
			po, err := m.Predict(data, PredictOptions{Engine: EngineORT})
			if err != nil {
				t.Fatal(err)
			}
			pg, err := m.Predict(data, PredictOptions{Engine: EngineGo})
			if err != nil {
				t.Fatal(err)
			}
			if po[0].Engine != EngineORT || pg[0].Engine != EngineGo {
				t.Errorf("engine flags %q, %q", po[0].Engine, pg[0].Engine)
			}
			for i := range po {
				if !closePrediction(po[i], pg[i]) {
					a, _ := json.Marshal(po[i])
					b, _ := json.Marshal(pg[i])
					t.Fatalf("row %d: predictions differ:\nORT %s\nGo  %s", i, a, b)
				}
			}
		})
	}
}

// closePrediction compares two predictions up to float32 rounding (relative 1e-4) and the
// order of near-tied factors.
func closePrediction(a, b Prediction) bool {
	a.Engine, b.Engine = "", ""
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-4*max(1, math.Abs(x), math.Abs(y)) }
	var walk func(x, y any) bool
	walk = func(x, y any) bool {
		switch xv := x.(type) {
		case float64:
			yv, ok := y.(float64)
			return ok && near(xv, yv)
		case map[string]any:
			yv, ok := y.(map[string]any)
			if !ok || len(xv) != len(yv) {
				return false
			}
			for k := range xv {
				if k == "top_factors" {
					continue // tiny differences may reorder factors; values are compared below
				}
				if !walk(xv[k], yv[k]) {
					return false
				}
			}
			return true
		case []any:
			yv, ok := y.([]any)
			if !ok || len(xv) != len(yv) {
				return false
			}
			for i := range xv {
				if !walk(xv[i], yv[i]) {
					return false
				}
			}
			return true
		}
		return x == y
	}
	var x, y any
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	_ = json.Unmarshal(ja, &x)
	_ = json.Unmarshal(jb, &y)
	if !walk(x, y) {
		return false
	}
	// Factors: the same set of sensors with near-equal contributions. Contributions within
	// float32 noise of zero (a probability's difference of a few 1e-7) may be listed by one
	// engine and not the other.
	const noise = 1e-5
	fa := map[string]float64{}
	for _, f := range a.TopFactors {
		fa[f.Sensor] = f.Contribution
	}
	matched, listed := 0, 0
	for _, f := range b.TopFactors {
		c, ok := fa[f.Sensor]
		if math.Abs(f.Contribution) <= noise && (!ok || math.Abs(c) <= noise) {
			continue
		}
		listed++
		if ok {
			if !near(c, f.Contribution) && math.Abs(c-f.Contribution) > 1e-4 {
				return false
			}
			matched++
		}
	}
	return matched >= listed-1
}

func TestSaveLoadRoundTrip(t *testing.T) {
	data := lastRows(seedData(t, testMachine, 3000, 2), 300)
	for _, task := range Tasks {
		t.Run(string(task), func(t *testing.T) {
			m := trainedModel(t, task)
			dir := filepath.Join(t.TempDir(), "model")
			m.SetVersion(3)
			m.SetMeta("machine_id", testMachine)
			if err := m.Save(dir); err != nil {
				t.Fatal(err)
			}
			l, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			man, lman := m.Manifest(), l.Manifest()
			if lman.Version != 3 || lman.Meta["machine_id"] != testMachine || lman.Task != task || len(lman.Files) != 2 {
				t.Errorf("loaded manifest %+v", lman)
			}
			a, _ := json.Marshal(man)
			b, _ := json.Marshal(lman)
			if string(a) != string(b) {
				t.Errorf("manifest changed in the round trip")
			}
			pa, err := m.Predict(data, PredictOptions{Engine: EngineGo})
			if err != nil {
				t.Fatal(err)
			}
			pb, err := l.Predict(data, PredictOptions{Engine: EngineGo})
			if err != nil {
				t.Fatal(err)
			}
			ja, _ := json.Marshal(pa)
			jb, _ := json.Marshal(pb)
			if string(ja) != string(jb) {
				t.Errorf("predictions differ after Save/Load")
			}
			rm, err := ReadManifest(dir)
			if err != nil || rm.Task != task {
				t.Errorf("ReadManifest: %v", err)
			}
		})
	}
}

func TestLoadDamaged(t *testing.T) {
	m := trainedModel(t, RUL)
	src := filepath.Join(t.TempDir(), "src")
	if err := m.Save(src); err != nil {
		t.Fatal(err)
	}
	copyDir := func(t *testing.T) string {
		dst := filepath.Join(t.TempDir(), "m")
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{ManifestFile, ONNXFile, ParamsFile} {
			b, _ := os.ReadFile(filepath.Join(src, f))
			if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dst
	}
	cases := []struct {
		name    string
		damage  func(dir string)
		kind    apperr.Kind
		corrupt bool
		names   string
	}{
		{"no directory", func(dir string) { os.RemoveAll(dir) }, apperr.KindNotFound, false, ManifestFile},
		{"no manifest", func(dir string) { os.Remove(filepath.Join(dir, ManifestFile)) }, apperr.KindNotFound, false, ManifestFile},
		{"no onnx", func(dir string) { os.Remove(filepath.Join(dir, ONNXFile)) }, apperr.KindNotFound, false, ONNXFile},
		{"manifest not json", func(dir string) { os.WriteFile(filepath.Join(dir, ManifestFile), []byte("{oops"), 0o644) }, apperr.KindInternal, true, ManifestFile},
		{"onnx byte flipped", func(dir string) { flip(filepath.Join(dir, ONNXFile)) }, apperr.KindInternal, true, ONNXFile},
		{"params truncated", func(dir string) { truncate(filepath.Join(dir, ParamsFile)) }, apperr.KindInternal, true, ParamsFile},
		{"onnx replaced consistently", func(dir string) {
			// A garbage model whose checksum was updated in the manifest: still refused.
			p := filepath.Join(dir, ONNXFile)
			os.WriteFile(p, []byte("not a model"), 0o644)
			var man Manifest
			b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
			json.Unmarshal(b, &man)
			man.Files[ONNXFile] = sha([]byte("not a model"))
			b, _ = json.Marshal(man)
			os.WriteFile(filepath.Join(dir, ManifestFile), b, 0o644)
		}, apperr.KindInternal, true, ONNXFile},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t)
			tc.damage(dir)
			_, err := Load(dir)
			if err == nil {
				t.Fatal("damaged model loaded")
			}
			if apperr.KindOf(err) != tc.kind || errors.Is(err, ErrCorrupt) != tc.corrupt || !strings.Contains(err.Error(), tc.names) {
				t.Errorf("got %v (kind %s, corrupt %v), want kind %s corrupt %v naming %s", err, apperr.KindOf(err), errors.Is(err, ErrCorrupt), tc.kind, tc.corrupt, tc.names)
			}
		})
	}
}

func flip(path string) {
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 0x5a
	os.WriteFile(path, b, 0o644)
}

func truncate(path string) {
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)/2], 0o644)
}

func TestFitBadInput(t *testing.T) {
	train := seedData(t, testMachine, 1000, 1)
	short, _ := datasets.NewTable(datasets.NewFloat("x", []float64{1, 2, 3}, datasets.Meta{}))
	empty, _ := datasets.NewTable(datasets.NewFloat("x", nil, datasets.Meta{}))
	cases := []struct {
		name  string
		spec  func() FitSpec
		field string
	}{
		{"unknown task", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Task = "magic"; return s }, "task"},
		{"no training data", func() FitSpec { return SeedSpec(RUL, nil, nil, nil) }, "train"},
		{"no rows", func() FitSpec { return SeedSpec(RUL, empty, nil, nil) }, "train"},
		{"too few rows", func() FitSpec { return FitSpec{Task: Anomaly, Train: short} }, "train"},
		{"empty validation", func() FitSpec { return SeedSpec(RUL, train, empty, nil) }, "valid"},
		{"unknown target", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Target = "life"; return s }, "target"},
		{"missing target", func() FitSpec { s := SeedSpec(Classification, train, nil, nil); s.Target = ""; return s }, "target"},
		{"rul on text", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Target = "failure_mode"; return s }, "target"},
		{"class on fractions", func() FitSpec { s := SeedSpec(Classification, train, nil, nil); s.Target = "degradation"; return s }, "target"},
		{"class on a timestamp", func() FitSpec {
			s := SeedSpec(Classification, train, nil, nil)
			s.Target = "timestamp"
			s.Order = ""
			return s
		}, "target"},
		{"unknown group", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Group = "asset"; return s }, "group"},
		{"unknown order", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Order = "when"; return s }, "order"},
		{"order is text", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Order = "regime"; return s }, "order"},
		{"unknown drop", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Drop = []string{"nope"}; return s }, "drop"},
		{"window too large", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Window = 5000; return s }, "window"},
		{"horizon too large", func() FitSpec { s := SeedSpec(Forecast, train, nil, []string{"current"}); s.Horizon = 1000; return s }, "horizon"},
		{"forecast unknown sensor", func() FitSpec { return SeedSpec(Forecast, train, nil, []string{"torque"}) }, "sensors"},
		{"forecast text sensor", func() FitSpec { return SeedSpec(Forecast, train, nil, []string{"regime"}) }, "sensors"},
		{"family of another task", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.Families = []string{FamilyPCA}; return s }, "families"},
		{"unknown progress", func() FitSpec { s := SeedSpec(Classification, train, nil, nil); s.Progress = "wear"; return s }, "progress"},
		{"progress is text", func() FitSpec { s := SeedSpec(Classification, train, nil, nil); s.Progress = "regime"; return s }, "progress"},
		{"interval level", func() FitSpec { s := SeedSpec(RUL, train, nil, nil); s.IntervalLevel = 1.5; return s }, "interval_level"},
		{"false alarm rate", func() FitSpec { s := SeedSpec(Anomaly, train, nil, nil); s.FalseAlarmRate = 0.9; return s }, "false_alarm_rate"},
		{"one class", func() FitSpec {
			s := SeedSpec(Classification, train, nil, nil)
			s.Target = "episode_end"
			s.Train = without(train, "episode_end")
			s.Train.Columns = append(s.Train.Columns, datasets.NewString("episode_end", slices.Repeat([]string{"x"}, train.NumRows()), datasets.Meta{}))
			return s
		}, "target"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fit(context.Background(), tc.spec(), nil)
			e := apperr.As(err)
			if err == nil || e.Kind != apperr.KindBadInput || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Fatalf("got %v, want bad input on field %q", err, tc.field)
			}
		})
	}
}

func TestPredictBadInput(t *testing.T) {
	m := trainedModel(t, Classification)
	data := lastRows(seedData(t, testMachine, 3000, 2), 50)
	empty, _ := datasets.NewTable(datasets.NewFloat("x", nil, datasets.Meta{}))
	cases := []struct {
		name  string
		data  *datasets.Table
		opts  PredictOptions
		field string
	}{
		{"no rows", empty, PredictOptions{}, "data"},
		{"nil table", nil, PredictOptions{}, "data"},
		{"missing sensor", without(data, "current"), PredictOptions{}, "columns"},
		{"unknown engine", data, PredictOptions{Engine: "tpu"}, "engine"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Predict(tc.data, tc.opts)
			e := apperr.As(err)
			if err == nil || e.Kind != apperr.KindBadInput || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Fatalf("got %v, want bad input on field %q", err, tc.field)
			}
		})
	}
	if _, err := m.Evaluate(without(data, SeedTarget)); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("evaluate without target: %v", err)
	}
}

// Predicting from a buffer of recent rows without any label column: one prediction per group,
// with top factors and the engine flag.
func TestPredictLastFromBuffer(t *testing.T) {
	labels := []string{"failure_mode", "degradation", "health_state", "rul", "episode_end", "outlier"}
	buf := without(lastRows(seedData(t, testMachine, 3000, 2), 60), labels...)
	groups := map[int64]bool{}
	for _, u := range buf.Column("unit").Ints {
		groups[u] = true
	}
	for _, task := range Tasks {
		t.Run(string(task), func(t *testing.T) {
			m := trainedModel(t, task)
			preds, err := m.Predict(buf, PredictOptions{Last: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(preds) != len(groups) {
				t.Fatalf("%d predictions for %d groups", len(preds), len(groups))
			}
			for _, p := range preds {
				if p.Engine == "" || p.Group == "" || p.Time == nil {
					t.Errorf("prediction lacks engine/group/time: %+v", p)
				}
				if len(p.TopFactors) == 0 || len(p.TopFactors) > 5 {
					t.Errorf("%d top factors", len(p.TopFactors))
				}
				for i, f := range p.TopFactors {
					if f.Sensor == "" || f.Value == nil {
						t.Errorf("factor %+v", f)
					}
					if i > 0 && math.Abs(f.Contribution) > math.Abs(p.TopFactors[i-1].Contribution) {
						t.Errorf("factors not sorted by |contribution|")
					}
				}
				switch task {
				case Classification:
					var sum float64
					for _, v := range p.Probabilities {
						sum += v
					}
					if math.Abs(sum-1) > 1e-4 || p.Confidence == nil {
						t.Errorf("probabilities sum to %v", sum)
					}
					if _, ok := p.Prediction.(int64); !ok {
						t.Errorf("class %T, want int64 like the target column", p.Prediction)
					}
				case RUL:
					v := p.Prediction.(float64)
					if p.Interval == nil || p.Interval.Lower > v || p.Interval.Upper < v || v < 0 {
						t.Errorf("rul %v interval %+v", v, p.Interval)
					}
				case Anomaly:
					if p.Score == nil || p.Threshold == nil || p.IsAnomaly == nil || *p.IsAnomaly != (*p.Score > *p.Threshold) {
						t.Errorf("anomaly %+v", p)
					}
					var sum float64
					for _, f := range p.TopFactors {
						sum += f.Contribution
						if f.Contribution < 0 {
							t.Errorf("negative anomaly contribution %+v", f)
						}
					}
					if sum > *p.Score*(1+1e-6) {
						t.Errorf("contributions %v exceed the score %v", sum, *p.Score)
					}
				case Forecast:
					if len(p.Forecast) != 3 {
						t.Fatalf("%d forecasts", len(p.Forecast))
					}
					for _, f := range p.Forecast {
						if len(f.Values) != DefaultHorizon || len(f.TopFactors) == 0 {
							t.Errorf("forecast %+v", f)
						}
						for h := range f.Values {
							if !(f.Lower[h] <= f.Upper[h]) {
								t.Errorf("interval %v..%v", f.Lower[h], f.Upper[h])
							}
						}
					}
				}
				if _, err := json.Marshal(p); err != nil {
					t.Errorf("prediction does not encode: %v", err)
				}
			}
		})
	}
}

// Generic use: an arbitrary CSV with numeric, boolean, categorical and identifier columns and
// missing values, grouped by asset and ordered by time, for every task.
func TestMixedCSV(t *testing.T) {
	tb, err := datasets.ReadCSVFile(context.Background(), filepath.Join("testdata", "mixed.csv"), datasets.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		spec FitSpec
	}{
		{FitSpec{Task: Classification, Target: "status", Drop: []string{"remaining"}}},
		{FitSpec{Task: RUL, Target: "remaining", Drop: []string{"status"}}},
		{FitSpec{Task: Anomaly, Drop: []string{"status", "remaining"}}},
		{FitSpec{Task: Forecast, Sensors: []string{"temp_c", "pressure_bar"}, Horizon: 5, Drop: []string{"status", "remaining"}}},
	}
	for _, tc := range cases {
		t.Run(string(tc.spec.Task), func(t *testing.T) {
			spec := tc.spec
			spec.Train, spec.Group, spec.Order, spec.Window, spec.Trees, spec.Epochs = tb, "asset", "time", 6, 40, 10
			m, err := Fit(context.Background(), spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			man := m.Manifest()
			skipped := map[string]string{}
			for _, s := range man.Skipped {
				skipped[s.Column] = s.Reason
			}
			if !strings.Contains(skipped["operator"], "identifier") || !strings.Contains(skipped["site"], "constant") {
				t.Errorf("skipped %v", skipped)
			}
			for _, want := range []string{"temp_c.missing", "mode=auto", "mode=eco.share", "door_open.mean", "temp_c.last~ctx"} {
				if !slices.Contains(man.Features, want) {
					t.Errorf("no feature %s in %v", want, man.Features)
				}
			}
			preds, err := m.Predict(tb, PredictOptions{Last: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(preds) != 4 {
				t.Fatalf("%d predictions for 4 assets", len(preds))
			}
			if _, err := json.Marshal(preds); err != nil {
				t.Fatal(err)
			}
			if spec.Task == Classification {
				if _, ok := preds[0].Prediction.(string); !ok {
					t.Errorf("class %T, want string", preds[0].Prediction)
				}
			}
			if _, err := m.Evaluate(tb); err != nil {
				t.Errorf("evaluate: %v", err)
			}
		})
	}
}

func TestFitCancelAndProgress(t *testing.T) {
	train := seedData(t, testMachine, 1000, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, SeedSpec(Classification, train, nil, nil), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fit: %v", err)
	}
	var stages []string
	last := -1.0
	spec := SeedSpec(RUL, train, nil, nil)
	spec.Families = []string{FamilyLinear}
	_, err := Fit(context.Background(), spec, func(stage string, frac float64) {
		if frac < last {
			t.Errorf("progress went back from %v to %v at %s", last, frac, stage)
		}
		last = frac
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != 1 || stages[0] != "features" || stages[len(stages)-1] != "done" {
		t.Errorf("stages %v, last fraction %v", stages, last)
	}
}

// PredictBatch gives the same predictions as one Predict after another, from many goroutines
// at once (run with -race).
func TestPredictBatchConcurrent(t *testing.T) {
	buf := currentBuffer(seedData(t, testMachine, 3000, 2), 20, 0)
	var items []BatchItem
	for _, task := range Tasks {
		fam := FamilyLinear
		if task == Anomaly {
			fam = FamilyZScore
		}
		m := trainedModel(t, task, fam)
		for _, eng := range []string{"", EngineGo} {
			for k := 0; k < 3; k++ {
				items = append(items, BatchItem{Model: m, Data: buf, Options: PredictOptions{Last: true, Engine: eng}})
			}
		}
	}
	res := PredictBatch(context.Background(), items, 4)
	for i, it := range items {
		want, err := it.Model.Predict(it.Data, it.Options)
		if err != nil || res[i].Err != nil {
			t.Fatalf("item %d: %v / %v", i, err, res[i].Err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(res[i].Predictions)
		if string(a) != string(b) {
			t.Errorf("item %d: batch prediction differs", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, r := range PredictBatch(ctx, items[:2], 1) {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("cancelled batch: %v", r.Err)
		}
	}
}

// The same spec and seed give the same model, byte for byte.
func TestFitDeterministic(t *testing.T) {
	train := seedData(t, testMachine, 1000, 1)
	var models [][]byte
	for i := 0; i < 2; i++ {
		spec := SeedSpec(Classification, train, nil, nil)
		spec.Families, spec.Trees, spec.Seed = []string{FamilyGBT}, 20, 7
		m, err := Fit(context.Background(), spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m.ONNX())
	}
	if string(models[0]) != string(models[1]) {
		t.Error("two fits with the same seed differ")
	}
}

func TestForSyntheticWindow(t *testing.T) {
	for _, task := range Tasks {
		s := SeedSpec(task, nil, nil, nil)
		s.ForSynthetic()
		want := 0
		if task == Classification || task == RUL {
			want = SyntheticWindow
		}
		if s.Window != want {
			t.Errorf("%s: window %d, want %d", task, s.Window, want)
		}
		s = SeedSpec(task, nil, nil, nil)
		s.Window = 12
		s.ForSynthetic()
		if s.Window != 12 {
			t.Errorf("%s: an explicit window changed to %d", task, s.Window)
		}
	}
}
