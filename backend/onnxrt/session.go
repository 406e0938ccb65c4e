package onnxrt

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
	"google.golang.org/protobuf/proto"

	"pdmstudio/backend/onnxrt/onnxpb"
)

// ErrInvalidModel is wrapped by the errors of [NewSession] and [NewSessionFromBytes] for bytes
// that are not an ONNX model (truncated or corrupted files, say).
var ErrInvalidModel = errors.New("not a valid ONNX model")

// Tensor is an input or output of [Session.Run]: a shape and the row-major data of one
// element type (exactly one of Float32 and Int64 is set).
type Tensor struct {
	// Name is the model's name for the value; set on outputs, optional on inputs.
	Name    string
	Shape   []int64
	Float32 []float32
	Int64   []int64
}

// Float32Tensor returns a float tensor of the given shape over data (not copied).
func Float32Tensor(data []float32, shape ...int64) Tensor {
	return Tensor{Shape: shape, Float32: data}
}

// Int64Tensor returns an int64 tensor of the given shape over data (not copied).
func Int64Tensor(data []int64, shape ...int64) Tensor {
	return Tensor{Shape: shape, Int64: data}
}

// TensorInfo describes a model input or output.
type TensorInfo struct {
	Name string `json:"name"`
	// ElemType is ONNX's name of the element type, e.g. "FLOAT", "INT64".
	ElemType string `json:"elem_type"`
	// Shape has -1 for symbolic or unknown dimensions; nil when the rank is unknown.
	Shape []int64 `json:"shape"`
	// DimParams holds the symbolic names ("batch") by position; "" for fixed dimensions.
	DimParams []string `json:"dim_params,omitempty"`
	elem      onnxpb.TensorProto_DataType
}

// SessionOptions tune a session. The zero value uses the process setting from [Init].
type SessionOptions struct {
	// Provider is "" (the process setting), ProviderAuto or ProviderCPU.
	Provider string
	// IntraOpThreads caps the threads one Run may use; 0 leaves ONNX Runtime's default (one
	// per physical core).
	IntraOpThreads int
	// Spin lets idle worker threads busy-wait for the next Run (ONNX Runtime's default). It
	// is off here: a desktop app runs several sessions beside the UI, and spinning threads
	// that outnumber the free cores slow everything down.
	Spin bool
}

// Session is a loaded model. Run is safe for concurrent use (ONNX Runtime sessions are);
// Close waits for running calls and makes later ones fail.
type Session struct {
	mu       sync.RWMutex
	sess     *ort.DynamicAdvancedSession
	name     string
	inputs   []TensorInfo
	outputs  []TensorInfo
	provider string
	meta     map[string]string
}

// NewSession loads the ONNX model file at path. A missing file, a file that does not parse
// as an ONNX ModelProto, and a model ONNX Runtime refuses give distinct, clear errors; the
// second kind wraps [ErrInvalidModel].
func NewSession(path string, opts *SessionOptions) (*Session, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("model file %s does not exist", path)
		}
		return nil, fmt.Errorf("reading model file %s: %w", path, err)
	}
	return newSession("model file "+path, data, opts)
}

// NewSessionFromBytes loads a model from its serialized bytes (see [Graph.Marshal]).
func NewSessionFromBytes(model []byte, opts *SessionOptions) (*Session, error) {
	return newSession("model", model, opts)
}

// ParseModel decodes and sanity-checks serialized ONNX model bytes without ONNX Runtime. The
// error wraps [ErrInvalidModel].
func ParseModel(data []byte) (*onnxpb.ModelProto, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrInvalidModel)
	}
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidModel, err)
	}
	if m.GetIrVersion() <= 0 {
		return nil, fmt.Errorf("%w: no IR version", ErrInvalidModel)
	}
	if m.Graph == nil || len(m.Graph.Node) == 0 {
		return nil, fmt.Errorf("%w: no graph", ErrInvalidModel)
	}
	if len(m.OpsetImport) == 0 {
		return nil, fmt.Errorf("%w: no opset import", ErrInvalidModel)
	}
	if len(m.Graph.Output) == 0 {
		return nil, fmt.Errorf("%w: the graph has no outputs", ErrInvalidModel)
	}
	return &m, nil
}

func newSession(what string, data []byte, opts *SessionOptions) (*Session, error) {
	m, err := ParseModel(data)
	if err != nil {
		return nil, fmt.Errorf("%s is %w", what, err)
	}
	info := Current()
	if !info.Loaded {
		return nil, fmt.Errorf("loading %s: %w; %s", what, ErrNotInitialized, info.Error)
	}
	if opts == nil {
		opts = &SessionOptions{}
	}
	ep := info.ActiveProvider
	switch strings.ToLower(opts.Provider) {
	case "":
	case ProviderCPU:
		ep = EPCPU
	case ProviderAuto:
		if info.Provider != ProviderAuto {
			tmp := info
			selectProvider(&tmp, ProviderAuto)
			ep = tmp.ActiveProvider
		}
	default:
		return nil, fmt.Errorf("unknown execution provider setting %q (want %q or %q)", opts.Provider, ProviderAuto, ProviderCPU)
	}

	s := &Session{name: what, meta: map[string]string{}}
	s.inputs, s.outputs = graphIO(m.Graph)
	for _, e := range m.MetadataProps {
		s.meta[e.GetKey()] = e.GetValue()
	}
	inNames := make([]string, len(s.inputs))
	for i, t := range s.inputs {
		inNames[i] = t.Name
	}
	outNames := make([]string, len(s.outputs))
	for i, t := range s.outputs {
		outNames[i] = t.Name
	}

	s.sess, err = createSession(data, inNames, outNames, ep, opts)
	if err != nil && ep != EPCPU {
		// A GPU provider can fail for one model; the CPU always works.
		s.sess, err = createSession(data, inNames, outNames, EPCPU, opts)
		ep = EPCPU
	}
	if err != nil {
		return nil, fmt.Errorf("%s could not be loaded by ONNX Runtime: %w", what, err)
	}
	s.provider = ep
	return s, nil
}

func createSession(data []byte, in, out []string, ep string, opts *SessionOptions) (*ort.DynamicAdvancedSession, error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer so.Destroy()
	if opts.IntraOpThreads > 0 {
		if err := so.SetIntraOpNumThreads(opts.IntraOpThreads); err != nil {
			return nil, err
		}
	}
	if !opts.Spin {
		if err := so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
			return nil, err
		}
		if err := so.AddSessionConfigEntry("session.inter_op.allow_spinning", "0"); err != nil {
			return nil, err
		}
	}
	if err := appendProvider(so, ep); err != nil {
		return nil, err
	}
	return ort.NewDynamicAdvancedSessionWithONNXData(data, in, out, so)
}

// graphIO lists the graph's real inputs (not initializers) and its outputs.
func graphIO(g *onnxpb.GraphProto) (ins, outs []TensorInfo) {
	inits := map[string]bool{}
	for _, t := range g.Initializer {
		inits[t.GetName()] = true
	}
	for _, v := range g.Input {
		if !inits[v.GetName()] {
			ins = append(ins, tensorInfo(v))
		}
	}
	for _, v := range g.Output {
		outs = append(outs, tensorInfo(v))
	}
	return ins, outs
}

func tensorInfo(v *onnxpb.ValueInfoProto) TensorInfo {
	ti := TensorInfo{Name: v.GetName(), ElemType: "UNDEFINED"}
	tt := v.GetType().GetTensorType()
	if tt == nil {
		return ti
	}
	ti.elem = onnxpb.TensorProto_DataType(tt.GetElemType())
	ti.ElemType = ti.elem.String()
	if tt.Shape != nil {
		ti.Shape = make([]int64, len(tt.Shape.Dim))
		ti.DimParams = make([]string, len(tt.Shape.Dim))
		symbolic := false
		for i, d := range tt.Shape.Dim {
			ti.Shape[i] = -1
			if _, ok := d.Value.(*onnxpb.TensorShapeProto_Dimension_DimValue); ok {
				ti.Shape[i] = d.GetDimValue()
			} else {
				ti.DimParams[i] = d.GetDimParam()
				symbolic = true
			}
		}
		if !symbolic {
			ti.DimParams = nil
		}
	}
	return ti
}

// Inputs describes the model's inputs, in the order Run takes them.
func (s *Session) Inputs() []TensorInfo { return append([]TensorInfo(nil), s.inputs...) }

// Outputs describes the model's outputs, in the order Run returns them.
func (s *Session) Outputs() []TensorInfo { return append([]TensorInfo(nil), s.outputs...) }

// Provider is the execution provider the session runs on (EPCPU, EPCUDA or EPDirectML).
func (s *Session) Provider() string { return s.provider }

// Metadata returns the model's metadata_props (see [Graph.SetMetadata]).
func (s *Session) Metadata() map[string]string {
	m := make(map[string]string, len(s.meta))
	for k, v := range s.meta {
		m[k] = v
	}
	return m
}

// Run evaluates the model on inputs given in the order of [Session.Inputs] and returns all
// outputs in the order of [Session.Outputs], copied into Go memory. Safe for concurrent use.
func (s *Session) Run(inputs ...Tensor) ([]Tensor, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.sess == nil {
		return nil, fmt.Errorf("%s: session is closed", s.name)
	}
	if len(inputs) != len(s.inputs) {
		return nil, fmt.Errorf("%s takes %d inputs, got %d", s.name, len(s.inputs), len(inputs))
	}
	vals := make([]ort.Value, len(inputs))
	defer func() {
		for _, v := range vals {
			if v != nil {
				v.Destroy()
			}
		}
	}()
	for i, in := range inputs {
		v, err := s.inputValue(i, in)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	outs := make([]ort.Value, len(s.outputs))
	defer func() {
		for _, v := range outs {
			if v != nil {
				v.Destroy()
			}
		}
	}()
	if err := s.sess.Run(vals, outs); err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	res := make([]Tensor, len(outs))
	for i, o := range outs {
		t := Tensor{Name: s.outputs[i].Name, Shape: []int64(o.GetShape())}
		switch v := o.(type) {
		case *ort.Tensor[float32]:
			t.Float32 = v.GetData()
		case *ort.Tensor[int64]:
			t.Int64 = v.GetData()
		case *ort.Tensor[float64]:
			d := v.GetData()
			t.Float32 = make([]float32, len(d))
			for j, x := range d {
				t.Float32[j] = float32(x)
			}
		case *ort.Tensor[int32]:
			d := v.GetData()
			t.Int64 = make([]int64, len(d))
			for j, x := range d {
				t.Int64[j] = int64(x)
			}
		default:
			return nil, fmt.Errorf("%s: output %q has a type this package does not read (%s)", s.name, t.Name, o.GetONNXType())
		}
		res[i] = t
	}
	return res, nil
}

func (s *Session) inputValue(i int, in Tensor) (ort.Value, error) {
	info := s.inputs[i]
	if in.Name != "" && in.Name != info.Name {
		return nil, fmt.Errorf("%s: input %d is %q, got a tensor named %q", s.name, i, info.Name, in.Name)
	}
	if len(in.Shape) == 0 {
		return nil, fmt.Errorf("%s: input %q: no shape given", s.name, info.Name)
	}
	n := int64(1)
	for _, d := range in.Shape {
		if d < 0 {
			return nil, fmt.Errorf("%s: input %q: negative dimension in shape %v", s.name, info.Name, in.Shape)
		}
		n *= d
	}
	if info.Shape != nil {
		if len(info.Shape) != len(in.Shape) {
			return nil, fmt.Errorf("%s: input %q wants rank %d (shape %v), got shape %v", s.name, info.Name, len(info.Shape), info.Shape, in.Shape)
		}
		for k, d := range info.Shape {
			if d >= 0 && in.Shape[k] != d {
				return nil, fmt.Errorf("%s: input %q wants shape %v, got %v", s.name, info.Name, info.Shape, in.Shape)
			}
		}
	}
	shape := ort.NewShape(in.Shape...)
	switch {
	case in.Float32 != nil:
		if info.elem != onnxpb.TensorProto_FLOAT && info.elem != onnxpb.TensorProto_UNDEFINED {
			return nil, fmt.Errorf("%s: input %q wants %s, got FLOAT", s.name, info.Name, info.ElemType)
		}
		if int64(len(in.Float32)) != n {
			return nil, fmt.Errorf("%s: input %q: shape %v needs %d values, got %d", s.name, info.Name, in.Shape, n, len(in.Float32))
		}
		return ort.NewTensor(shape, in.Float32)
	case in.Int64 != nil:
		if info.elem != onnxpb.TensorProto_INT64 && info.elem != onnxpb.TensorProto_UNDEFINED {
			return nil, fmt.Errorf("%s: input %q wants %s, got INT64", s.name, info.Name, info.ElemType)
		}
		if int64(len(in.Int64)) != n {
			return nil, fmt.Errorf("%s: input %q: shape %v needs %d values, got %d", s.name, info.Name, in.Shape, n, len(in.Int64))
		}
		return ort.NewTensor(shape, in.Int64)
	default:
		return nil, fmt.Errorf("%s: input %q: no data", s.name, info.Name)
	}
}

// RunFloat32 runs a model with one float input of the given shape and returns its outputs.
func (s *Session) RunFloat32(data []float32, shape ...int64) ([]Tensor, error) {
	return s.Run(Float32Tensor(data, shape...))
}

// Close releases the session. It waits for running calls; later calls fail. Closing twice is
// harmless.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		return nil
	}
	err := s.sess.Destroy()
	s.sess = nil
	return err
}
