package onnxrt

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	"pdmstudio/backend/onnxrt/onnxpb"
)

func TestFindLibrary(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	withLib := filepath.Join(dir, "lib")
	for _, d := range []string{empty, withLib} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	libFile := filepath.Join(withLib, LibraryFileNames()[0])
	if err := os.WriteFile(libFile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		entries []string
		want    string
		wantErr bool
	}{
		{"folder", []string{empty, withLib}, libFile, false},
		{"file entry", []string{libFile}, libFile, false},
		{"missing", []string{empty, filepath.Join(dir, "nope")}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FindLibrary(tc.entries...)
			if tc.wantErr {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				for _, e := range tc.entries {
					if !strings.Contains(err.Error(), e) {
						t.Errorf("error %q does not name %s", err, e)
					}
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("FindLibrary = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestDefaultLibraryDirs(t *testing.T) {
	t.Setenv(EnvLibrary, "")
	dirs := DefaultLibraryDirs()
	cwd, _ := os.Getwd()
	want := filepath.Join(cwd, "models", "onnxruntime", PlatformDir())
	if !slices.Contains(dirs, want) {
		t.Errorf("DefaultLibraryDirs() = %v, missing %s", dirs, want)
	}
	t.Setenv(EnvLibrary, "/some/libonnxruntime.so")
	if got := DefaultLibraryDirs(); !slices.Equal(got, []string{"/some/libonnxruntime.so"}) {
		t.Errorf("with %s set: %v", EnvLibrary, got)
	}
}

func TestInitAndProbe(t *testing.T) {
	info := requireORT(t)
	if !info.Loaded || info.Error != "" {
		t.Fatalf("info = %+v", info)
	}
	if !strings.HasPrefix(info.Version, "1.") {
		t.Errorf("Version = %q", info.Version)
	}
	if !slices.Contains(info.Providers, EPCPU) {
		t.Errorf("Providers = %v, want %s among them", info.Providers, EPCPU)
	}
	if info.ActiveProvider == "" || info.Provider != ProviderAuto {
		t.Errorf("Provider = %q, ActiveProvider = %q", info.Provider, info.ActiveProvider)
	}
	t.Logf("ONNX Runtime %s at %s; providers %v; active %s; notes %v; %s",
		info.Version, info.Path, info.Providers, info.ActiveProvider, info.ProviderNotes, info.BuildInfo)

	p := Probe()
	if !p.Loaded || p.Version != info.Version || p.Path != info.Path {
		t.Errorf("Probe() = %+v", p)
	}
	// A second Init is cheap and keeps the library; the provider setting may change.
	cpu, err := Init(Options{Provider: ProviderCPU, LibraryPath: "/elsewhere"})
	if err != nil || cpu.ActiveProvider != EPCPU || cpu.Path != info.Path {
		t.Errorf("Init(cpu) = %+v, %v", cpu, err)
	}
	if _, err := Init(Options{Provider: "tpu"}); err == nil {
		t.Error("Init accepted provider \"tpu\"")
	}
	if back, err := Init(Options{Provider: ProviderAuto}); err != nil || back.ActiveProvider != info.ActiveProvider {
		t.Errorf("Init(auto) = %+v, %v", back, err)
	}
}

func TestMLPMatchesGo(t *testing.T) {
	requireORT(t)
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name  string
		sizes []int
		acts  []Activation
	}{
		{"relu-tanh-linear", []int{12, 32, 16, 3}, []Activation{ReLU, Tanh, Linear}},
		{"sigmoid-softmax", []int{5, 8, 4}, []Activation{Sigmoid, Softmax}},
		{"single layer", []int{7, 1}, []Activation{Linear}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			layers := randomLayers(r, tc.sizes, tc.acts)
			g, err := MLP("features", "prediction", layers)
			if err != nil {
				t.Fatal(err)
			}
			g.SetMetadata("task", "test")
			data, err := g.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewSessionFromBytes(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if in := s.Inputs(); len(in) != 1 || in[0].Name != "features" || in[0].Shape[0] != -1 || in[0].DimParams[0] != BatchDim {
				t.Errorf("Inputs() = %+v", in)
			}
			if s.Metadata()["task"] != "test" {
				t.Errorf("Metadata() = %v", s.Metadata())
			}
			nIn, nOut := tc.sizes[0], tc.sizes[len(tc.sizes)-1]
			for _, rows := range []int{1, 257} {
				x := randFloats(r, rows*nIn, 2)
				out, err := s.RunFloat32(x, int64(rows), int64(nIn))
				if err != nil {
					t.Fatal(err)
				}
				want, err := MLPForward(layers, x, rows)
				if err != nil {
					t.Fatal(err)
				}
				got := out[0]
				if got.Name != "prediction" || !slices.Equal(got.Shape, []int64{int64(rows), int64(nOut)}) {
					t.Fatalf("output %q shape %v", got.Name, got.Shape)
				}
				if d := maxAbsDiff(got.Float32, want); d > 1e-5 {
					t.Errorf("rows=%d: max |ORT - Go| = %g > 1e-5", rows, d)
				} else {
					t.Logf("rows=%d: max |ORT - Go| = %.2g", rows, d)
				}
			}
		})
	}
}

func TestTreeEnsembleRegressorMatchesGo(t *testing.T) {
	requireORT(t)
	r := rand.New(rand.NewPCG(3, 4))
	const nFeatures = 6
	for _, tc := range []struct {
		name string
		te   TreeEnsemble
	}{
		{"sum with base", TreeEnsemble{NFeatures: nFeatures, NOutputs: 1, BaseValues: []float32{0.5}}},
		{"average two targets", TreeEnsemble{NFeatures: nFeatures, NOutputs: 2, Aggregate: AggregateAverage, BaseValues: []float32{1, -1}}},
		{"logistic", TreeEnsemble{NFeatures: nFeatures, NOutputs: 1, PostTransform: PostLogistic}},
		{"softmax three targets", TreeEnsemble{NFeatures: nFeatures, NOutputs: 3, PostTransform: PostSoftmax, BaseValues: []float32{0, 1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			te := tc.te
			for i := 0; i < 20; i++ {
				te.Trees = append(te.Trees, randomTree(r, 1+r.IntN(5), nFeatures, te.NOutputs))
			}
			g, err := te.RegressorGraph("x", "y")
			if err != nil {
				t.Fatal(err)
			}
			data, err := g.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewSessionFromBytes(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rows := 500
			x := randFloats(r, rows*nFeatures, 1.2)
			for i := 0; i < 40; i++ { // some missing values
				x[r.IntN(len(x))] = float32(math.NaN())
			}
			out, err := s.RunFloat32(x, int64(rows), nFeatures)
			if err != nil {
				t.Fatal(err)
			}
			want, err := te.Predict(x, rows)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(out[0].Float32, want); d > 1e-5 {
				t.Errorf("max |ORT - Go| = %g > 1e-5", d)
			}
		})
	}
}

func TestTreeEnsembleClassifierMatchesGo(t *testing.T) {
	requireORT(t)
	r := rand.New(rand.NewPCG(5, 6))
	const nFeatures = 4
	for _, tc := range []struct {
		name string
		te   TreeEnsemble
	}{
		{"three classes softmax", TreeEnsemble{NFeatures: nFeatures, NOutputs: 3, PostTransform: PostSoftmax, ClassLabels: []int64{10, 20, 30}}},
		{"two classes raw", TreeEnsemble{NFeatures: nFeatures, NOutputs: 2, BaseValues: []float32{0.1, -0.1}}},
		{"two classes softmax", TreeEnsemble{NFeatures: nFeatures, NOutputs: 2, PostTransform: PostSoftmax, ClassLabels: []int64{7, 3}}},
		{"two classes logistic", TreeEnsemble{NFeatures: nFeatures, NOutputs: 2, PostTransform: PostLogistic, BaseValues: []float32{1, 2}}},
		{"four classes logistic", TreeEnsemble{NFeatures: nFeatures, NOutputs: 4, PostTransform: PostLogistic, BaseValues: []float32{1, 2, 0, -1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			te := tc.te
			for i := 0; i < 15; i++ {
				te.Trees = append(te.Trees, randomTree(r, 3, nFeatures, te.NOutputs))
			}
			g, err := te.ClassifierGraph("x", "label", "scores")
			if err != nil {
				t.Fatal(err)
			}
			data, err := g.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewSessionFromBytes(data, &SessionOptions{Provider: ProviderCPU})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rows := 300
			x := randFloats(r, rows*nFeatures, 1.2)
			out, err := s.RunFloat32(x, int64(rows), nFeatures)
			if err != nil {
				t.Fatal(err)
			}
			wantLabels, wantScores, err := te.Classify(x, rows)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(out[1].Float32, wantScores); d > 1e-5 {
				t.Errorf("scores: max |ORT - Go| = %g > 1e-5", d)
			}
			if !slices.Equal(out[0].Int64, wantLabels) {
				t.Errorf("labels differ: ORT %v…, Go %v…", out[0].Int64[:10], wantLabels[:10])
			}
		})
	}
}

func TestBadModelFiles(t *testing.T) {
	requireORT(t)
	dir := t.TempDir()
	g, err := MLP("x", "y", randomLayers(rand.New(rand.NewPCG(7, 8)), []int{4, 8, 2}, []Activation{ReLU, Linear}))
	if err != nil {
		t.Fatal(err)
	}
	good, err := g.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	// A well-formed model that ONNX Runtime refuses: an operator that does not exist.
	bogus := NewGraph("bogus")
	bogus.AddInput("x", Float32, Symbolic(BatchDim), Fixed(2))
	bogus.AddNode("NoSuchOperator", []string{"x"}, []string{"y"})
	bogus.AddOutput("y", Float32, Symbolic(BatchDim), Fixed(2))
	refused, err := bogus.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"truncated.onnx": good[:len(good)/2],
		"garbage.onnx":   []byte("this is not a protobuf at all \x00\xff\xff\xff\xff"),
		"empty.onnx":     nil,
		"refused.onnx":   refused,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ file, want string }{
		{"truncated.onnx", "is not a valid ONNX model"},
		{"garbage.onnx", "is not a valid ONNX model"},
		{"empty.onnx", "is not a valid ONNX model: the file is empty"},
		{"refused.onnx", "could not be loaded by ONNX Runtime"},
		{"missing.onnx", "does not exist"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			s, err := NewSession(path, nil)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q, want it to name the file and say %q", err, tc.want)
			}
			t.Log(err)
		})
	}
	if err := os.WriteFile(filepath.Join(dir, "good.onnx"), good, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := NewSession(filepath.Join(dir, "good.onnx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestRunChecksInputsAndIsConcurrent(t *testing.T) {
	requireORT(t)
	r := rand.New(rand.NewPCG(9, 10))
	layers := randomLayers(r, []int{6, 16, 2}, []Activation{Tanh, Linear})
	g, _ := MLP("x", "y", layers)
	data, err := g.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSessionFromBytes(data, &SessionOptions{IntraOpThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   []Tensor
		want string
	}{
		{"no inputs", nil, "takes 1 inputs"},
		{"wrong width", []Tensor{Float32Tensor(make([]float32, 10), 2, 5)}, "wants shape"},
		{"wrong count", []Tensor{Float32Tensor(make([]float32, 11), 2, 6)}, "needs 12 values"},
		{"wrong type", []Tensor{Int64Tensor(make([]int64, 12), 2, 6)}, "wants FLOAT"},
		{"wrong name", []Tensor{{Name: "z", Shape: []int64{1, 6}, Float32: make([]float32, 6)}}, "named \"z\""},
	} {
		if _, err := s.Run(tc.in...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		x := randFloats(r, 50*6, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			want, _ := MLPForward(layers, x, 50)
			for i := 0; i < 50; i++ {
				out, err := s.RunFloat32(x, 50, 6)
				if err != nil {
					errs <- err
					return
				}
				if d := maxAbsDiff(out[0].Float32, want); d > 1e-5 {
					errs <- errors.New("concurrent run gave a different answer")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunFloat32(make([]float32, 6), 1, 6); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Run after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestGraphChecks(t *testing.T) {
	tests := []struct {
		name  string
		build func(g *Graph)
		want  string
	}{
		{"duplicate name", func(g *Graph) {
			g.AddInput("x", Float32, Fixed(1))
			g.AddFloatInitializer("x", []int64{1}, []float32{1})
		}, "used twice"},
		{"bad initializer", func(g *Graph) {
			g.AddFloatInitializer("w", []int64{2, 3}, []float32{1})
		}, "6 values"},
		{"unknown input", func(g *Graph) {
			g.AddInput("x", Float32, Fixed(1))
			g.AddNode("Relu", []string{"nope"}, []string{"y"})
			g.AddOutput("y", Float32, Fixed(1))
		}, "reads \"nope\""},
		{"output not produced", func(g *Graph) {
			g.AddInput("x", Float32, Fixed(1))
			g.AddNode("Relu", []string{"x"}, []string{"y"})
			g.AddOutput("z", Float32, Fixed(1))
		}, "output \"z\""},
		{"bad dense", func(g *Graph) {
			g.AddDense("x", Dense{In: 2, Out: 2, W: []float32{1}})
		}, "1 weights"},
		{"bad tree", func(g *Graph) {
			g.AddInput("x", Float32, Fixed(1))
			g.AddTreeEnsembleRegressor("x", TreeEnsemble{NFeatures: 1, NOutputs: 1, Trees: []Tree{{Nodes: []TreeNode{
				{Feature: 0, True: 1, False: 1}, {Leaf: true, Values: []float32{1}},
			}}}})
		}, "reached from 2 branches"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGraph("t")
			tc.build(g)
			if _, err := g.Marshal(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestModelProtoContents(t *testing.T) {
	te := TreeEnsemble{NFeatures: 2, NOutputs: 1, Trees: []Tree{{Nodes: []TreeNode{
		{Feature: 1, Threshold: 0.5, True: 1, False: 2},
		{Leaf: true, Values: []float32{1}},
		{Leaf: true, Values: []float32{2}},
	}}}}
	g, err := te.RegressorGraph("x", "y")
	if err != nil {
		t.Fatal(err)
	}
	data, err := g.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.GetIrVersion() != IRVersion {
		t.Errorf("ir_version = %d", m.GetIrVersion())
	}
	ops := map[string]int64{}
	for _, o := range m.OpsetImport {
		ops[o.GetDomain()] = o.GetVersion()
	}
	if ops[""] != OpsetVersion || ops[MLDomain] != MLOpsetVersion {
		t.Errorf("opset_import = %v", ops)
	}
	if dim := m.Graph.Input[0].Type.GetTensorType().Shape.Dim[0]; dim.GetDimParam() != BatchDim {
		t.Errorf("first input dimension = %v, want symbolic %q", dim, BatchDim)
	}
	if got, _ := te.Predict([]float32{0, 0.4, 0, 0.6}, 2); !slices.Equal(got, []float32{1, 2}) {
		t.Errorf("Predict = %v, want [1 2]", got)
	}
}
