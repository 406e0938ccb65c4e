package ml

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/onnxrt"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
)

// envRequireRuntimes makes tests fail, instead of skip, when ONNX Runtime is missing.
const envRequireRuntimes = "PDMSTUDIO_REQUIRE_RUNTIMES"

var (
	ortOnce sync.Once
	ortErr  error
)

// loadORT loads the real ONNX Runtime library once (CPU provider) and says why it failed.
func loadORT() error {
	ortOnce.Do(func() {
		entries := onnxrt.DefaultLibraryDirs()
		if os.Getenv(onnxrt.EnvLibrary) == "" {
			if dir, err := os.Getwd(); err == nil {
				for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
					if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
						entries = append(entries, filepath.Join(dir, "models", "onnxruntime", onnxrt.PlatformDir()))
						break
					}
				}
			}
		}
		path, err := onnxrt.FindLibrary(entries...)
		if err != nil {
			ortErr = err
			return
		}
		_, ortErr = onnxrt.Init(onnxrt.Options{LibraryPath: path, Provider: onnxrt.ProviderCPU})
	})
	return ortErr
}

// requireORT loads the real ONNX Runtime library once; it skips the test when the library is
// absent, unless PDMSTUDIO_REQUIRE_RUNTIMES is set.
func requireORT(tb testing.TB) {
	tb.Helper()
	if ortErr := loadORT(); ortErr != nil {
		if os.Getenv(envRequireRuntimes) != "" {
			tb.Fatalf("ONNX Runtime is required (%s is set): %v", envRequireRuntimes, ortErr)
		}
		tb.Skipf("ONNX Runtime library not available (set %s=1 to fail instead): %v", envRequireRuntimes, ortErr)
	}
}

var (
	simMu    sync.Mutex
	simTable = map[string]*datasets.Table{}
)

// seedData simulates (once per test binary) rows of a fleet machine's seed data.
func seedData(tb testing.TB, machine string, rows int, seed uint64) *datasets.Table {
	tb.Helper()
	simMu.Lock()
	defer simMu.Unlock()
	key := fmt.Sprint(machine, rows, seed)
	if t, ok := simTable[key]; ok {
		return t
	}
	p, err := profiles.FleetProfile(machine)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := simulate.Run(context.Background(), p, simulate.Options{Rows: rows, Seed: seed}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	simTable[key] = t
	return t
}

func keySensors(tb testing.TB, machine string) []string {
	p, err := profiles.FleetProfile(machine)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, s := range p.KeySensors() {
		out = append(out, s.Name)
	}
	return out
}

// machineSignatures returns the fault signatures of a fleet machine's profile.
func machineSignatures(tb testing.TB, machine string) []features.Signature {
	p, err := profiles.FleetProfile(machine)
	if err != nil {
		tb.Fatal(err)
	}
	return SignaturesFrom(p.FaultShifts(), p.FaultProgressions())
}

// testMachine is the machine the task tests train on.
const testMachine = "motor_siemens_1la7_001"

var (
	modelMu  sync.Mutex
	modelFor = map[string]*Model{}
)

// trainedModel fits (once per test binary and key) a small model of task on the test
// machine: 3,000 rows of seed 1 for training, seed 3 for validation; families nil means the
// task's defaults.
func trainedModel(tb testing.TB, task Task, families ...string) *Model {
	tb.Helper()
	modelMu.Lock()
	defer modelMu.Unlock()
	key := fmt.Sprint(task, families)
	if m, ok := modelFor[key]; ok {
		return m
	}
	spec := SeedSpec(task, seedData(tb, testMachine, 3000, 1), seedData(tb, testMachine, 3000, 3), keySensors(tb, testMachine))
	spec.Families = families
	spec.Signatures = machineSignatures(tb, testMachine) // as the registry does
	spec.Trees, spec.Epochs, spec.Seed = 80, 25, 1
	m, err := Fit(context.Background(), spec, nil)
	if err != nil {
		tb.Fatalf("fit %s %v: %v", task, families, err)
	}
	modelFor[key] = m
	return m
}

// lastRows returns the last n rows of t (a buffer of recent rows).
func lastRows(t *datasets.Table, n int) *datasets.Table {
	from := max(0, t.NumRows()-n)
	cols := make([]*datasets.Column, len(t.Columns))
	for i, c := range t.Columns {
		out := &datasets.Column{Name: c.Name, Type: c.Type, Meta: c.Meta}
		switch c.Type {
		case datasets.Float:
			out.Floats = c.Floats[from:]
		case datasets.Int:
			out.Ints = c.Ints[from:]
		case datasets.String:
			out.Strings = c.Strings[from:]
		case datasets.Bool:
			out.Bools = c.Bools[from:]
		case datasets.Timestamp:
			out.Times = c.Times[from:]
		}
		if c.Nulls != nil {
			out.Nulls = c.Nulls[from:]
		}
		cols[i] = out
	}
	tb, err := datasets.NewTable(cols...)
	if err != nil {
		panic(err)
	}
	return tb
}

// without returns t without the named columns.
func without(t *datasets.Table, names ...string) *datasets.Table {
	var cols []*datasets.Column
outer:
	for _, c := range t.Columns {
		for _, n := range names {
			if c.Name == n {
				continue outer
			}
		}
		cols = append(cols, c)
	}
	out, _ := datasets.NewTable(cols...)
	return out
}
