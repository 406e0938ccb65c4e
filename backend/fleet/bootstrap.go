// Package fleet holds the workflows that span the whole fleet: bootstrapping the built-in demo
// fleet (profiles → seed → TVAE → synthetic sets → validation → models, one job per machine).
package fleet

import (
	"context"
	"fmt"
	"slices"
	"time"

	"pdmstudio/backend/jobs"
	"pdmstudio/backend/onboard"
	"pdmstudio/backend/quality"
	"pdmstudio/backend/registry"
	"pdmstudio/backend/store"
)

// JobKind is the kind of the per-machine bootstrap jobs.
const JobKind = "fleet.bootstrap"

// Settings of a bootstrap.
type Settings struct {
	Seed     onboard.SeedOptions     `json:"seed"`
	Train    onboard.TrainOptions    `json:"train"`
	Generate onboard.GenerateOptions `json:"generate"`
	// Validate runs the quality report (without the slower detection check in fast mode).
	Validate      bool `json:"validate"`
	SkipDetection bool `json:"skip_detection"`
}

// FastSettings bootstrap the 26 machines in minutes on a 2-core laptop: smaller seed data and
// synthetic sets, and the full 300 TVAE epochs (on 4,000 rows, ≈ 12 s a machine): with 40 epochs
// the synthetic rows barely carried the wear signal (health-state models trained on them scored
// macro-F1 0.63 on real data, 0.72 with 300 epochs; 6 machines, 20-row windows, see
// docs/benchmarks.md). Every machine can be retrained with full settings later.
var FastSettings = Settings{
	Seed:     onboard.SeedOptions{Samples: 4000, Seed: 42},
	Train:    onboard.TrainOptions{Epochs: 300, BatchSize: 500, Seed: 42},
	Generate: onboard.GenerateOptions{Train: 4000, Val: 1500, Test: 1500, Seed: 7},
	Validate: true, SkipDetection: true,
}

// TinySettings take a machine from profile to models in about ten seconds, for tests and
// demonstrations on slow machines: the smallest seed data allowed, a few TVAE epochs, small
// synthetic sets and no quality report. The models are rough.
var TinySettings = Settings{
	Seed:     onboard.SeedOptions{Samples: 1000, Seed: 42},
	Train:    onboard.TrainOptions{Epochs: 5, BatchSize: 500, Seed: 42},
	Generate: onboard.GenerateOptions{Train: 1000, Val: 300, Test: 500, Seed: 7},
}

// FullSettings are the defaults of each step.
var FullSettings = Settings{
	Seed:     onboard.SeedOptions{Samples: 10000, Seed: 42},
	Train:    onboard.TrainOptions{Epochs: 300, BatchSize: 500, Seed: 42},
	Generate: onboard.GenerateOptions{Train: 35000, Val: 7500, Test: 7500, Seed: 7},
	Validate: true,
}

// Bootstrapper runs bootstrap jobs.
type Bootstrapper struct {
	Workflow *onboard.Workflow
	Registry *registry.Registry
}

// Result is what one machine's bootstrap did.
type Result struct {
	MachineID string   `json:"machine_id"`
	Steps     []string `json:"steps"`
	Seconds   float64  `json:"seconds"`
}

// Start creates the built-in machines that are missing and submits one bootstrap job for each
// machine whose models are not trained yet. Machines already done are skipped, so Start is
// idempotent and resumes an interrupted bootstrap.
func (b *Bootstrapper) Start(ctx context.Context, s Settings) ([]jobs.Job, error) {
	return b.StartOnly(ctx, s, nil)
}

// StartOnly is Start restricted to the given machines (nil: every machine). Every built-in
// machine is still created.
func (b *Bootstrapper) StartOnly(ctx context.Context, s Settings, only []string) ([]jobs.Job, error) {
	ms := b.Workflow.Machines
	if _, _, err := ms.InitFleet(ctx); err != nil {
		return nil, err
	}
	list, err := ms.List(ctx)
	if err != nil {
		return nil, err
	}
	live, err := b.Workflow.Jobs.List(ctx, store.JobFilter{Kind: JobKind, Limit: 1000})
	if err != nil {
		return nil, err
	}
	running := map[string]bool{}
	for _, j := range live {
		if !j.Final() && j.MachineID != nil {
			running[*j.MachineID] = true
		}
	}
	var out []jobs.Job
	for _, m := range list {
		if m.Stage == "models" || running[m.MachineID] || only != nil && !slices.Contains(only, m.MachineID) {
			continue
		}
		id := m.MachineID
		j, err := b.Workflow.Jobs.Submit(ctx, jobs.Spec{Kind: JobKind, MachineID: id, Params: s},
			func(ctx context.Context, p *jobs.Progress) (any, error) { return b.run(ctx, p, id, s) })
		if err != nil {
			return out, err
		}
		out = append(out, j)
	}
	return out, nil
}

// run takes one machine from wherever it stands to trained models.
func (b *Bootstrapper) run(ctx context.Context, p *jobs.Progress, id string, s Settings) (any, error) {
	start := time.Now()
	w := b.Workflow
	m, err := w.Machines.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, st := range m.Stages {
		done[st.Stage] = st.State == store.StageDone
	}
	res := Result{MachineID: id}
	steps := []struct {
		stage  string
		lo, hi float64
		run    func(p *jobs.Progress) error
	}{
		{"seed", 0, 0.05, func(p *jobs.Progress) error { _, err := w.RunSeed(ctx, p, id, s.Seed); return err }},
		{"trained", 0.05, 0.45, func(p *jobs.Progress) error { _, err := w.RunTrain(ctx, p, id, s.Train); return err }},
		{"synthetic", 0.45, 0.55, func(p *jobs.Progress) error { _, err := w.RunGenerate(ctx, p, id, s.Generate); return err }},
		{"validated", 0.55, 0.65, func(p *jobs.Progress) error {
			if !s.Validate {
				return nil
			}
			_, err := w.RunValidate(ctx, p, id, quality.Options{Seed: 1, SkipDetection: s.SkipDetection})
			return err
		}},
		{"models", 0.65, 1, func(p *jobs.Progress) error {
			_, err := b.Registry.RunTrain(ctx, p, id, registry.TrainOptions{Seed: 1})
			return err
		}},
	}
	redo := false
	for _, st := range steps {
		if done[st.stage] && !redo {
			continue
		}
		redo = true // a step redone makes every later step stale
		if err := st.run(p.Sub(st.lo, st.hi, st.stage+": ")); err != nil {
			return res, fmt.Errorf("%s: %w", st.stage, err)
		}
		res.Steps = append(res.Steps, st.stage)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}
