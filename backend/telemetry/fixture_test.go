package telemetry

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/google/uuid"

	"pdmstudio/backend/datadir"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/machines"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
	"pdmstudio/backend/store"
)

// baseMachine is the built-in profile the test fleets are cloned from.
const baseMachine = "motor_siemens_1la7_001"

// shared holds what every test fleet reuses: the simulated seed data and the three refresh
// models trained on it once (real models, small settings), in a folder removed by TestMain.
var shared struct {
	once   sync.Once
	err    error
	dir    string
	seed   string // seed.parquet path
	models map[ml.Task]string
	prof   profiles.Profile
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func sharedModels(tb testing.TB) {
	tb.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		shared.dir, shared.err = os.MkdirTemp("", "telemetry-test-")
		if shared.err != nil {
			return
		}
		p, err := profiles.FleetProfile(baseMachine)
		if err != nil {
			shared.err = err
			return
		}
		shared.prof = p
		seed, err := simulate.Run(ctx, p, simulate.Options{Rows: 1500, Seed: 3}, nil)
		if err != nil {
			shared.err = err
			return
		}
		shared.seed = filepath.Join(shared.dir, "seed.parquet")
		if shared.err = datasets.WriteParquet(shared.seed, seed); shared.err != nil {
			return
		}
		var sensors []string
		for _, s := range p.KeySensors() {
			sensors = append(sensors, s.Name)
		}
		shared.models = map[ml.Task]string{}
		for _, task := range refreshTasks {
			spec := ml.SeedSpec(task, seed, nil, sensors)
			spec.Trees, spec.Epochs, spec.Seed = 30, 5, 1
			m, err := ml.Fit(ctx, spec, nil)
			if err != nil {
				shared.err = fmt.Errorf("fit %s: %w", task, err)
				return
			}
			dir := filepath.Join(shared.dir, "models", string(task))
			if err := m.Save(dir); err != nil {
				shared.err = err
				return
			}
			m.Close()
			shared.models[task] = dir
		}
	})
	if shared.err != nil {
		tb.Fatalf("shared test models: %v", shared.err)
	}
}

// pathLoader loads each model file once, whatever the version row (the test fleets' machines
// share their model files).
type pathLoader struct {
	mu    sync.Mutex
	byDir map[string]*ml.Model
}

func (l *pathLoader) Model(v store.ModelVersion) (*ml.Model, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byDir == nil {
		l.byDir = map[string]*ml.Model{}
	}
	if m, ok := l.byDir[v.FilePath]; ok {
		return m, nil
	}
	m, err := ml.Load(v.FilePath)
	if err != nil {
		return nil, err
	}
	l.byDir[v.FilePath] = m
	return m, nil
}

func (l *pathLoader) close() {
	for _, m := range l.byDir {
		m.Close()
	}
}

// testFleet is a data dir with ready machines (stages done, seed data, active models) and
// optionally machines that are not ready.
type testFleet struct {
	dir     datadir.Dir
	store   *store.Store
	loader  *pathLoader
	ready   []string
	pending []string
	events  *eventLog
}

type eventLog struct {
	mu     sync.Mutex
	names  []string
	alerts []AlertEvent
}

func (e *eventLog) emit(name string, data any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.names = append(e.names, name)
	if a, ok := data.(AlertEvent); ok {
		e.alerts = append(e.alerts, a)
	}
}

func (e *eventLog) count(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, x := range e.names {
		if x == name {
			n++
		}
	}
	return n
}

func newTestFleet(tb testing.TB, ready, pending int) *testFleet {
	tb.Helper()
	sharedModels(tb)
	ctx := context.Background()
	dd, err := datadir.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(ctx, dd.DatabasePath())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	f := &testFleet{dir: dd, store: st, loader: &pathLoader{}, events: &eventLog{}}
	tb.Cleanup(f.loader.close)
	ms := &machines.Service{Store: st, Dir: dd}
	for i := 0; i < ready+pending; i++ {
		p := shared.prof.Clone()
		p.MachineID = fmt.Sprintf("motor_test_%04d", i)
		p.Name = "Test motor " + strconv.Itoa(i)
		if _, err := ms.Create(ctx, p); err != nil {
			tb.Fatal(err)
		}
		if i >= ready {
			f.pending = append(f.pending, p.MachineID)
			continue
		}
		f.ready = append(f.ready, p.MachineID)
		mdir, err := dd.MachineDir(p.MachineID)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.MkdirAll(mdir, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.Link(shared.seed, filepath.Join(mdir, "seed.parquet")); err != nil {
			tb.Fatal(err)
		}
		for _, stage := range store.Stages[1:] {
			if err := st.SetStage(ctx, p.MachineID, stage, store.StageDone, ""); err != nil {
				tb.Fatal(err)
			}
		}
		for _, task := range refreshTasks {
			id := p.MachineID
			v := store.ModelVersion{ID: uuid.NewString(), MachineID: &id, ModelType: string(task), Version: "v1",
				FilePath: shared.models[task], Metrics: []byte("{}"), TrainedAt: store.Now()}
			if err := st.InsertModelVersion(ctx, v); err != nil {
				tb.Fatal(err)
			}
			if err := st.ActivateModelVersion(ctx, v.ID); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return f
}

func (f *testFleet) monitor() *Monitor {
	return &Monitor{Store: f.store, Dir: f.dir, Models: f.loader, Emit: f.events.emit}
}
