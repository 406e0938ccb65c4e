// Package onboard runs the per-machine onboarding steps as jobs — seed data now; TVAE training,
// synthetic generation and validation as they land — and knows where each step's files live:
// machines/<id>/seed.parquet, train.parquet, val.parquet, test.parquet.
package onboard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datadir"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/machines"
	"pdmstudio/backend/simulate"
	"pdmstudio/backend/store"
)

// Dataset kinds of a machine.
const (
	KindSeed  = "seed"
	KindTrain = "train"
	KindVal   = "val"
	KindTest  = "test"
)

// Kinds lists the dataset kinds in workflow order.
var Kinds = []string{KindSeed, KindTrain, KindVal, KindTest}

// Workflow ties the machine lifecycle, the job runner and the data dir together.
type Workflow struct {
	Machines *machines.Service
	Jobs     *jobs.Runner
	Dir      datadir.Dir
	// ExtraBatchOps are batch operations added by packages that build on this one, by name.
	ExtraBatchOps map[string]BatchOp

	cacheMu sync.Mutex
	cache   map[string]cachedTable
}

type cachedTable struct {
	mod   time.Time
	size  int64
	table *datasets.Table
	used  time.Time
}

// DatasetPath returns the Parquet file of one dataset kind of a machine.
func (w *Workflow) DatasetPath(machineID, kind string) (string, error) {
	dir, err := w.Dir.MachineDir(machineID)
	if err != nil {
		return "", apperr.BadInputf("%v", err)
	}
	for _, k := range Kinds {
		if k == kind {
			return filepath.Join(dir, kind+".parquet"), nil
		}
	}
	return "", apperr.BadInput("unknown dataset", apperr.FieldError{Field: "dataset", Message: fmt.Sprintf("%q is not one of seed, train, val, test", kind)})
}

// DatasetInfo describes one dataset file of a machine.
type DatasetInfo struct {
	Kind     string                `json:"kind"`
	Path     string                `json:"path"`
	Rows     int64                 `json:"rows"`
	Bytes    int64                 `json:"bytes"`
	Columns  []datasets.ColumnInfo `json:"columns"`
	Meta     map[string]string     `json:"meta,omitempty"`
	Modified string                `json:"modified"`
}

// Datasets lists the datasets a machine has, in workflow order.
func (w *Workflow) Datasets(ctx context.Context, machineID string) ([]DatasetInfo, error) {
	if _, err := w.Machines.Get(ctx, machineID); err != nil {
		return nil, err
	}
	out := []DatasetInfo{}
	for _, k := range Kinds {
		p, _ := w.DatasetPath(machineID, k)
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		fi, err := datasets.InspectParquet(p)
		if err != nil {
			return nil, fmt.Errorf("dataset %s of %s: %w", k, machineID, err)
		}
		out = append(out, DatasetInfo{Kind: k, Path: p, Rows: fi.Rows, Bytes: fi.Bytes, Columns: fi.Columns, Meta: fi.Meta,
			Modified: st.ModTime().UTC().Format(time.RFC3339)})
	}
	return out, nil
}

// Table reads one dataset of a machine, from a small cache keyed by file time and size.
func (w *Workflow) Table(ctx context.Context, machineID, kind string) (*datasets.Table, error) {
	p, err := w.DatasetPath(machineID, kind)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		if _, gerr := w.Machines.Get(ctx, machineID); gerr != nil {
			return nil, gerr
		}
		return nil, apperr.NotFoundf("machine %s has no %s dataset yet", machineID, kind)
	}
	if err != nil {
		return nil, err
	}
	w.cacheMu.Lock()
	if w.cache == nil {
		w.cache = map[string]cachedTable{}
	}
	if c, ok := w.cache[p]; ok && c.mod.Equal(st.ModTime()) && c.size == st.Size() {
		c.used = time.Now()
		w.cache[p] = c
		w.cacheMu.Unlock()
		return c.table, nil
	}
	w.cacheMu.Unlock()
	t, err := datasets.ReadParquet(p)
	if err != nil {
		return nil, fmt.Errorf("read %s dataset of %s: %w", kind, machineID, err)
	}
	w.cacheMu.Lock()
	defer w.cacheMu.Unlock()
	if len(w.cache) >= 6 { // evict the least recently used
		var oldest string
		for k, c := range w.cache {
			if oldest == "" || c.used.Before(w.cache[oldest].used) {
				oldest = k
			}
		}
		delete(w.cache, oldest)
	}
	w.cache[p] = cachedTable{mod: st.ModTime(), size: st.Size(), table: t, used: time.Now()}
	return t, nil
}

// SeedOptions are the inputs of seed generation.
type SeedOptions struct {
	Samples int    `json:"samples"` // rows, 1,000–100,000; 0 means 10,000
	Seed    uint64 `json:"seed"`    // same seed → same data
}

// SeedResult says what seed generation wrote.
type SeedResult struct {
	MachineID string  `json:"machine_id"`
	Path      string  `json:"path"`
	Rows      int     `json:"rows"`
	Columns   int     `json:"columns"`
	Bytes     int64   `json:"bytes"`
	Episodes  int     `json:"episodes"`
	Failures  int     `json:"failures"`
	Seconds   float64 `json:"seconds"`
}

// SubmitSeed starts a seed-generation job for a machine.
func (w *Workflow) SubmitSeed(ctx context.Context, machineID string, opts SeedOptions) (jobs.Job, error) {
	if _, err := w.Machines.Get(ctx, machineID); err != nil {
		return jobs.Job{}, err
	}
	if opts.Samples != 0 && (opts.Samples < simulate.MinRows || opts.Samples > simulate.MaxRows) {
		return jobs.Job{}, apperr.BadInput("samples out of range", apperr.FieldError{Field: "samples",
			Message: fmt.Sprintf("must be between %d and %d, got %d", simulate.MinRows, simulate.MaxRows, opts.Samples)})
	}
	return w.Jobs.Submit(ctx, jobs.Spec{Kind: "seed", MachineID: machineID, Params: opts}, func(ctx context.Context, p *jobs.Progress) (any, error) {
		return w.RunSeed(ctx, p, machineID, opts)
	})
}

// stageRun wraps a workflow step: the stage is running while fn runs, then done or failed.
func (w *Workflow) stageRun(ctx context.Context, machineID, stage string, fn func() (string, any, error)) (any, error) {
	bg := context.WithoutCancel(ctx)
	if err := w.Machines.SetStage(bg, machineID, stage, store.StageRunning, ""); err != nil {
		return nil, err
	}
	detail, res, err := fn()
	if err != nil {
		state := store.StageFailed
		msg := err.Error()
		if ctx.Err() != nil {
			state, msg = store.StagePending, "cancelled"
		}
		w.Machines.SetStage(bg, machineID, stage, state, msg)
		return nil, err
	}
	if err := w.Machines.SetStage(bg, machineID, stage, store.StageDone, detail); err != nil {
		return nil, err
	}
	return res, nil
}

// RunSeed generates a machine's seed data inside a running job (the seed stage follows it).
func (w *Workflow) RunSeed(ctx context.Context, p *jobs.Progress, machineID string, opts SeedOptions) (any, error) {
	{
		return w.stageRun(ctx, machineID, "seed", func() (string, any, error) {
			start := time.Now()
			prof, err := w.Machines.Profile(ctx, machineID)
			if err != nil {
				return "", nil, err
			}
			p.Report("simulating", 0.01, nil)
			t, err := simulate.Run(ctx, prof, simulate.Options{Rows: opts.Samples, Seed: opts.Seed}, func(f float64) {
				p.Report("simulating", 0.85*f, nil)
			})
			if err != nil {
				return "", nil, err
			}
			p.Report("writing parquet", 0.9, map[string]any{"rows": t.NumRows()})
			path, _ := w.DatasetPath(machineID, KindSeed)
			if err := datasets.WriteParquet(path, t); err != nil {
				return "", nil, err
			}
			st, _ := os.Stat(path)
			res := SeedResult{MachineID: machineID, Path: path, Rows: t.NumRows(), Columns: len(t.Columns), Bytes: st.Size(),
				Seconds: time.Since(start).Seconds()}
			res.Episodes, _ = strconv.Atoi(t.Meta[simulate.MetaEpisodes])
			res.Failures, _ = strconv.Atoi(t.Meta[simulate.MetaFailures])
			p.Report("done", 1, map[string]any{"rows": res.Rows, "episodes": res.Episodes})
			return fmt.Sprintf("%d rows, %d episodes", res.Rows, res.Episodes), res, nil
		})
	}
}
