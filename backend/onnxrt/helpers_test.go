package onnxrt

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// EnvRequireRuntimes makes tests fail, instead of skip, when a runtime library is missing.
// `make test` sets it.
const envRequireRuntimes = "PDMSTUDIO_REQUIRE_RUNTIMES"

var (
	testInitOnce sync.Once
	testInfo     Info
	testInitErr  error
)

// repoModelsDir walks up from the working directory to the module root and returns its
// models/onnxruntime/<platform> folder.
func repoModelsDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "models", "onnxruntime", PlatformDir())
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// requireORT loads the real ONNX Runtime once for the test binary. It skips the test when
// the library is absent, unless PDMSTUDIO_REQUIRE_RUNTIMES is set, in which case it fails.
func requireORT(tb testing.TB) Info {
	tb.Helper()
	testInitOnce.Do(func() {
		entries := DefaultLibraryDirs()
		if os.Getenv(EnvLibrary) == "" {
			entries = append(entries, repoModelsDir())
		}
		path, err := FindLibrary(entries...)
		if err != nil {
			testInitErr = err
			return
		}
		testInfo, testInitErr = Init(Options{LibraryPath: path})
	})
	if testInitErr != nil {
		if os.Getenv(envRequireRuntimes) != "" {
			tb.Fatalf("ONNX Runtime is required (%s is set): %v", envRequireRuntimes, testInitErr)
		}
		tb.Skipf("ONNX Runtime library not available, skipping (run scripts/fetch-runtimes.sh models; set %s=1 to fail instead): %v",
			envRequireRuntimes, testInitErr)
	}
	return testInfo
}

func randFloats(r *rand.Rand, n int, scale float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32((r.Float64()*2 - 1) * scale)
	}
	return out
}

func randomLayers(r *rand.Rand, sizes []int, acts []Activation) []Dense {
	var layers []Dense
	for i := 0; i+1 < len(sizes); i++ {
		in, out := sizes[i], sizes[i+1]
		layers = append(layers, Dense{
			In: in, Out: out,
			W:          randFloats(r, in*out, 1/math.Sqrt(float64(in))),
			B:          randFloats(r, out, 0.1),
			Activation: acts[i],
		})
	}
	return layers
}

// randomTree grows a full random tree of the given depth over nFeatures features in [-1, 1].
func randomTree(r *rand.Rand, depth, nFeatures, nOutputs int) Tree {
	var t Tree
	var grow func(d int) int
	grow = func(d int) int {
		idx := len(t.Nodes)
		t.Nodes = append(t.Nodes, TreeNode{})
		if d == 0 {
			t.Nodes[idx] = TreeNode{Leaf: true, Values: randFloats(r, nOutputs, 1)}
			return idx
		}
		n := TreeNode{Feature: r.IntN(nFeatures), Threshold: float32(r.Float64()*2 - 1), MissingTrue: r.IntN(2) == 0}
		n.True = grow(d - 1)
		n.False = grow(d - 1)
		t.Nodes[idx] = n
		return idx
	}
	grow(depth)
	return t
}

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}
