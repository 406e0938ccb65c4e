package ml

import (
	"fmt"
	"math"
	"slices"

	"pdmstudio/backend/onnxrt"
)

// ONNX names: every model takes one float input [batch, features] named InputName and gives
// one float output [batch, outputs] named OutputName; tree classifiers also give LabelName
// ([batch] int64, the class index with the highest probability).
const (
	InputName  = "features"
	OutputName = "output"
	LabelName  = "label"
)

// Head kinds (the numeric part of a model, after feature engineering).
const (
	headTrees = "trees" // gradient-boosted trees: TreeEnsembleRegressor/Classifier
	headDense = "dense" // standardize + Gemm layers (MLP, linear)
	headScore = "score" // anomaly score: standardize, clip, reconstruct, grouped squared residuals
	// headSignature: fault severities (a linear map of the col.dev features, one per
	// signature), the severity of the fault that fits best, then the Post layers.
	headSignature = "signature"
)

// head is the part of a model that ONNX carries: feature vector in, output vector out. It is
// plain data (saved in params.json); graph builds its ONNX model and eval computes the same
// function in pure Go.
type head struct {
	Kind string `json:"kind"`
	// Trees is the ensemble of a trees head; Classifier marks a TreeEnsembleClassifier
	// (softmax probabilities out).
	Trees      *onnxrt.TreeEnsemble `json:"trees,omitempty"`
	Classifier bool                 `json:"classifier,omitempty"`
	// Dense is a standardize + layers head (MLP or linear model).
	Dense *denseHead `json:"dense,omitempty"`
	// Score is an anomaly-score head.
	Score *scoreHead `json:"score,omitempty"`
	// Severity maps the feature vector to one severity per fault signature; a signature head
	// outputs the severity of the fault that explains the deviations best (the largest
	// severity × Norm, see fitSignature) before Post.
	Severity *onnxrt.Dense `json:"severity,omitempty"`
	Norm     []float32     `json:"norm,omitempty"`
	// Value, when set, gives the severities the signature head outputs (faults read over
	// windows of their own, see features.SignatureModel); Severity then only picks the fault.
	Value *onnxrt.Dense `json:"value,omitempty"`
	// Post are dense layers applied after a trees regressor or a dense head (the ordinal
	// classifier's cumulative-logistic link: value → class probabilities).
	Post []onnxrt.Dense `json:"post,omitempty"`
}

// denseHead computes layers((x − Mean) · Scale).
type denseHead struct {
	Mean   []float32      `json:"mean"`
	Scale  []float32      `json:"scale"`
	Layers []onnxrt.Dense `json:"layers"`
}

// scoreHead computes, from z = clip((x − Mean) · Scale, ±Clip), the residual r = z − recon(z)
// (recon = Layers, or 0 when there are none), the group sums c = (r ⊙ r) · Groups
// ([F, G], entries 1/F for the features of each group) and outputs [sqrt(Σ c), c…]: the RMS
// residual in healthy standard deviations, then each group's share of the mean square.
type scoreHead struct {
	Mean   []float32      `json:"mean"`
	Scale  []float32      `json:"scale"`
	Clip   float32        `json:"clip"`
	Layers []onnxrt.Dense `json:"layers,omitempty"`
	Groups []float32      `json:"groups"`
	G      int            `json:"g"`
}

// outputs returns the width of the head's output.
func (h *head) outputs() int {
	if len(h.Post) > 0 {
		return h.Post[len(h.Post)-1].Out
	}
	switch h.Kind {
	case headTrees:
		return h.Trees.NOutputs
	case headDense:
		return h.Dense.Layers[len(h.Dense.Layers)-1].Out
	case headScore:
		return h.Score.G + 1
	case headSignature:
		return 1
	}
	return 0
}

// inputs returns the feature count the head reads.
func (h *head) inputs() int {
	switch h.Kind {
	case headTrees:
		return h.Trees.NFeatures
	case headDense:
		return len(h.Dense.Mean)
	case headScore:
		return len(h.Score.Mean)
	case headSignature:
		return h.Severity.In
	}
	return 0
}

// check validates the head's shapes against the feature count f.
func (h *head) check(f int) error {
	switch h.Kind {
	case headTrees:
		if h.Trees == nil {
			return fmt.Errorf("trees head without trees")
		}
		if err := h.Trees.Validate(); err != nil {
			return err
		}
	case headDense:
		d := h.Dense
		if d == nil || len(d.Layers) == 0 || len(d.Mean) != len(d.Scale) || d.Layers[0].In != len(d.Mean) {
			return fmt.Errorf("dense head: inconsistent shapes")
		}
		for i, l := range d.Layers {
			if err := l.Validate(); err != nil {
				return err
			}
			if i > 0 && l.In != d.Layers[i-1].Out {
				return fmt.Errorf("dense head: layer %d takes %d inputs, layer %d gives %d", i, l.In, i-1, d.Layers[i-1].Out)
			}
		}
	case headScore:
		s := h.Score
		if s == nil || len(s.Mean) != len(s.Scale) || s.G < 1 || len(s.Groups) != len(s.Mean)*s.G {
			return fmt.Errorf("score head: inconsistent shapes")
		}
		if len(s.Layers) > 0 && (s.Layers[0].In != len(s.Mean) || s.Layers[len(s.Layers)-1].Out != len(s.Mean)) {
			return fmt.Errorf("score head: the reconstruction must map %d features to %d", len(s.Mean), len(s.Mean))
		}
	case headSignature:
		if h.Severity == nil {
			return fmt.Errorf("signature head without severities")
		}
		if err := h.Severity.Validate(); err != nil {
			return err
		}
		if len(h.Norm) != h.Severity.Out {
			return fmt.Errorf("signature head: %d norms for %d severities", len(h.Norm), h.Severity.Out)
		}
		if v := h.Value; v != nil {
			if err := v.Validate(); err != nil {
				return err
			}
			if v.In != h.Severity.In || v.Out != h.Severity.Out {
				return fmt.Errorf("signature head: values %d→%d, severities %d→%d", v.In, v.Out, h.Severity.In, h.Severity.Out)
			}
		}
		if len(h.Post) == 0 {
			return fmt.Errorf("signature head without a link")
		}
	default:
		return fmt.Errorf("unknown head kind %q", h.Kind)
	}
	if len(h.Post) > 0 {
		if h.Kind == headScore || h.Classifier {
			return fmt.Errorf("post layers after a %s head", h.Kind)
		}
		prev := h.Post[0].In
		if h.Kind == headTrees {
			if prev != h.Trees.NOutputs {
				return fmt.Errorf("post layers take %d inputs, the trees give %d", prev, h.Trees.NOutputs)
			}
		} else if h.Kind == headSignature {
			if prev != 1 {
				return fmt.Errorf("post layers take %d inputs, the signature head gives 1", prev)
			}
		} else if d := h.Dense.Layers; prev != d[len(d)-1].Out {
			return fmt.Errorf("post layers take %d inputs, the dense head gives %d", prev, d[len(d)-1].Out)
		}
		for i, l := range h.Post {
			if err := l.Validate(); err != nil {
				return err
			}
			if l.In != prev {
				return fmt.Errorf("post layer %d takes %d inputs, gets %d", i, l.In, prev)
			}
			prev = l.Out
		}
	}
	if h.inputs() != f {
		return fmt.Errorf("the model reads %d features, the pipeline makes %d", h.inputs(), f)
	}
	return nil
}

// graph builds the head's ONNX model with the given metadata_props.
func (h *head) graph(meta map[string]string) ([]byte, error) {
	var g *onnxrt.Graph
	var err error
	switch h.Kind {
	case headTrees:
		switch {
		case h.Classifier:
			g, err = h.Trees.ClassifierGraph(InputName, LabelName, OutputName)
		case len(h.Post) > 0:
			g = onnxrt.NewGraph("tree_ensemble_regressor_post")
			x := g.AddInput(InputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(h.Trees.NFeatures))
			x = g.AddTreeEnsembleRegressor(x, *h.Trees)
			for _, l := range h.Post {
				x = g.AddDense(x, l)
			}
			g.AddNode("Identity", []string{x}, []string{OutputName})
			g.AddOutput(OutputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(h.outputs()))
			err = g.Err()
		default:
			g, err = h.Trees.RegressorGraph(InputName, OutputName)
		}
	case headDense:
		g = h.denseGraph()
	case headScore:
		g = h.Score.graph()
	case headSignature:
		g = h.signatureGraph()
	default:
		return nil, fmt.Errorf("unknown head kind %q", h.Kind)
	}
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		g.SetMetadata(k, meta[k])
	}
	return g.Marshal()
}

func (h *head) denseGraph() *onnxrt.Graph {
	d := h.Dense
	g := onnxrt.NewGraph("dense")
	x := g.AddInput(InputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(len(d.Mean)))
	x = g.AddStandardize(x, d.Mean, d.Scale)
	for _, l := range d.Layers {
		x = g.AddDense(x, l)
	}
	for _, l := range h.Post {
		x = g.AddDense(x, l)
	}
	g.AddNode("Identity", []string{x}, []string{OutputName})
	g.AddOutput(OutputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(h.outputs()))
	return g
}

// signatureGraph: severities S = x·W (Gemm), the best-fitting fault k = argmax S ⊙ Norm
// (Mul, ArgMax), its severity (GatherElements), the link.
func (h *head) signatureGraph() *onnxrt.Graph {
	g := onnxrt.NewGraph("fault_signature")
	x := g.AddInput(InputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(h.Severity.In))
	sev := g.AddDense(x, *h.Severity)
	norm := g.AddFloatInitializer(g.UniqueName("norm"), []int64{int64(len(h.Norm))}, h.Norm)
	fit := g.UniqueName("fit")
	g.AddNode("Mul", []string{sev, norm}, []string{fit})
	best := g.UniqueName("best")
	g.AddNode("ArgMax", []string{fit}, []string{best}, onnxrt.AttrInt("axis", 1), onnxrt.AttrInt("keepdims", 1))
	val := sev
	if h.Value != nil {
		val = g.AddDense(x, *h.Value)
	}
	worst := g.UniqueName("severity")
	g.AddNode("GatherElements", []string{val, best}, []string{worst}, onnxrt.AttrInt("axis", 1))
	x = worst
	for _, l := range h.Post {
		x = g.AddDense(x, l)
	}
	g.AddNode("Identity", []string{x}, []string{OutputName})
	g.AddOutput(OutputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(h.outputs()))
	return g
}

func (s *scoreHead) graph() *onnxrt.Graph {
	f := len(s.Mean)
	g := onnxrt.NewGraph("anomaly_score")
	x := g.AddInput(InputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(f))
	z := g.AddStandardize(x, s.Mean, s.Scale)
	lo := g.AddFloatInitializer(g.UniqueName("clip_lo"), []int64{}, []float32{-s.Clip})
	hi := g.AddFloatInitializer(g.UniqueName("clip_hi"), []int64{}, []float32{s.Clip})
	zc := g.UniqueName("z")
	g.AddNode("Clip", []string{z, lo, hi}, []string{zc})
	r := zc
	if len(s.Layers) > 0 {
		rec := zc
		for _, l := range s.Layers {
			rec = g.AddDense(rec, l)
		}
		r = g.UniqueName("residual")
		g.AddNode("Sub", []string{zc, rec}, []string{r})
	}
	sq := g.UniqueName("sq")
	g.AddNode("Mul", []string{r, r}, []string{sq})
	grp := g.AddDense(sq, onnxrt.Dense{In: f, Out: s.G, W: s.Groups})
	axes := g.AddInt64Initializer(g.UniqueName("axes"), []int64{1}, []int64{1})
	tot := g.UniqueName("total")
	g.AddNode("ReduceSum", []string{grp, axes}, []string{tot}, onnxrt.AttrInt("keepdims", 1))
	score := g.UniqueName("score")
	g.AddNode("Sqrt", []string{tot}, []string{score})
	g.AddNode("Concat", []string{score, grp}, []string{OutputName}, onnxrt.AttrInt("axis", 1))
	g.AddOutput(OutputName, onnxrt.Float32, onnxrt.Symbolic(onnxrt.BatchDim), onnxrt.Fixed(s.G+1))
	return g
}

// eval computes the head in pure Go on n rows of x: the n×outputs() output, and for a tree
// classifier the label (class index) of each row.
func (h *head) eval(x []float32, n int) ([]float32, []int64, error) {
	if len(h.Post) > 0 {
		pre := *h
		pre.Post = nil
		out, _, err := pre.eval(x, n)
		if err != nil {
			return nil, nil, err
		}
		out, err = onnxrt.MLPForward(h.Post, out, n)
		return out, nil, err
	}
	switch h.Kind {
	case headTrees:
		if h.Classifier {
			labels, scores, err := h.Trees.Classify(x, n)
			return scores, labels, err
		}
		out, err := h.Trees.Predict(x, n)
		return out, nil, err
	case headDense:
		z := standardize(x, h.Dense.Mean, h.Dense.Scale)
		out, err := onnxrt.MLPForward(h.Dense.Layers, z, n)
		return out, nil, err
	case headScore:
		out, err := h.Score.eval(x, n)
		return out, nil, err
	case headSignature:
		sev, err := onnxrt.MLPForward([]onnxrt.Dense{*h.Severity}, x, n)
		if err != nil {
			return nil, nil, err
		}
		val := sev
		if h.Value != nil {
			if val, err = onnxrt.MLPForward([]onnxrt.Dense{*h.Value}, x, n); err != nil {
				return nil, nil, err
			}
		}
		M := h.Severity.Out
		out := make([]float32, n)
		for r := range out {
			s := sev[r*M : (r+1)*M]
			best := 0
			for k := range s {
				// float32 products, as ONNX Runtime's Mul; ArgMax keeps the first maximum.
				if float32(s[k]*h.Norm[k]) > float32(s[best]*h.Norm[best]) {
					best = k
				}
			}
			out[r] = val[r*M+best]
		}
		return out, nil, nil
	}
	return nil, nil, fmt.Errorf("unknown head kind %q", h.Kind)
}

// standardize computes (x − mean) · scale per column with float32 rounding after each step,
// exactly as ONNX Runtime's Sub and Mul nodes do.
func standardize(x, mean, scale []float32) []float32 {
	f := len(mean)
	z := make([]float32, len(x))
	for i, v := range x {
		j := i % f
		d := float32(v - mean[j])
		z[i] = float32(d * scale[j])
	}
	return z
}

func (s *scoreHead) eval(x []float32, n int) ([]float32, error) {
	f := len(s.Mean)
	z := standardize(x, s.Mean, s.Scale)
	for i, v := range z {
		z[i] = min(max(v, -s.Clip), s.Clip)
	}
	r := z
	if len(s.Layers) > 0 {
		rec, err := onnxrt.MLPForward(s.Layers, z, n)
		if err != nil {
			return nil, err
		}
		r = make([]float32, len(z))
		for i := range z {
			r[i] = float32(z[i] - rec[i])
		}
	}
	sq := make([]float32, len(r))
	for i, v := range r {
		sq[i] = float32(v * v)
	}
	grp, err := onnxrt.MLPForward([]onnxrt.Dense{{In: f, Out: s.G, W: s.Groups}}, sq, n)
	if err != nil {
		return nil, err
	}
	out := make([]float32, n*(s.G+1))
	for row := 0; row < n; row++ {
		var tot float32
		g := grp[row*s.G : (row+1)*s.G]
		for _, v := range g {
			tot += v
		}
		o := out[row*(s.G+1) : (row+1)*(s.G+1)]
		o[0] = float32(math.Sqrt(float64(tot)))
		copy(o[1:], g)
	}
	return out, nil
}
