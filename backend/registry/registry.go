// Package registry is the per-machine model registry: it trains the four models of a machine
// (on its synthetic train set when there is one, else its seed data), tests them on the real seed
// data, stores each version under machines/<id>/models/<task>/v<N>/ with a model_versions row,
// activates and rolls back versions, and predicts with the active models — logging every
// prediction in the predictions table.
package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/onboard"
	"pdmstudio/backend/onnxrt"
	"pdmstudio/backend/store"
)

// Registry trains, stores and serves the models of every machine.
type Registry struct {
	Workflow *onboard.Workflow
	// Live, when set, gives a machine's live telemetry window (see backend/telemetry); ok false
	// falls back to the machine's held-out test or seed data.
	// base is how many of the episode's first readings to put ahead of the recent ones for
	// models that read the asset's own baseline (ml.Model.BaseRows; 0: none).
	Live func(ctx context.Context, machineID string, base int) (t *datasets.Table, source string, ok bool)

	mu     sync.Mutex
	loaded map[string]*ml.Model // by model version id
}

func (r *Registry) st() *store.Store { return r.Workflow.Machines.Store }

// ParseTasks parses "classification,rul" (empty: all four).
func ParseTasks(s string) ([]ml.Task, error) {
	if strings.TrimSpace(s) == "" {
		return slices.Clone(ml.Tasks), nil
	}
	var out []ml.Task
	for _, p := range strings.Split(s, ",") {
		t := ml.Task(strings.TrimSpace(p))
		if !slices.Contains(ml.Tasks, t) {
			return nil, apperr.BadInput("unknown task", apperr.FieldError{Field: "tasks",
				Message: fmt.Sprintf("%q is not one of classification, rul, anomaly, forecast", p)})
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// TrainOptions choose what to train.
type TrainOptions struct {
	Tasks []ml.Task `json:"tasks"` // empty: all four
	Seed  uint64    `json:"seed"`
}

// TrainedVersion is one model version a training produced.
type TrainedVersion struct {
	Task      ml.Task        `json:"task"`
	VersionID string         `json:"version_id"`
	Version   int            `json:"version"`
	Family    string         `json:"family"`
	Active    bool           `json:"active"`
	Metrics   VersionMetrics `json:"metrics"`
	Seconds   float64        `json:"seconds"`
	Path      string         `json:"path"`
	Manifest  *ml.Manifest   `json:"-"`
}

// VersionMetrics are stored in model_versions.metrics: validation metrics, and the metrics on the
// machine's real seed data when the model was trained on synthetic data (train-on-synthetic,
// test-on-real; on the half of the seed episodes that did not validate the model).
type VersionMetrics struct {
	Validation ml.Metrics      `json:"validation"`
	TestOnReal *ml.Metrics     `json:"test_on_real,omitempty"`
	TrainedOn  string          `json:"trained_on"` // "synthetic" or "seed"
	Family     string          `json:"family"`
	Candidates []ml.Candidate  `json:"candidates"`
	Importance []ml.Importance `json:"importance"`
}

// SubmitTrain starts training a machine's models as a job.
func (r *Registry) SubmitTrain(ctx context.Context, machineID string, opts TrainOptions) (jobs.Job, error) {
	m, err := r.Workflow.Machines.Get(ctx, machineID)
	if err != nil {
		return jobs.Job{}, err
	}
	if p, _ := r.Workflow.DatasetPath(machineID, onboard.KindSeed); !fileExists(p) {
		return jobs.Job{}, apperr.Conflictf("machine %s has no seed data yet; generate it first", m.MachineID)
	}
	if len(opts.Tasks) == 0 {
		opts.Tasks = slices.Clone(ml.Tasks)
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	return r.Workflow.Jobs.Submit(ctx, jobs.Spec{Kind: "models.train", MachineID: machineID, Params: opts},
		func(ctx context.Context, p *jobs.Progress) (any, error) { return r.RunTrain(ctx, p, machineID, opts) })
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// RunTrain trains a machine's models inside a running job (the models stage follows it).
func (r *Registry) RunTrain(ctx context.Context, p *jobs.Progress, machineID string, opts TrainOptions) (any, error) {
	if len(opts.Tasks) == 0 {
		opts.Tasks = slices.Clone(ml.Tasks)
	}
	bg := context.WithoutCancel(ctx)
	ms := r.Workflow.Machines
	ms.SetStage(bg, machineID, "models", store.StageRunning, "")
	out, err := r.trainTasks(ctx, p, machineID, opts)
	if err != nil {
		state, msg := store.StageFailed, err.Error()
		if ctx.Err() != nil {
			state, msg = store.StagePending, "cancelled"
		}
		ms.SetStage(bg, machineID, "models", state, msg)
		return nil, err
	}
	var parts []string
	for _, v := range out {
		parts = append(parts, fmt.Sprintf("%s v%d", v.Task, v.Version))
	}
	ms.SetStage(bg, machineID, "models", store.StageDone, strings.Join(parts, ", "))
	return out, nil
}

func (r *Registry) trainTasks(ctx context.Context, p *jobs.Progress, machineID string, opts TrainOptions) ([]TrainedVersion, error) {
	w := r.Workflow
	prof, err := w.Machines.Profile(ctx, machineID)
	if err != nil {
		return nil, err
	}
	var sensors []string
	for _, s := range prof.KeySensors() {
		sensors = append(sensors, s.Name)
	}
	seed, err := w.Table(ctx, machineID, onboard.KindSeed)
	if err != nil {
		return nil, err
	}
	train, valid, trainedOn := seed, (*datasets.Table)(nil), "seed"
	testReal := seed
	if t, err := w.Table(ctx, machineID, onboard.KindTrain); err == nil {
		train, trainedOn = t, "synthetic"
		// Models learn from the synthetic rows; they are validated (early stopping, choice of
		// family, calibration of probabilities, intervals and thresholds) on half of the real
		// seed episodes and tested on the other half. With fewer than 4 seed episodes the
		// synthetic val set validates and the whole seed data tests.
		if half, rest := ml.SplitGroups(seed, ml.SeedGroup, 4); rest != nil {
			valid, testReal = half, rest
		} else if v, err := w.Table(ctx, machineID, onboard.KindVal); err == nil {
			valid = v
		}
	}
	existing, err := r.st().ModelVersions(ctx, machineID)
	if err != nil {
		return nil, err
	}
	var out []TrainedVersion
	for i, task := range opts.Tasks {
		start := time.Now()
		base := float64(i) / float64(len(opts.Tasks))
		span := 1 / float64(len(opts.Tasks))
		spec := ml.SeedSpec(task, train, valid, sensors)
		spec.Seed = opts.Seed
		spec.Signatures = ml.SignaturesFrom(prof.FaultShifts(), prof.FaultProgressions())
		if trainedOn == "synthetic" {
			spec.ForSynthetic()
		}
		model, err := ml.Fit(ctx, spec, func(stage string, frac float64) {
			p.Report(string(task)+": "+stage, base+span*0.9*frac, map[string]any{"task": string(task)})
		})
		if err != nil {
			return out, fmt.Errorf("train %s model: %w", task, err)
		}
		man := model.Manifest()
		vm := VersionMetrics{Validation: man.Metrics, TrainedOn: trainedOn, Family: man.Family, Candidates: man.Candidates, Importance: man.Importance}
		if trainedOn == "synthetic" {
			p.Report(string(task)+": testing on real seed data", base+span*0.92, nil)
			if m, err := model.Evaluate(testReal); err == nil {
				vm.TestOnReal = &m
			}
		}
		version := 1
		for _, e := range existing {
			if e.ModelType == string(task) {
				if n, _ := strconv.Atoi(strings.TrimPrefix(e.Version, "v")); n >= version {
					version = n + 1
				}
			}
		}
		model.SetVersion(version)
		model.SetMeta("machine_id", machineID)
		model.SetMeta("trained_on", trainedOn)
		dir, _ := w.Dir.MachineDir(machineID)
		path := filepath.Join(dir, "models", string(task), "v"+strconv.Itoa(version))
		if err := model.Save(path); err != nil {
			model.Close()
			return out, err
		}
		model.Close()
		metrics, _ := json.Marshal(vm)
		mid := machineID
		row := store.ModelVersion{ID: uuid.NewString(), MachineID: &mid, ModelType: string(task), Version: "v" + strconv.Itoa(version),
			FilePath: path, Metrics: metrics, TrainedAt: store.Now()}
		if err := r.st().InsertModelVersion(ctx, row); err != nil {
			return out, err
		}
		active := true
		for _, e := range existing {
			if e.ModelType == string(task) && e.IsActive {
				active = false // a new version is compared first, then activated by the user
			}
		}
		if active {
			if err := r.st().ActivateModelVersion(ctx, row.ID); err != nil {
				return out, err
			}
		}
		out = append(out, TrainedVersion{Task: task, VersionID: row.ID, Version: version, Family: man.Family, Active: active,
			Metrics: vm, Seconds: time.Since(start).Seconds(), Path: path})
	}
	p.Report("done", 1, nil)
	return out, nil
}

// Versions lists a machine's model versions.
func (r *Registry) Versions(ctx context.Context, machineID string) ([]store.ModelVersion, error) {
	if _, err := r.Workflow.Machines.Get(ctx, machineID); err != nil {
		return nil, err
	}
	return r.st().ModelVersions(ctx, machineID)
}

// Activate makes a version the active one of its machine and task (also how a rollback is done:
// activate the earlier version).
func (r *Registry) Activate(ctx context.Context, versionID string) (store.ModelVersion, error) {
	v, err := r.st().GetModelVersion(ctx, versionID)
	if errors.Is(err, store.ErrNotFound) {
		return v, apperr.NotFoundf("model version %s does not exist", versionID)
	}
	if err != nil {
		return v, err
	}
	if _, err := ml.ReadManifest(v.FilePath); err != nil {
		return v, fmt.Errorf("model version %s cannot be activated: %w", versionID, err)
	}
	if err := r.st().ActivateModelVersion(ctx, versionID); err != nil {
		return v, err
	}
	v.IsActive = true
	return v, nil
}

// model loads (once) the model of a version.
func (r *Registry) model(v store.ModelVersion) (*ml.Model, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.loaded == nil {
		r.loaded = map[string]*ml.Model{}
	}
	if m, ok := r.loaded[v.ID]; ok {
		return m, nil
	}
	// Load ONNX Runtime before the first model so predictions run on it; without the library the
	// models fall back to pure-Go inference and say so in each prediction's engine field.
	onnxrt.Probe()
	m, err := ml.Load(v.FilePath)
	if err != nil {
		return nil, fmt.Errorf("load %s model %s: %w", v.ModelType, v.Version, err)
	}
	r.loaded[v.ID] = m
	return m, nil
}

// Close releases the loaded models.
func (r *Registry) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.loaded {
		m.Close()
	}
	r.loaded = nil
}

// TaskPrediction is the prediction of one task for a machine.
type TaskPrediction struct {
	Task        ml.Task        `json:"task"`
	VersionID   string         `json:"version_id"`
	Version     string         `json:"version"`
	Prediction  *ml.Prediction `json:"prediction,omitempty"`
	InferenceMS float64        `json:"inference_ms"`
	Error       string         `json:"error,omitempty"`
}

// MachinePrediction is all task predictions of a machine on its latest readings.
type MachinePrediction struct {
	MachineID string           `json:"machine_id"`
	Source    string           `json:"source"` // where the readings came from
	Rows      int              `json:"rows"`
	Tasks     []TaskPrediction `json:"tasks"`
	Time      string           `json:"time"`
}

// LatestReadings returns the recent history of a machine the models predict from: its live
// telemetry window, or else the last 200 rows of the last episode of its held-out test set (or
// of its seed data when it has none). When an active model reads the asset's own baseline,
// the episode's first readings lead the table (ml.BaseRowsOf says how many).
func (r *Registry) LatestReadings(ctx context.Context, machineID string) (*datasets.Table, string, error) {
	group, base := r.baseRows(ctx, machineID)
	if r.Live != nil {
		if t, src, ok := r.Live(ctx, machineID, base); ok {
			return t, src, nil
		}
	}
	for _, kind := range []string{onboard.KindTest, onboard.KindSeed} {
		t, err := r.Workflow.Table(ctx, machineID, kind)
		if err != nil {
			continue
		}
		t, _ = ml.Recent(t, group, latestRows, base)
		return t, kind, nil
	}
	return nil, "", apperr.Conflictf("machine %s has no data to predict from yet", machineID)
}

// latestRows is how many recent rows LatestReadings returns from a stored data set.
const latestRows = 200

// baseRows returns the group column and the number of baseline rows that the machine's
// active models read (the most of any; 0 when none reads a baseline or none loads).
func (r *Registry) baseRows(ctx context.Context, machineID string) (group string, base int) {
	versions, err := r.Versions(ctx, machineID)
	if err != nil {
		return "", 0
	}
	for _, v := range versions {
		if !v.IsActive {
			continue
		}
		m, err := r.model(v)
		if err != nil {
			continue
		}
		if b := m.BaseRows(); b > base {
			group, base = m.Manifest().Group, b
		}
		if group == "" {
			group = m.Manifest().Group
		}
	}
	return group, base
}

// Predict runs every active model of a machine on its latest readings and logs the results.
func (r *Registry) Predict(ctx context.Context, machineID string) (*MachinePrediction, error) {
	versions, err := r.Versions(ctx, machineID)
	if err != nil {
		return nil, err
	}
	var active []store.ModelVersion
	for _, v := range versions {
		if v.IsActive {
			active = append(active, v)
		}
	}
	if len(active) == 0 {
		return nil, apperr.Conflictf("machine %s has no trained models yet; train them first", machineID)
	}
	data, source, err := r.LatestReadings(ctx, machineID)
	if err != nil {
		return nil, err
	}
	res := &MachinePrediction{MachineID: machineID, Source: source, Rows: data.NumRows(), Time: store.Now()}
	var logs []store.PredictionRow
	snapshot := snapshotLast(data)
	for _, task := range ml.Tasks {
		idx := slices.IndexFunc(active, func(v store.ModelVersion) bool { return v.ModelType == string(task) })
		if idx < 0 {
			continue
		}
		v := active[idx]
		tp := TaskPrediction{Task: task, VersionID: v.ID, Version: v.Version}
		m, err := r.model(v)
		if err == nil {
			start := time.Now()
			var ps []ml.Prediction
			ps, err = m.Predict(data, ml.PredictOptions{Last: true})
			tp.InferenceMS = float64(time.Since(start).Microseconds()) / 1000
			if err == nil && len(ps) > 0 {
				p := ps[len(ps)-1]
				tp.Prediction = &p
			}
		}
		if err != nil {
			tp.Error = err.Error()
		} else if tp.Prediction != nil {
			b, _ := json.Marshal(tp.Prediction)
			vid := v.ID
			ms := tp.InferenceMS
			logs = append(logs, store.PredictionRow{ID: uuid.NewString(), MachineID: machineID, PredictionType: string(task),
				ModelVersionID: &vid, InputData: snapshot, Result: b, Confidence: tp.Prediction.Confidence, InferenceMS: &ms, Timestamp: res.Time})
		}
		res.Tasks = append(res.Tasks, tp)
	}
	if err := r.st().InsertPredictions(ctx, logs); err != nil {
		return res, err
	}
	return res, nil
}

// snapshotLast is the input snapshot logged with a prediction: the latest row's values.
func snapshotLast(t *datasets.Table) json.RawMessage {
	n := t.NumRows()
	row := map[string]any{}
	if n > 0 {
		for _, c := range t.Columns {
			row[c.Name] = c.Value(n - 1)
		}
	}
	b, _ := json.Marshal(row)
	return b
}
