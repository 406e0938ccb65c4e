package onboard

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/nn"
	"pdmstudio/backend/store"
	"pdmstudio/backend/tvae"
)

// ModelFile is the TVAE model inside a machine's folder.
const ModelFile = "tvae.model"

// TrainOptions are the inputs of TVAE training; zero values take the defaults (300 epochs,
// batch 500, seed 42).
type TrainOptions struct {
	Epochs    int    `json:"epochs"`
	BatchSize int    `json:"batch_size"`
	Seed      uint64 `json:"seed"`
}

// TrainResult says what TVAE training produced.
type TrainResult struct {
	MachineID   string    `json:"machine_id"`
	RunID       string    `json:"run_id"`
	ModelPath   string    `json:"model_path"`
	Epochs      int       `json:"epochs"`
	Rows        int       `json:"rows"`
	Columns     []string  `json:"columns"`
	FinalLoss   float64   `json:"final_loss"`
	LossHistory []float64 `json:"loss_history"`
	Seconds     float64   `json:"seconds"`
	Bytes       int64     `json:"bytes"`
}

// modelled keeps the columns the TVAE learns: everything but the time axis and the episode id,
// which identify rows rather than describe them (Generate rebuilds both).
func modelled(t *datasets.Table) (*datasets.Table, error) {
	var cols []*datasets.Column
	for _, c := range t.Columns {
		if c.Meta.Role == datasets.RoleTime || c.Meta.Role == datasets.RoleID {
			continue
		}
		cols = append(cols, c)
	}
	out, err := datasets.NewTable(cols...)
	if err != nil {
		return nil, err
	}
	out.Meta = t.Meta
	return out, nil
}

// SubmitTrain starts TVAE training of a machine on its seed data.
func (w *Workflow) SubmitTrain(ctx context.Context, machineID string, opts TrainOptions) (jobs.Job, error) {
	if _, err := w.Machines.Get(ctx, machineID); err != nil {
		return jobs.Job{}, err
	}
	if p, _ := w.DatasetPath(machineID, KindSeed); !exists(p) {
		return jobs.Job{}, apperr.Conflictf("machine %s has no seed data yet; generate it first", machineID)
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	var fields []apperr.FieldError
	if opts.Epochs < 0 || opts.Epochs > 100_000 {
		fields = append(fields, apperr.FieldError{Field: "epochs", Message: fmt.Sprintf("must be between 1 and 100000, got %d", opts.Epochs)})
	}
	if opts.BatchSize < 0 || opts.BatchSize > 100_000 {
		fields = append(fields, apperr.FieldError{Field: "batch_size", Message: fmt.Sprintf("must be between 1 and 100000, got %d", opts.BatchSize)})
	}
	if len(fields) > 0 {
		return jobs.Job{}, apperr.BadInput("invalid training options", fields...)
	}
	return w.Jobs.Submit(ctx, jobs.Spec{Kind: "tvae.train", MachineID: machineID, Params: opts}, func(ctx context.Context, p *jobs.Progress) (any, error) {
		return w.RunTrain(ctx, p, machineID, opts)
	})
}

// RunTrain trains a machine's TVAE inside a running job (the trained stage follows it).
func (w *Workflow) RunTrain(ctx context.Context, p *jobs.Progress, machineID string, opts TrainOptions) (any, error) {
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	to := tvae.Options{Epochs: opts.Epochs, BatchSize: opts.BatchSize, Seed: opts.Seed}
	return w.stageRun(ctx, machineID, "trained", func() (string, any, error) { return w.train(ctx, p, machineID, to) })
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func (w *Workflow) train(ctx context.Context, p *jobs.Progress, machineID string, to tvae.Options) (string, any, error) {
	start := time.Now()
	st := w.Machines.Store
	p.Report("reading seed data", 0, nil)
	seed, err := w.Table(ctx, machineID, KindSeed)
	if err != nil {
		return "", nil, err
	}
	data, err := modelled(seed)
	if err != nil {
		return "", nil, err
	}
	jobID := p.JobID()
	run := store.TrainingRun{ID: uuid.NewString(), MachineID: machineID, JobID: &jobID, Epochs: to.Epochs, Status: "running"}
	if run.Epochs == 0 {
		run.Epochs = tvae.DefaultOptions().Epochs
	}
	started := store.Now()
	run.StartedAt = &started
	if err := st.InsertTrainingRun(ctx, run); err != nil {
		return "", nil, err
	}
	var loss []float64
	lastSave := time.Now()
	bg := context.WithoutCancel(ctx)
	finish := func(status string) { st.UpdateTrainingRun(bg, run.ID, status, loss, true) }
	p.Report("fitting mode-specific normalisation", 0.01, nil)
	m, err := tvae.Fit(ctx, data, to, func(e tvae.EpochInfo) {
		if e.Epoch == 0 {
			p.Report("training", 0.02, map[string]any{"epoch": 0, "epochs": e.Epochs})
			return
		}
		loss = append(loss, e.Loss)
		p.Report("training", 0.02+0.93*float64(e.Epoch)/float64(e.Epochs), map[string]any{"epoch": e.Epoch, "epochs": e.Epochs, "loss": e.Loss})
		if time.Since(lastSave) > 2*time.Second {
			st.UpdateTrainingRun(bg, run.ID, "running", loss, false)
			lastSave = time.Now()
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			finish("cancelled")
		} else {
			finish("failed")
		}
		return "", nil, err
	}
	p.Report("saving model", 0.97, nil)
	dir, _ := w.Dir.MachineDir(machineID)
	path := filepath.Join(dir, ModelFile)
	if err := m.Save(path); err != nil {
		finish("failed")
		return "", nil, err
	}
	loss = m.LossHistory
	finish("completed")
	fi, _ := os.Stat(path)
	res := TrainResult{MachineID: machineID, RunID: run.ID, ModelPath: path, Epochs: len(m.LossHistory), Rows: data.NumRows(),
		LossHistory: m.LossHistory, Seconds: time.Since(start).Seconds(), Bytes: fi.Size()}
	for _, c := range data.Columns {
		res.Columns = append(res.Columns, c.Name)
	}
	if n := len(m.LossHistory); n > 0 {
		res.FinalLoss = m.LossHistory[n-1]
	}
	return fmt.Sprintf("%d epochs, final loss %.3f, %.0fs", res.Epochs, res.FinalLoss, res.Seconds), res, nil
}

// GenerateOptions are the sizes of the synthetic train/val/test sets; zero values take the
// defaults 35,000 / 7,500 / 7,500.
type GenerateOptions struct {
	Train int    `json:"train"`
	Val   int    `json:"val"`
	Test  int    `json:"test"`
	Seed  uint64 `json:"seed"`
}

// GeneratedSet describes one written synthetic dataset.
type GeneratedSet struct {
	Kind     string `json:"kind"`
	Path     string `json:"path"`
	Rows     int    `json:"rows"`
	Episodes int    `json:"episodes"`
	Bytes    int64  `json:"bytes"`
}

// GenerateResult says what synthetic generation wrote.
type GenerateResult struct {
	MachineID string         `json:"machine_id"`
	Sets      []GeneratedSet `json:"sets"`
	Seconds   float64        `json:"seconds"`
}

// SubmitGenerate starts sampling train/val/test sets from a machine's trained TVAE.
func (w *Workflow) SubmitGenerate(ctx context.Context, machineID string, opts GenerateOptions) (jobs.Job, error) {
	if _, err := w.Machines.Get(ctx, machineID); err != nil {
		return jobs.Job{}, err
	}
	dir, _ := w.Dir.MachineDir(machineID)
	if !exists(filepath.Join(dir, ModelFile)) {
		return jobs.Job{}, apperr.Conflictf("machine %s has no trained TVAE yet; train it first", machineID)
	}
	if opts.Train == 0 && opts.Val == 0 && opts.Test == 0 {
		opts.Train, opts.Val, opts.Test = 35000, 7500, 7500
	}
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	var fields []apperr.FieldError
	for _, f := range []struct {
		name string
		n    int
	}{{"train", opts.Train}, {"val", opts.Val}, {"test", opts.Test}} {
		if f.n < 100 || f.n > 1_000_000 {
			fields = append(fields, apperr.FieldError{Field: f.name, Message: fmt.Sprintf("must be between 100 and 1000000 rows, got %d", f.n)})
		}
	}
	if len(fields) > 0 {
		return jobs.Job{}, apperr.BadInput("invalid dataset sizes", fields...)
	}
	return w.Jobs.Submit(ctx, jobs.Spec{Kind: "tvae.generate", MachineID: machineID, Params: opts}, func(ctx context.Context, p *jobs.Progress) (any, error) {
		return w.RunGenerate(ctx, p, machineID, opts)
	})
}

// RunGenerate samples a machine's synthetic sets inside a running job (opts already checked).
func (w *Workflow) RunGenerate(ctx context.Context, p *jobs.Progress, machineID string, opts GenerateOptions) (any, error) {
	return w.stageRun(ctx, machineID, "synthetic", func() (string, any, error) { return w.generate(ctx, p, machineID, opts) })
}

func (w *Workflow) generate(ctx context.Context, p *jobs.Progress, machineID string, opts GenerateOptions) (string, any, error) {
	start := time.Now()
	dir, _ := w.Dir.MachineDir(machineID)
	p.Report("loading model", 0.01, nil)
	m, err := tvae.Load(filepath.Join(dir, ModelFile))
	if err != nil {
		return "", nil, err
	}
	seed, err := w.Table(ctx, machineID, KindSeed)
	if err != nil {
		return "", nil, err
	}
	shape := episodeShape(seed)
	res := GenerateResult{MachineID: machineID}
	total := float64(opts.Train + opts.Val + opts.Test)
	done := 0.0
	for i, part := range []struct {
		kind string
		n    int
	}{{KindTrain, opts.Train}, {KindVal, opts.Val}, {KindTest, opts.Test}} {
		p.Report("sampling "+part.kind, 0.02+0.9*done/total, map[string]any{"set": part.kind, "rows": part.n})
		syn, err := m.SampleContext(ctx, part.n, opts.Seed+uint64(i)*1_000_003, nil)
		if err != nil {
			return "", nil, err
		}
		t, episodes, err := assembleEpisodes(syn, seed, shape, opts.Seed+uint64(i))
		if err != nil {
			return "", nil, err
		}
		path, _ := w.DatasetPath(machineID, part.kind)
		p.Report("writing "+part.kind, 0.02+0.9*(done+float64(part.n)*0.9)/total, nil)
		if err := datasets.WriteParquet(path, t); err != nil {
			return "", nil, err
		}
		fi, _ := os.Stat(path)
		res.Sets = append(res.Sets, GeneratedSet{Kind: part.kind, Path: path, Rows: t.NumRows(), Episodes: episodes, Bytes: fi.Size()})
		done += float64(part.n)
	}
	res.Seconds = time.Since(start).Seconds()
	return fmt.Sprintf("%d / %d / %d rows", opts.Train, opts.Val, opts.Test), res, nil
}

// shape of the seed data's episodes: mean length, time step and the names of the id and time
// columns.
type shape struct {
	meanLen int
	stepMS  int64
	startMS int64
	idCol   *datasets.Column
	timeCol *datasets.Column
}

func episodeShape(seed *datasets.Table) shape {
	s := shape{meanLen: 1000, stepMS: 60_000}
	for _, c := range seed.Columns {
		switch c.Meta.Role {
		case datasets.RoleID:
			if s.idCol == nil {
				s.idCol = c
			}
		case datasets.RoleTime:
			if s.timeCol == nil && c.Type == datasets.Timestamp {
				s.timeCol = c
			}
		}
	}
	if v, err := strconv.Atoi(seed.Meta["episodes"]); err == nil && v > 0 {
		s.meanLen = max(50, seed.NumRows()/v)
	}
	if v, err := strconv.ParseFloat(seed.Meta["step_seconds"], 64); err == nil && v > 0 {
		s.stepMS = int64(v * 1000)
	}
	if s.timeCol != nil && len(s.timeCol.Times) > 0 {
		s.startMS = s.timeCol.Times[0]
	}
	return s
}

// assembleEpisodes turns independent synthetic rows back into run-to-failure episodes, so the
// synthetic sets have the seed data's shape (unit, timestamp) and history-window models can
// train on them: rows of each failure mode form that mode's episodes; healthy rows ("none") are
// spread over the episodes; within an episode rows run from the largest to the smallest RUL,
// i.e. from healthy to failed, at the seed data's time step. Without a rul column the rows keep
// their sampled order.
func assembleEpisodes(syn, seed *datasets.Table, sh shape, seedVal uint64) (*datasets.Table, int, error) {
	n := syn.NumRows()
	rng := nn.NewRNG(seedVal)
	rul := syn.Column("rul")
	mode := syn.Column("failure_mode")
	episodes := max(1, int(math.Round(float64(n)/float64(sh.meanLen))))
	assign := make([]int, n)
	if mode != nil && mode.Type == datasets.String {
		// Failing rows: each mode gets episodes in proportion to its rows.
		byMode := map[string][]int{}
		var healthy []int
		for i := 0; i < n; i++ {
			if mode.IsNull(i) || mode.Strings[i] == "none" || mode.Strings[i] == "" {
				healthy = append(healthy, i)
			} else {
				byMode[mode.Strings[i]] = append(byMode[mode.Strings[i]], i)
			}
		}
		names := make([]string, 0, len(byMode))
		for k := range byMode {
			names = append(names, k)
		}
		sort.Strings(names)
		failing := n - len(healthy)
		next := 0
		for _, k := range names {
			rows := byMode[k]
			e := max(1, int(math.Round(float64(len(rows))/float64(max(1, failing))*float64(episodes))))
			for j, r := range rows {
				assign[r] = next + j%e
			}
			next += e
		}
		episodes = max(1, next)
		for _, r := range healthy {
			assign[r] = int(rng.Uint64() % uint64(episodes))
		}
	} else {
		for i := range assign {
			assign[i] = int(rng.Uint64() % uint64(episodes))
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rulOf := func(i int) float64 {
		if rul == nil {
			return 0
		}
		v, ok := rul.Number(i)
		if !ok {
			return math.Inf(1)
		}
		return v
	}
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if assign[ia] != assign[ib] {
			return assign[ia] < assign[ib]
		}
		if rul == nil {
			return ia < ib
		}
		return rulOf(ia) > rulOf(ib)
	})
	var cols []*datasets.Column
	if sh.timeCol != nil {
		ts := make([]int64, n)
		for k := range order {
			ts[k] = sh.startMS + int64(k)*sh.stepMS
		}
		cols = append(cols, datasets.NewTimestamp(sh.timeCol.Name, ts, sh.timeCol.Meta))
	}
	if sh.idCol != nil {
		ids := make([]int64, n)
		for k, r := range order {
			ids[k] = int64(assign[r] + 1)
		}
		cols = append(cols, datasets.NewInt(sh.idCol.Name, ids, sh.idCol.Meta))
	}
	for _, c := range syn.Columns {
		cols = append(cols, datasets.TakeColumn(c, order))
	}
	// Keep the seed data's column order.
	byName := map[string]*datasets.Column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	var ordered []*datasets.Column
	for _, c := range seed.Columns {
		if oc, ok := byName[c.Name]; ok {
			ordered = append(ordered, oc)
			delete(byName, c.Name)
		}
	}
	for _, c := range cols {
		if _, ok := byName[c.Name]; ok {
			ordered = append(ordered, c)
		}
	}
	t, err := datasets.NewTable(ordered...)
	if err != nil {
		return nil, 0, err
	}
	t.Meta = map[string]string{}
	for k, v := range syn.Meta {
		t.Meta[k] = v
	}
	t.Meta["episodes"] = strconv.Itoa(episodes)
	t.Meta["assembled"] = "episodes rebuilt from TVAE rows: by failure mode, ordered by decreasing rul"
	return t, episodes, nil
}
