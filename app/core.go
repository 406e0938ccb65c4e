package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"pdmstudio/backend/assistant"
	"pdmstudio/backend/datadir"
	"pdmstudio/backend/fleet"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/machines"
	"pdmstudio/backend/onboard"
	"pdmstudio/backend/registry"
	"pdmstudio/backend/store"
	"pdmstudio/backend/telemetry"
)

// Core is the opened backend every face shares: data dir, database, job runner, event hub, logger.
type Core struct {
	Dir    datadir.Dir
	Store  *store.Store
	Jobs   *jobs.Runner
	Events *Hub
	Log    *slog.Logger

	Workflow  *onboard.Workflow
	Registry  *registry.Registry
	Assistant *assistant.Assistant
	// Live is the live fleet: telemetry replay, scheduled predictions, alerts (app/svc_fleet.go).
	Live *telemetry.Monitor

	logCloser io.Closer
	Recovery  jobs.RecoveryReport
}

// CoreOptions configure OpenCore.
type CoreOptions struct {
	Stderr      io.Writer  // where logs also go (CLI/serve); nil for the desktop
	StderrLevel slog.Level // minimum level for stderr
	Workers     int        // job workers; 0 = number of cores
}

// OpenCore opens the data directory (creating it), the log, the database (migrating it) and the
// job runner, and recovers jobs a crashed process left behind.
func OpenCore(ctx context.Context, root string, opts CoreOptions) (*Core, error) {
	dir, err := datadir.Open(root)
	if err != nil {
		return nil, err
	}
	log, closer := newLogger(dir.LogFile(), opts.Stderr, opts.StderrLevel)
	st, err := store.Open(ctx, dir.DatabasePath())
	if err != nil {
		closer.Close()
		return nil, err
	}
	c := &Core{Dir: dir, Store: st, Events: NewHub(), Log: log, logCloser: closer}
	c.Jobs = jobs.New(st, jobs.Options{
		Workers:  opts.Workers,
		Logger:   log,
		OnUpdate: func(j jobs.Job) { c.Events.Emit("job", j) },
	})
	c.Workflow = &onboard.Workflow{Machines: c.Machines(), Jobs: c.Jobs, Dir: dir}
	c.Registry = &registry.Registry{Workflow: c.Workflow}
	c.Workflow.ExtraBatchOps = map[string]onboard.BatchOp{
		"models": func(ctx context.Context, id string, _ onboard.BatchOptions) (jobs.Job, error) {
			return c.Registry.SubmitTrain(ctx, id, registry.TrainOptions{})
		},
	}
	c.Live = c.newMonitor()
	c.Assistant = assistant.New(st, dir.Root)
	c.Assistant.Profile = c.Machines().Profile
	c.Assistant.Prediction = c.Registry.ExplainInput
	rep, err := c.Jobs.Recover(ctx, dir.MachinesDir())
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("recover jobs: %w", err)
	}
	c.Recovery = rep
	if err := st.InterruptTrainingRuns(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("recover training runs: %w", err)
	}
	return c, nil
}

// Close stops the job runner (running jobs end interrupted) and closes the database and log.
func (c *Core) Close() error {
	c.Jobs.Close(5 * time.Second)
	c.Live.Wait()
	c.Registry.Close()
	err := c.Store.Close()
	c.logCloser.Close()
	return err
}

// Services returns the service structs both faces serve, by name.
func (c *Core) Services() map[string]any {
	return map[string]any{
		"System":     &System{c: c},
		"Auth":       &Auth{},
		"Settings":   &Settings{c: c},
		"Jobs":       &Jobs{c: c},
		"Templates":  &Templates{c: c},
		"Machines":   &Machines{c: c},
		"Fleet":      &Fleet{c: c},
		"Datasets":   &Datasets{c: c},
		"Onboarding": &Onboarding{c: c},
		"Models":     &Models{c: c},
		"Assistant":  &Assistant{c: c},
		"Telemetry":  &Telemetry{c: c},
	}
}

// Machines returns the machine lifecycle service over c's store and data dir.
func (c *Core) Machines() *machines.Service {
	return &machines.Service{Store: c.Store, Dir: c.Dir, LiveJobs: func(ctx context.Context, id string) (bool, error) {
		for _, status := range []string{store.JobQueued, store.JobRunning} {
			js, err := c.Store.ListJobs(ctx, store.JobFilter{Status: status, MachineID: id, Limit: 1})
			if err != nil || len(js) > 0 {
				return len(js) > 0, err
			}
		}
		return false, nil
	}}
}

// Bootstrapper returns the demo-fleet bootstrapper.
func (c *Core) Bootstrapper() *fleet.Bootstrapper {
	return &fleet.Bootstrapper{Workflow: c.Workflow, Registry: c.Registry}
}

// settingBootstrap records that the demo fleet was bootstrapped (or skipped) on this data dir.
const settingBootstrap = "fleet.bootstrap"

// AutoBootstrap starts the demo-fleet bootstrap on the first start of an empty data dir (no
// machines, never bootstrapped or skipped before). It returns whether it started.
func (c *Core) AutoBootstrap(ctx context.Context) (bool, error) {
	if v, ok, err := c.Store.GetSetting(ctx, settingBootstrap); err != nil || ok && v != "" {
		return false, err
	}
	ms, err := c.Machines().List(ctx)
	if err != nil || len(ms) > 0 {
		return false, err
	}
	if err := c.Store.SetSetting(ctx, settingBootstrap, "started"); err != nil {
		return false, err
	}
	js, err := c.Bootstrapper().Start(ctx, fleet.FastSettings)
	c.Log.Info("bootstrapping the demo fleet", "jobs", len(js))
	return err == nil, err
}

// Dispatcher returns the dispatcher over c's services and the permission table.
func (c *Core) Dispatcher() *Dispatcher { return NewDispatcher(permissions, c.Services()) }
