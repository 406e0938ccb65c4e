// Package jobs runs PdM Studio's long work in the background: jobs are persisted in the jobs
// table, run by a bounded worker pool in submission order, report progress through a Progress
// handle (forwarded to listeners at most 10 times a second per job), can be cancelled, and are
// marked "interrupted" with a reason at the next start when the process that ran them died.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/store"
)

// Job is a job row as the faces see it.
type Job = store.Job

// Func is the work of a job. It reports progress through p, must return promptly once ctx is
// cancelled, and writes its files through atomicfile so a kill never leaves half a file. The
// returned value is stored as the job's result (JSON).
type Func func(ctx context.Context, p *Progress) (any, error)

// Spec describes a job to submit.
type Spec struct {
	Kind      string // e.g. "seed", "tvae.train"
	MachineID string // optional: the machine the job works on
	Params    any    // stored as JSON for display and audit
}

// Options configure a Runner.
type Options struct {
	Workers int // concurrent jobs; 0 means the number of CPU cores
	// OnUpdate receives every forwarded job update (throttled to ≤ 10/s per job; the final state
	// always arrives). It must not block.
	OnUpdate func(Job)
	Logger   *slog.Logger
	// EmitInterval is the minimum time between two forwarded updates of one job (default 100 ms).
	EmitInterval time.Duration
	// SaveInterval is the minimum time between two progress writes to the database (default 1 s).
	SaveInterval time.Duration
	// StaleAfter is how old a live job's heartbeat may be before recovery treats its owner as
	// gone even if a process with its pid exists (pid reuse). Default 30 s.
	StaleAfter time.Duration
}

// Runner is the worker pool. Create it with New, call Recover once at start, Close at exit.
type Runner struct {
	st   *store.Store
	opts Options
	log  *slog.Logger

	mu     sync.Mutex
	cond   *sync.Cond
	queue  []*task
	live   map[string]*task
	closed bool
	wg     sync.WaitGroup
	stopHB chan struct{}
}

type task struct {
	mu       sync.Mutex
	job      Job
	fn       Func
	ctx      context.Context
	cancel   context.CancelCauseFunc
	done     chan struct{}
	lastEmit time.Time
	lastSave time.Time
	metrics  map[string]any
	started  time.Time
}

var (
	errCancelled = errors.New("cancelled by the user")
	errShutdown  = errors.New("the application was closed while the job ran")
)

// New starts a runner over st.
func New(st *store.Store, opts Options) *Runner {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.EmitInterval <= 0 {
		opts.EmitInterval = 100 * time.Millisecond
	}
	if opts.SaveInterval <= 0 {
		opts.SaveInterval = time.Second
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = 30 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	r := &Runner{st: st, opts: opts, log: opts.Logger, live: map[string]*task{}, stopHB: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	for i := 0; i < opts.Workers; i++ {
		r.wg.Add(1)
		go r.worker()
	}
	go r.heartbeat()
	return r
}

// Workers returns the size of the worker pool.
func (r *Runner) Workers() int { return r.opts.Workers }

// RecoveryReport says what Recover found.
type RecoveryReport struct {
	Interrupted  []string `json:"interrupted"`   // job ids marked interrupted
	PartialFiles []string `json:"partial_files"` // partial output files removed
}

// Recover marks the queued and running jobs whose owning process is gone as interrupted, with a
// reason, and removes the partial files such processes left under sweepRoot (if not empty).
func (r *Runner) Recover(ctx context.Context, sweepRoot string) (RecoveryReport, error) {
	var rep RecoveryReport
	live, err := r.st.LiveJobs(ctx)
	if err != nil {
		return rep, fmt.Errorf("recover jobs: %w", err)
	}
	for _, l := range live {
		r.mu.Lock()
		_, mine := r.live[l.ID]
		r.mu.Unlock()
		if mine {
			continue
		}
		alive := l.OwnerPID != os.Getpid() && ProcessAlive(l.OwnerPID)
		last := store.ParseTime(l.HeartbeatAt)
		if last.IsZero() {
			last = store.ParseTime(l.CreatedAt)
		}
		if alive && time.Since(last) < r.opts.StaleAfter {
			continue // another running PdM Studio process owns it
		}
		reason := fmt.Sprintf("interrupted: the process running this job (pid %d) stopped before it finished", l.OwnerPID)
		ok, err := r.st.MarkInterrupted(ctx, l.ID, reason)
		if err != nil {
			return rep, fmt.Errorf("recover job %s: %w", l.ID, err)
		}
		if ok {
			rep.Interrupted = append(rep.Interrupted, l.ID)
			r.log.Warn("job interrupted by an earlier crash", "job", l.ID, "pid", l.OwnerPID)
			if j, err := r.st.GetJob(ctx, l.ID); err == nil {
				r.forward(j)
			}
		}
	}
	if sweepRoot != "" {
		removed, err := atomicfile.Sweep(sweepRoot, ProcessAlive)
		if err != nil {
			return rep, fmt.Errorf("sweep partial files: %w", err)
		}
		rep.PartialFiles = removed
		for _, p := range removed {
			r.log.Warn("removed partial file left by a crash", "path", p)
		}
	}
	return rep, nil
}

// Submit stores a new queued job and hands it to the pool. The job runs detached from ctx (ctx
// only bounds the database write); cancel it with Cancel.
func (r *Runner) Submit(ctx context.Context, spec Spec, fn Func) (Job, error) {
	if spec.Kind == "" {
		return Job{}, apperr.BadInputf("job kind is empty")
	}
	params, err := json.Marshal(spec.Params)
	if err != nil {
		return Job{}, fmt.Errorf("job %s params: %w", spec.Kind, err)
	}
	j := Job{
		ID: uuid.NewString(), Kind: spec.Kind, Status: store.JobQueued, Stage: "queued",
		Metrics: json.RawMessage("{}"), Params: params, Result: json.RawMessage("null"),
		OwnerPID: os.Getpid(), CreatedAt: store.Now(),
	}
	if spec.MachineID != "" {
		m := spec.MachineID
		j.MachineID = &m
	}
	tctx, cancel := context.WithCancelCause(context.Background())
	t := &task{job: j, fn: fn, ctx: tctx, cancel: cancel, done: make(chan struct{}), metrics: map[string]any{}}

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		cancel(errShutdown)
		return Job{}, errors.New("the job runner is shut down")
	}
	if err := r.st.InsertJob(ctx, j); err != nil {
		cancel(errShutdown)
		return Job{}, err
	}
	r.live[j.ID] = t
	r.queue = append(r.queue, t)
	r.cond.Signal()
	r.forward(j)
	return j, nil
}

// Run submits a job and waits for it to finish (used by the CLI). The job is cancelled if ctx is.
func (r *Runner) Run(ctx context.Context, spec Spec, fn Func) (Job, error) {
	j, err := r.Submit(ctx, spec, fn)
	if err != nil {
		return Job{}, err
	}
	return r.Wait(ctx, j.ID)
}

// Wait blocks until the job is final and returns it. If ctx ends first, the job is cancelled and
// Wait still returns its final state.
func (r *Runner) Wait(ctx context.Context, id string) (Job, error) {
	r.mu.Lock()
	t, ok := r.live[id]
	r.mu.Unlock()
	if ok {
		select {
		case <-t.done:
		case <-ctx.Done():
			t.cancel(errCancelled)
			<-t.done
		}
	}
	return r.st.GetJob(context.WithoutCancel(ctx), id)
}

// Cancel asks a queued or running job to stop. A job of another process, or one already final,
// gives a clear error.
func (r *Runner) Cancel(ctx context.Context, id string) error {
	r.mu.Lock()
	t, ok := r.live[id]
	r.mu.Unlock()
	if !ok {
		j, err := r.st.GetJob(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFoundf("job %s does not exist", id)
		}
		if err != nil {
			return err
		}
		if j.Final() {
			return apperr.Conflictf("job %s is already %s", id, j.Status)
		}
		return apperr.Conflictf("job %s runs in another PdM Studio process (pid %d); cancel it there", id, j.OwnerPID)
	}
	t.cancel(errCancelled)
	return nil
}

// Get returns the current state of a job: the live in-memory state for this process's jobs (fresher
// than the throttled database row), the stored row otherwise.
func (r *Runner) Get(ctx context.Context, id string) (Job, error) {
	r.mu.Lock()
	t, ok := r.live[id]
	r.mu.Unlock()
	if ok {
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.job, nil
	}
	j, err := r.st.GetJob(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Job{}, apperr.NotFoundf("job %s does not exist", id)
	}
	return j, err
}

// List returns jobs, newest first, with live state for this process's running jobs.
func (r *Runner) List(ctx context.Context, f store.JobFilter) ([]Job, error) {
	js, err := r.st.ListJobs(ctx, f)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, j := range js {
		if t, ok := r.live[j.ID]; ok {
			t.mu.Lock()
			js[i] = t.job
			t.mu.Unlock()
		}
	}
	return js, nil
}

// Close stops taking jobs, cancels running ones (they end "interrupted") and waits up to timeout
// for the workers to finish.
func (r *Runner) Close(timeout time.Duration) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	queued := r.queue
	r.queue = nil
	for _, t := range r.live {
		t.cancel(errShutdown)
	}
	r.cond.Broadcast()
	r.mu.Unlock()
	close(r.stopHB)
	for _, t := range queued {
		r.finish(t, nil, errShutdown)
	}
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		r.log.Warn("jobs still running at shutdown; they will be marked interrupted at the next start")
	}
}

func (r *Runner) worker() {
	defer r.wg.Done()
	for {
		r.mu.Lock()
		for len(r.queue) == 0 && !r.closed {
			r.cond.Wait()
		}
		if r.closed {
			r.mu.Unlock()
			return
		}
		t := r.queue[0]
		r.queue = r.queue[1:]
		r.mu.Unlock()
		r.run(t)
	}
}

func (r *Runner) run(t *task) {
	if cause := context.Cause(t.ctx); cause != nil {
		r.finish(t, nil, cause) // cancelled while queued
		return
	}
	t.mu.Lock()
	t.started = time.Now()
	st := store.Now()
	t.job.Status = store.JobRunning
	t.job.Stage = "starting"
	t.job.StartedAt = &st
	j := t.job
	t.lastEmit, t.lastSave = t.started, t.started
	t.mu.Unlock()
	if err := r.st.UpdateJob(context.Background(), j); err != nil {
		r.log.Error("store job start", "job", j.ID, "err", err)
	}
	r.forward(j)
	r.log.Info("job started", "job", j.ID, "kind", j.Kind)

	var result any
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.log.Error("job panicked", "job", j.ID, "panic", p, "stack", string(debug.Stack()))
				err = fmt.Errorf("internal error: %v", p)
			}
		}()
		result, err = t.fn(t.ctx, &Progress{r: r, t: t})
	}()
	if err == nil && context.Cause(t.ctx) != nil && errors.Is(t.ctx.Err(), context.Canceled) {
		// The work finished even though a cancel arrived: keep the result, it is complete.
		err = nil
	}
	if err != nil && t.ctx.Err() != nil {
		err = context.Cause(t.ctx)
	}
	r.finish(t, result, err)
}

// finish records the final state of a task and forgets it.
func (r *Runner) finish(t *task, result any, err error) {
	t.mu.Lock()
	fin := store.Now()
	t.job.FinishedAt = &fin
	t.job.ETASeconds = nil
	if len(t.metrics) > 0 {
		if b, err := json.Marshal(t.metrics); err == nil {
			t.job.Metrics = b
		}
	}
	switch {
	case err == nil:
		t.job.Status = store.JobSucceeded
		t.job.Stage = "done"
		t.job.Progress = 1
		if b, mErr := json.Marshal(result); mErr == nil {
			t.job.Result = b
		} else {
			t.job.Status = store.JobFailed
			t.job.Error = "the job's result could not be stored: " + mErr.Error()
		}
	case errors.Is(err, errCancelled):
		t.job.Status = store.JobCancelled
		t.job.Error = "cancelled by the user"
	case errors.Is(err, errShutdown):
		t.job.Status = store.JobInterrupted
		t.job.Error = "interrupted: " + errShutdown.Error()
	default:
		t.job.Status = store.JobFailed
		t.job.Error = err.Error()
	}
	j := t.job
	t.cancel(nil)
	t.mu.Unlock()

	if err := r.st.UpdateJob(context.Background(), j); err != nil {
		r.log.Error("store job result", "job", j.ID, "err", err)
	}
	r.mu.Lock()
	delete(r.live, j.ID)
	r.mu.Unlock()
	r.forward(j) // listeners see the final state before waiters resume
	close(t.done)
	r.log.Info("job finished", "job", j.ID, "kind", j.Kind, "status", j.Status, "error", j.Error)
}

func (r *Runner) forward(j Job) {
	if r.opts.OnUpdate != nil {
		r.opts.OnUpdate(j)
	}
}

func (r *Runner) heartbeat() {
	tick := time.NewTicker(r.opts.StaleAfter / 4)
	defer tick.Stop()
	for {
		select {
		case <-r.stopHB:
			return
		case <-tick.C:
			r.mu.Lock()
			ids := make([]string, 0, len(r.live))
			for id := range r.live {
				ids = append(ids, id)
			}
			r.mu.Unlock()
			if err := r.st.Heartbeat(context.Background(), ids); err != nil {
				r.log.Warn("job heartbeat", "err", err)
			}
		}
	}
}

// Progress is a running job's handle for reporting what it is doing.
type Progress struct {
	r *Runner
	t *task
	// lo and hi map the fractions this handle reports into part of the job's range; prefix is
	// put before its stage names (see Sub).
	lo, hi float64
	prefix string
}

func (p *Progress) span() (float64, float64) {
	if p.lo == 0 && p.hi == 0 {
		return 0, 1
	}
	return p.lo, p.hi
}

// Sub returns a handle for one step of a multi-step job: its fractions 0..1 map onto lo..hi of
// this handle's range, and its stage names get prefix in front (e.g. "motor_x: ").
func (p *Progress) Sub(lo, hi float64, prefix string) *Progress {
	a, b := p.span()
	return &Progress{r: p.r, t: p.t, lo: a + (b-a)*lo, hi: a + (b-a)*hi, prefix: p.prefix + prefix}
}

// JobID is the id of the job this handle reports for.
func (p *Progress) JobID() string { return p.t.job.ID }

// Report sets the stage, the fraction done (0..1) and merges metrics (e.g. {"epoch": 3,
// "loss": 1.2}) into the job's metrics. Updates reach listeners at most every EmitInterval and the
// database at most every SaveInterval; the ETA is estimated from the elapsed time and fraction.
func (p *Progress) Report(stage string, fraction float64, metrics map[string]any) {
	t := p.t
	now := time.Now()
	if fraction < 0 {
		fraction = 0
	}
	if fraction > 1 {
		fraction = 1
	}
	lo, hi := p.span()
	fraction = lo + (hi-lo)*fraction
	t.mu.Lock()
	if stage != "" {
		t.job.Stage = p.prefix + stage
	}
	t.job.Progress = fraction
	for k, v := range metrics {
		t.metrics[k] = v
	}
	elapsed := now.Sub(t.started).Seconds()
	if fraction >= 0.01 && elapsed > 0.2 {
		eta := elapsed * (1 - fraction) / fraction
		t.job.ETASeconds = &eta
	}
	emit := now.Sub(t.lastEmit) >= p.r.opts.EmitInterval
	save := now.Sub(t.lastSave) >= p.r.opts.SaveInterval
	if emit || save {
		if b, err := json.Marshal(t.metrics); err == nil {
			t.job.Metrics = b
		}
	}
	if emit {
		t.lastEmit = now
	}
	if save {
		t.lastSave = now
	}
	j := t.job
	t.mu.Unlock()
	if save {
		if err := p.r.st.UpdateJob(context.Background(), j); err != nil {
			p.r.log.Warn("store job progress", "job", j.ID, "err", err)
		}
	}
	if emit {
		p.r.forward(j)
	}
}

// Stage changes the stage name, keeping the fraction.
func (p *Progress) Stage(stage string) {
	p.t.mu.Lock()
	f := p.t.job.Progress
	p.t.mu.Unlock()
	lo, hi := p.span()
	if hi > lo {
		f = (f - lo) / (hi - lo)
	}
	p.Report(stage, f, nil)
}
