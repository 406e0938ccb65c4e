package onnxrt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	"pdmstudio/backend/onnxrt/onnxpb"
)

// Versions written into models built with [Graph].
const (
	// IRVersion is the ONNX IR version of written models (ONNX 1.10+).
	IRVersion = 8
	// OpsetVersion is the default-domain ("ai.onnx") opset of written models.
	OpsetVersion = 17
	// MLDomain is the domain of the ONNX-ML operators (TreeEnsembleRegressor, …).
	MLDomain = "ai.onnx.ml"
	// MLOpsetVersion is the "ai.onnx.ml" opset imported when an ML operator is used.
	MLOpsetVersion = 3
	// Producer is written into ModelProto.producer_name.
	Producer = "pdmstudio"
	// BatchDim is the name of the symbolic batch dimension used by the model helpers.
	BatchDim = "batch"
)

// Element types of tensors, as used by [Graph.AddInput] and [Graph.AddOutput].
const (
	Float32 = onnxpb.TensorProto_FLOAT
	Int64   = onnxpb.TensorProto_INT64
)

// ElemType is an ONNX tensor element type, e.g. [Float32] or [Int64].
type ElemType = onnxpb.TensorProto_DataType

// Dim is one dimension of a graph input or output: a fixed size or a named symbolic size.
type Dim struct {
	Size  int64  // used when Param is empty
	Param string // symbolic name, e.g. BatchDim
}

// Fixed returns a dimension of size n.
func Fixed(n int) Dim { return Dim{Size: int64(n)} }

// Symbolic returns a named dimension whose size is set at run time.
func Symbolic(name string) Dim { return Dim{Param: name} }

// Graph builds an ONNX model: inputs, outputs, float32/int64 initializers and nodes. The
// first error (a bad initializer, say) is kept and returned by [Graph.Model] and
// [Graph.Marshal], so building code can chain calls and check once.
//
// A Graph is not safe for concurrent use.
type Graph struct {
	g      *onnxpb.GraphProto
	opsets map[string]int64
	meta   []*onnxpb.StringStringEntryProto
	doc    string
	names  map[string]bool
	seq    int
	err    error
}

// NewGraph starts an empty graph with the given name (ONNX graph names are informative).
func NewGraph(name string) *Graph {
	return &Graph{
		g:      &onnxpb.GraphProto{Name: proto.String(name)},
		opsets: map[string]int64{"": OpsetVersion},
		names:  map[string]bool{},
	}
}

// Err returns the first error recorded while building, if any.
func (g *Graph) Err() error { return g.err }

func (g *Graph) fail(err error) {
	if g.err == nil {
		g.err = err
	}
}

// UniqueName returns a name starting with prefix that no value of the graph uses yet and
// that no earlier call returned; the value that takes it claims it.
func (g *Graph) UniqueName(prefix string) string {
	for {
		g.seq++
		n := fmt.Sprintf("%s_%d", prefix, g.seq)
		if !g.names[n] {
			return n
		}
	}
}

// claim reserves name, recording an error if it is empty or already used.
func (g *Graph) claim(name string) {
	if name == "" {
		g.fail(errors.New("onnx graph: empty value name"))
		return
	}
	if g.names[name] {
		g.fail(fmt.Errorf("onnx graph: value name %q is used twice", name))
		return
	}
	g.names[name] = true
}

// SetDoc sets the model's doc_string.
func (g *Graph) SetDoc(doc string) { g.doc = doc }

// SetMetadata adds a key/value pair to the model's metadata_props (replacing an earlier value
// for the same key). ONNX Runtime exposes them as custom metadata.
func (g *Graph) SetMetadata(key, value string) {
	for _, e := range g.meta {
		if e.GetKey() == key {
			e.Value = proto.String(value)
			return
		}
	}
	g.meta = append(g.meta, &onnxpb.StringStringEntryProto{Key: proto.String(key), Value: proto.String(value)})
}

func valueInfo(name string, elem ElemType, dims []Dim) *onnxpb.ValueInfoProto {
	shape := &onnxpb.TensorShapeProto{}
	for _, d := range dims {
		if d.Param != "" {
			shape.Dim = append(shape.Dim, &onnxpb.TensorShapeProto_Dimension{
				Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: d.Param}})
		} else {
			shape.Dim = append(shape.Dim, &onnxpb.TensorShapeProto_Dimension{
				Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d.Size}})
		}
	}
	return &onnxpb.ValueInfoProto{
		Name: proto.String(name),
		Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(elem)),
			Shape:    shape,
		}}},
	}
}

// AddInput declares a graph input and returns its name.
func (g *Graph) AddInput(name string, elem ElemType, dims ...Dim) string {
	g.claim(name)
	g.g.Input = append(g.g.Input, valueInfo(name, elem, dims))
	return name
}

// AddOutput declares a graph output. The value must be produced by a node added before
// [Graph.Model] is called; the output may be declared before or after that node.
func (g *Graph) AddOutput(name string, elem ElemType, dims ...Dim) string {
	g.g.Output = append(g.g.Output, valueInfo(name, elem, dims))
	return name
}

func checkCount(name string, dims []int64, n int) error {
	want := int64(1)
	for _, d := range dims {
		if d < 0 {
			return fmt.Errorf("onnx graph: initializer %q has negative dimension %d", name, d)
		}
		want *= d
	}
	if want != int64(n) {
		return fmt.Errorf("onnx graph: initializer %q has shape %v (%d values) but %d values were given", name, dims, want, n)
	}
	return nil
}

// AddFloatInitializer adds a constant float32 tensor (stored as little-endian raw_data) and
// returns its name.
func (g *Graph) AddFloatInitializer(name string, dims []int64, data []float32) string {
	g.claim(name)
	if err := checkCount(name, dims, len(data)); err != nil {
		g.fail(err)
		return name
	}
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	g.g.Initializer = append(g.g.Initializer, &onnxpb.TensorProto{
		Name:     proto.String(name),
		Dims:     append([]int64(nil), dims...),
		DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
		RawData:  raw,
	})
	return name
}

// AddInt64Initializer adds a constant int64 tensor (stored as little-endian raw_data) and
// returns its name.
func (g *Graph) AddInt64Initializer(name string, dims []int64, data []int64) string {
	g.claim(name)
	if err := checkCount(name, dims, len(data)); err != nil {
		g.fail(err)
		return name
	}
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	g.g.Initializer = append(g.g.Initializer, &onnxpb.TensorProto{
		Name:     proto.String(name),
		Dims:     append([]int64(nil), dims...),
		DataType: proto.Int32(int32(onnxpb.TensorProto_INT64)),
		RawData:  raw,
	})
	return name
}

// AddNode appends a node of the default ONNX domain. Outputs must be new names; the node is
// named after its first output. Nodes must be added in topological order.
func (g *Graph) AddNode(opType string, inputs, outputs []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return g.addNode("", opType, inputs, outputs, attrs)
}

// AddMLNode appends a node of the "ai.onnx.ml" domain and imports that opset.
func (g *Graph) AddMLNode(opType string, inputs, outputs []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	g.opsets[MLDomain] = MLOpsetVersion
	return g.addNode(MLDomain, opType, inputs, outputs, attrs)
}

func (g *Graph) addNode(domain, opType string, inputs, outputs []string, attrs []*onnxpb.AttributeProto) *onnxpb.NodeProto {
	for _, o := range outputs {
		g.claim(o)
	}
	n := &onnxpb.NodeProto{
		OpType:    proto.String(opType),
		Input:     append([]string(nil), inputs...),
		Output:    append([]string(nil), outputs...),
		Attribute: attrs,
	}
	if len(outputs) > 0 {
		n.Name = proto.String(opType + "_" + outputs[0])
	}
	if domain != "" {
		n.Domain = proto.String(domain)
	}
	g.g.Node = append(g.g.Node, n)
	return n
}

// Model checks the graph and returns the ModelProto (IR 8, opset 17, plus "ai.onnx.ml" 3
// when an ML node was added). The check: every node input is a graph input, an initializer
// or the output of an earlier node, and every graph output is produced.
func (g *Graph) Model() (*onnxpb.ModelProto, error) {
	if g.err != nil {
		return nil, g.err
	}
	if err := g.check(); err != nil {
		return nil, err
	}
	m := &onnxpb.ModelProto{
		IrVersion:       proto.Int64(IRVersion),
		ProducerName:    proto.String(Producer),
		ProducerVersion: proto.String("1"),
		Graph:           g.g,
		MetadataProps:   g.meta,
	}
	if g.doc != "" {
		m.DocString = proto.String(g.doc)
	}
	m.OpsetImport = append(m.OpsetImport, &onnxpb.OperatorSetIdProto{Domain: proto.String(""), Version: proto.Int64(g.opsets[""])})
	if v, ok := g.opsets[MLDomain]; ok {
		m.OpsetImport = append(m.OpsetImport, &onnxpb.OperatorSetIdProto{Domain: proto.String(MLDomain), Version: proto.Int64(v)})
	}
	return m, nil
}

// Marshal returns the serialized model (the bytes of a .onnx file). Write it with
// backend/atomicfile so a crash never leaves half a model.
func (g *Graph) Marshal() ([]byte, error) {
	m, err := g.Model()
	if err != nil {
		return nil, err
	}
	return proto.Marshal(m)
}

func (g *Graph) check() error {
	known := map[string]bool{}
	for _, in := range g.g.Input {
		known[in.GetName()] = true
	}
	for _, t := range g.g.Initializer {
		known[t.GetName()] = true
	}
	for _, n := range g.g.Node {
		for _, in := range n.Input {
			if in != "" && !known[in] {
				return fmt.Errorf("onnx graph: node %s reads %q before anything produces it", n.GetName(), in)
			}
		}
		for _, o := range n.Output {
			known[o] = true
		}
	}
	if len(g.g.Output) == 0 {
		return errors.New("onnx graph: no outputs declared")
	}
	for _, o := range g.g.Output {
		if !known[o.GetName()] {
			return fmt.Errorf("onnx graph: output %q is not produced by any node", o.GetName())
		}
	}
	return nil
}

// Attribute helpers for [Graph.AddNode] and [Graph.AddMLNode].

// AttrInt returns an INT attribute.
func AttrInt(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

// AttrFloat returns a FLOAT attribute.
func AttrFloat(name string, v float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOAT.Enum(), F: proto.Float32(v)}
}

// AttrString returns a STRING attribute.
func AttrString(name, v string) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_STRING.Enum(), S: []byte(v)}
}

// AttrInts returns an INTS attribute.
func AttrInts(name string, v []int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INTS.Enum(), Ints: append([]int64(nil), v...)}
}

// AttrFloats returns a FLOATS attribute.
func AttrFloats(name string, v []float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOATS.Enum(), Floats: append([]float32(nil), v...)}
}

// AttrStrings returns a STRINGS attribute.
func AttrStrings(name string, v []string) *onnxpb.AttributeProto {
	b := make([][]byte, len(v))
	for i, s := range v {
		b[i] = []byte(s)
	}
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_STRINGS.Enum(), Strings: b}
}
