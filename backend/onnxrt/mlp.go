package onnxrt

import (
	"fmt"
	"math"

	"pdmstudio/backend/onnxrt/onnxpb"
)

// Activation is the nonlinearity after a [Dense] layer.
type Activation string

// Activations supported by [Dense].
const (
	Linear  Activation = ""        // none
	ReLU    Activation = "relu"    // max(0, x)
	Tanh    Activation = "tanh"    // tanh(x)
	Sigmoid Activation = "sigmoid" // 1 / (1 + exp(-x))
	Softmax Activation = "softmax" // over the last axis (the layer's outputs)
)

// Dense is a fully connected layer y = act(x·W + B) on a batch of rows.
type Dense struct {
	In, Out int
	// W holds In×Out weights, row-major: W[i*Out+j] connects input i to output j.
	W []float32
	// B holds Out biases; nil means zeros.
	B []float32
	// Activation after the affine map.
	Activation Activation
}

// Validate checks the sizes and the activation.
func (d Dense) Validate() error {
	if d.In <= 0 || d.Out <= 0 {
		return fmt.Errorf("dense layer %d→%d: sizes must be positive", d.In, d.Out)
	}
	if len(d.W) != d.In*d.Out {
		return fmt.Errorf("dense layer %d→%d: %d weights, want %d", d.In, d.Out, len(d.W), d.In*d.Out)
	}
	if d.B != nil && len(d.B) != d.Out {
		return fmt.Errorf("dense layer %d→%d: %d biases, want %d", d.In, d.Out, len(d.B), d.Out)
	}
	switch d.Activation {
	case Linear, ReLU, Tanh, Sigmoid, Softmax:
	default:
		return fmt.Errorf("dense layer %d→%d: unknown activation %q", d.In, d.Out, d.Activation)
	}
	return nil
}

// AddDense appends a Gemm node (plus the activation node) reading input, a [batch, d.In]
// float tensor, and returns the name of the [batch, d.Out] result.
func (g *Graph) AddDense(input string, d Dense) string {
	if err := d.Validate(); err != nil {
		g.fail(err)
		return input
	}
	w := g.AddFloatInitializer(g.UniqueName("W"), []int64{int64(d.In), int64(d.Out)}, d.W)
	b := d.B
	if b == nil {
		b = make([]float32, d.Out)
	}
	bias := g.AddFloatInitializer(g.UniqueName("B"), []int64{int64(d.Out)}, b)
	out := g.UniqueName("gemm")
	g.AddNode("Gemm", []string{input, w, bias}, []string{out})
	var op string
	var attrs []*onnxpb.AttributeProto
	switch d.Activation {
	case ReLU:
		op = "Relu"
	case Tanh:
		op = "Tanh"
	case Sigmoid:
		op = "Sigmoid"
	case Softmax:
		op = "Softmax"
		attrs = append(attrs, AttrInt("axis", -1))
	default:
		return out
	}
	act := g.UniqueName(string(d.Activation))
	g.AddNode(op, []string{out}, []string{act}, attrs...)
	return act
}

// AddStandardize appends (x - mean) * scale for a [batch, len(mean)] float input, e.g. with
// scale = 1/std to bake feature scaling into a model, and returns the result's name.
func (g *Graph) AddStandardize(input string, mean, scale []float32) string {
	if len(mean) != len(scale) || len(mean) == 0 {
		g.fail(fmt.Errorf("standardize: %d means and %d scales", len(mean), len(scale)))
		return input
	}
	n := int64(len(mean))
	m := g.AddFloatInitializer(g.UniqueName("mean"), []int64{n}, mean)
	s := g.AddFloatInitializer(g.UniqueName("scale"), []int64{n}, scale)
	centred := g.UniqueName("centred")
	g.AddNode("Sub", []string{input, m}, []string{centred})
	out := g.UniqueName("scaled")
	g.AddNode("Mul", []string{centred, s}, []string{out})
	return out
}

// MLP builds a model with one float input [batch, layers[0].In] named input and one float
// output [batch, last.Out] named output, computing the layers in order.
func MLP(input, output string, layers []Dense) (*Graph, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("mlp: no layers")
	}
	for i := range layers {
		if err := layers[i].Validate(); err != nil {
			return nil, fmt.Errorf("mlp layer %d: %w", i, err)
		}
		if i > 0 && layers[i].In != layers[i-1].Out {
			return nil, fmt.Errorf("mlp layer %d: takes %d inputs but layer %d gives %d", i, layers[i].In, i-1, layers[i-1].Out)
		}
	}
	g := NewGraph("mlp")
	x := g.AddInput(input, Float32, Symbolic(BatchDim), Fixed(layers[0].In))
	for _, d := range layers {
		x = g.AddDense(x, d)
	}
	g.AddNode("Identity", []string{x}, []string{output})
	g.AddOutput(output, Float32, Symbolic(BatchDim), Fixed(layers[len(layers)-1].Out))
	return g, g.Err()
}

// MLPForward computes the layers on rows×layers[0].In inputs (row-major) in pure Go, the
// same function as the [MLP] model, and returns rows×last.Out outputs. It accumulates in
// float64, so it agrees with ONNX Runtime to about 1e-6.
func MLPForward(layers []Dense, x []float32, rows int) ([]float32, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("mlp: no layers")
	}
	if len(x) != rows*layers[0].In {
		return nil, fmt.Errorf("mlp: %d inputs for %d rows of %d", len(x), rows, layers[0].In)
	}
	cur := x
	for li, d := range layers {
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("mlp layer %d: %w", li, err)
		}
		if li > 0 && d.In != layers[li-1].Out {
			return nil, fmt.Errorf("mlp layer %d: takes %d inputs but layer %d gives %d", li, d.In, li-1, layers[li-1].Out)
		}
		next := make([]float32, rows*d.Out)
		acc := make([]float64, d.Out)
		for r := 0; r < rows; r++ {
			for j := range acc {
				acc[j] = 0
				if d.B != nil {
					acc[j] = float64(d.B[j])
				}
			}
			row := cur[r*d.In : (r+1)*d.In]
			for i, xi := range row {
				if xi == 0 {
					continue
				}
				w := d.W[i*d.Out : (i+1)*d.Out]
				a := acc[:len(w)]
				x := float64(xi)
				for j, wij := range w {
					a[j] += x * float64(wij)
				}
			}
			out := next[r*d.Out : (r+1)*d.Out]
			activate(d.Activation, acc, out)
		}
		cur = next
	}
	return cur, nil
}

func activate(a Activation, acc []float64, out []float32) {
	switch a {
	case ReLU:
		for j, v := range acc {
			out[j] = float32(math.Max(0, v))
		}
	case Tanh:
		for j, v := range acc {
			out[j] = float32(math.Tanh(v))
		}
	case Sigmoid:
		for j, v := range acc {
			out[j] = float32(1 / (1 + math.Exp(-v)))
		}
	case Softmax:
		softmax64(acc)
		for j, v := range acc {
			out[j] = float32(v)
		}
	default:
		for j, v := range acc {
			out[j] = float32(v)
		}
	}
}

func softmax64(v []float64) {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	var s float64
	for i, x := range v {
		v[i] = math.Exp(x - m)
		s += v[i]
	}
	for i := range v {
		v[i] /= s
	}
}
