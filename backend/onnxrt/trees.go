package onnxrt

import (
	"fmt"
	"math"

	"pdmstudio/backend/onnxrt/onnxpb"
)

// TreeNode is one node of a binary decision tree. A branch sends a row to True when
// x[Feature] <= Threshold (ONNX mode BRANCH_LEQ), otherwise to False; a NaN feature goes to
// True only when MissingTrue is set. A leaf carries one value per target (regressor) or per
// class (classifier).
type TreeNode struct {
	Leaf        bool
	Feature     int
	Threshold   float32
	True, False int // indices into Tree.Nodes
	MissingTrue bool
	Values      []float32 // leaf only
}

// Tree is a binary decision tree whose root is Nodes[0].
type Tree struct {
	Nodes []TreeNode
}

// Post-transforms applied to the aggregated scores of a [TreeEnsemble].
const (
	PostNone     = "NONE"
	PostSoftmax  = "SOFTMAX"
	PostLogistic = "LOGISTIC"
)

// Aggregation of tree outputs in a regressor [TreeEnsemble].
const (
	AggregateSum     = "SUM"
	AggregateAverage = "AVERAGE"
)

// TreeEnsemble is a forest of decision trees as written by ONNX-ML's TreeEnsembleRegressor
// and TreeEnsembleClassifier (opset 3), e.g. a random forest or gradient-boosted trees.
//
// Scores: score[k] = agg_t(leaf_t.Values[k]) + BaseValues[k], where agg is the sum over
// trees, or for a regressor with AggregateAverage the mean; then PostTransform.
type TreeEnsemble struct {
	Trees     []Tree
	NFeatures int
	// NOutputs is the number of regression targets or of classes; every leaf has this many Values.
	NOutputs int
	// Aggregate is AggregateSum (default) or AggregateAverage; regressors only.
	Aggregate string
	// BaseValues are added per output after aggregation; nil means zeros.
	BaseValues []float32
	// PostTransform is PostNone (default), PostSoftmax or PostLogistic.
	PostTransform string
	// ClassLabels names the classes of a classifier (len NOutputs); nil means 0..NOutputs-1.
	ClassLabels []int64
}

func (te *TreeEnsemble) normalized() TreeEnsemble {
	c := *te
	if c.Aggregate == "" {
		c.Aggregate = AggregateSum
	}
	if c.PostTransform == "" {
		c.PostTransform = PostNone
	}
	return c
}

// Validate checks the ensemble: sizes, indices, leaves, and that each tree is a tree (every
// node but the root reached exactly once).
func (te TreeEnsemble) Validate() error {
	c := te.normalized()
	if len(c.Trees) == 0 {
		return fmt.Errorf("tree ensemble: no trees")
	}
	if c.NFeatures <= 0 || c.NOutputs <= 0 {
		return fmt.Errorf("tree ensemble: NFeatures %d and NOutputs %d must be positive", c.NFeatures, c.NOutputs)
	}
	if c.Aggregate != AggregateSum && c.Aggregate != AggregateAverage {
		return fmt.Errorf("tree ensemble: unknown aggregate %q", c.Aggregate)
	}
	switch c.PostTransform {
	case PostNone, PostSoftmax, PostLogistic:
	default:
		return fmt.Errorf("tree ensemble: unknown post-transform %q", c.PostTransform)
	}
	if c.BaseValues != nil && len(c.BaseValues) != c.NOutputs {
		return fmt.Errorf("tree ensemble: %d base values for %d outputs", len(c.BaseValues), c.NOutputs)
	}
	if c.ClassLabels != nil && len(c.ClassLabels) != c.NOutputs {
		return fmt.Errorf("tree ensemble: %d class labels for %d classes", len(c.ClassLabels), c.NOutputs)
	}
	for ti, t := range c.Trees {
		if len(t.Nodes) == 0 {
			return fmt.Errorf("tree %d: no nodes", ti)
		}
		reached := make([]int, len(t.Nodes))
		for ni, n := range t.Nodes {
			if n.Leaf {
				if len(n.Values) != c.NOutputs {
					return fmt.Errorf("tree %d node %d: leaf has %d values, want %d", ti, ni, len(n.Values), c.NOutputs)
				}
				continue
			}
			if n.Feature < 0 || n.Feature >= c.NFeatures {
				return fmt.Errorf("tree %d node %d: feature %d out of range 0..%d", ti, ni, n.Feature, c.NFeatures-1)
			}
			if math.IsNaN(float64(n.Threshold)) {
				return fmt.Errorf("tree %d node %d: threshold is NaN", ti, ni)
			}
			for _, ch := range []int{n.True, n.False} {
				if ch <= 0 || ch >= len(t.Nodes) {
					return fmt.Errorf("tree %d node %d: child %d out of range 1..%d", ti, ni, ch, len(t.Nodes)-1)
				}
				reached[ch]++
			}
		}
		for ni := 1; ni < len(t.Nodes); ni++ {
			if reached[ni] != 1 {
				return fmt.Errorf("tree %d node %d: reached from %d branches, want exactly 1", ti, ni, reached[ni])
			}
		}
		// Every node reached once could still hide a cycle cut off from the root.
		seen, stack := 0, []int{0}
		for len(stack) > 0 {
			n := t.Nodes[stack[len(stack)-1]]
			stack = stack[:len(stack)-1]
			seen++
			if !n.Leaf {
				stack = append(stack, n.True, n.False)
			}
		}
		if seen != len(t.Nodes) {
			return fmt.Errorf("tree %d: %d of %d nodes cannot be reached from the root", ti, len(t.Nodes)-seen, len(t.Nodes))
		}
	}
	return nil
}

// treeAttrs returns the nodes_* attributes shared by both operators, and the leaves as
// (tree id, node id, output id, weight) lists.
func (te TreeEnsemble) treeAttrs() (nodes []*onnxpb.AttributeProto, leafTree, leafNode, leafOut []int64, leafW []float32) {
	var treeIDs, nodeIDs, feats, trues, falses, missing []int64
	var modes []string
	var values []float32
	for ti, t := range te.Trees {
		for ni, n := range t.Nodes {
			treeIDs = append(treeIDs, int64(ti))
			nodeIDs = append(nodeIDs, int64(ni))
			if n.Leaf {
				modes = append(modes, "LEAF")
				feats = append(feats, 0)
				values = append(values, 0)
				trues = append(trues, 0)
				falses = append(falses, 0)
				missing = append(missing, 0)
				for k, v := range n.Values {
					leafTree = append(leafTree, int64(ti))
					leafNode = append(leafNode, int64(ni))
					leafOut = append(leafOut, int64(k))
					leafW = append(leafW, v)
				}
				continue
			}
			modes = append(modes, "BRANCH_LEQ")
			feats = append(feats, int64(n.Feature))
			values = append(values, n.Threshold)
			trues = append(trues, int64(n.True))
			falses = append(falses, int64(n.False))
			m := int64(0)
			if n.MissingTrue {
				m = 1
			}
			missing = append(missing, m)
		}
	}
	nodes = []*onnxpb.AttributeProto{
		AttrInts("nodes_treeids", treeIDs),
		AttrInts("nodes_nodeids", nodeIDs),
		AttrInts("nodes_featureids", feats),
		AttrStrings("nodes_modes", modes),
		AttrFloats("nodes_values", values),
		AttrInts("nodes_truenodeids", trues),
		AttrInts("nodes_falsenodeids", falses),
		AttrInts("nodes_missing_value_tracks_true", missing),
	}
	return nodes, leafTree, leafNode, leafOut, leafW
}

// AddTreeEnsembleRegressor appends an ai.onnx.ml TreeEnsembleRegressor reading input, a
// [batch, NFeatures] float tensor, and returns the name of its [batch, NOutputs] output.
func (g *Graph) AddTreeEnsembleRegressor(input string, te TreeEnsemble) string {
	if err := te.Validate(); err != nil {
		g.fail(err)
		return input
	}
	c := te.normalized()
	attrs, lt, ln, lo, lw := c.treeAttrs()
	attrs = append(attrs,
		AttrInts("target_treeids", lt),
		AttrInts("target_nodeids", ln),
		AttrInts("target_ids", lo),
		AttrFloats("target_weights", lw),
		AttrInt("n_targets", int64(c.NOutputs)),
		AttrString("aggregate_function", c.Aggregate),
		// ONNX Runtime ignores LOGISTIC and SOFTMAX for a single target, so the
		// post-transform is written as a separate standard node below.
		AttrString("post_transform", PostNone),
	)
	if c.BaseValues != nil {
		attrs = append(attrs, AttrFloats("base_values", c.BaseValues))
	}
	out := g.UniqueName("trees")
	g.AddMLNode("TreeEnsembleRegressor", []string{input}, []string{out}, attrs...)
	switch c.PostTransform {
	case PostLogistic:
		y := g.UniqueName("logistic")
		g.AddNode("Sigmoid", []string{out}, []string{y})
		return y
	case PostSoftmax:
		y := g.UniqueName("softmax")
		g.AddNode("Softmax", []string{out}, []string{y}, AttrInt("axis", -1))
		return y
	}
	return out
}

// AddTreeEnsembleClassifier appends an ai.onnx.ml TreeEnsembleClassifier reading input, a
// [batch, NFeatures] float tensor, and returns the names of its outputs: the predicted
// label ([batch] int64) and the class scores ([batch, NOutputs] float, after PostTransform).
// Aggregate must be AggregateSum (the operator always sums). The label is the class with the
// highest score, the first on ties, as [TreeEnsemble.Classify] computes it.
func (g *Graph) AddTreeEnsembleClassifier(input string, te TreeEnsemble) (label, scores string) {
	if err := te.Validate(); err != nil {
		g.fail(err)
		return input, input
	}
	c := te.normalized()
	if c.Aggregate != AggregateSum {
		g.fail(fmt.Errorf("tree ensemble classifier: aggregate must be %s", AggregateSum))
		return input, input
	}
	if c.NOutputs < 2 {
		g.fail(fmt.Errorf("tree ensemble classifier: needs at least 2 classes, has %d", c.NOutputs))
		return input, input
	}
	if c.BaseValues != nil {
		// ONNX Runtime treats base_values of a two-class ensemble as a binary margin, not
		// as per-class offsets. Every row reaches exactly one leaf of the first tree, so
		// adding the base values to that tree's leaves computes the same sum, for any
		// number of classes, without the attribute.
		c.Trees = append([]Tree(nil), c.Trees...)
		first := Tree{Nodes: append([]TreeNode(nil), c.Trees[0].Nodes...)}
		for i := range first.Nodes {
			if first.Nodes[i].Leaf {
				v := append([]float32(nil), first.Nodes[i].Values...)
				for k := range v {
					v[k] += c.BaseValues[k]
				}
				first.Nodes[i].Values = v
			}
		}
		c.Trees[0] = first
		c.BaseValues = nil
	}
	// Every leaf carries a weight for every class, so ONNX Runtime never takes its
	// one-weight "binary" path.
	attrs, lt, ln, lo, lw := c.treeAttrs()
	attrs = append(attrs,
		AttrInts("class_treeids", lt),
		AttrInts("class_nodeids", ln),
		AttrInts("class_ids", lo),
		AttrFloats("class_weights", lw),
		AttrInts("classlabels_int64s", c.labels()),
		AttrString("post_transform", c.PostTransform),
	)
	label = g.UniqueName("label")
	scores = g.UniqueName("scores")
	g.AddMLNode("TreeEnsembleClassifier", []string{input}, []string{label, scores}, attrs...)
	if c.NOutputs == 2 {
		// With two classes ONNX Runtime's label is "class 1 when its raw score > 0" (a
		// margin rule), not the highest score. Derive the label from the scores instead,
		// as for more classes: ArgMax (first on ties), then look the label up.
		idx := g.UniqueName("argmax")
		g.AddNode("ArgMax", []string{scores}, []string{idx}, AttrInt("axis", 1), AttrInt("keepdims", 0))
		labels := g.AddInt64Initializer(g.UniqueName("class_labels"), []int64{2}, c.labels())
		label = g.UniqueName("label")
		g.AddNode("Gather", []string{labels, idx}, []string{label}, AttrInt("axis", 0))
	}
	return label, scores
}

func (te TreeEnsemble) labels() []int64 {
	if te.ClassLabels != nil {
		return te.ClassLabels
	}
	l := make([]int64, te.NOutputs)
	for i := range l {
		l[i] = int64(i)
	}
	return l
}

// RegressorGraph builds a model with float input [batch, NFeatures] named input and float
// output [batch, NOutputs] named output.
func (te TreeEnsemble) RegressorGraph(input, output string) (*Graph, error) {
	g := NewGraph("tree_ensemble_regressor")
	x := g.AddInput(input, Float32, Symbolic(BatchDim), Fixed(te.NFeatures))
	y := g.AddTreeEnsembleRegressor(x, te)
	g.AddNode("Identity", []string{y}, []string{output})
	g.AddOutput(output, Float32, Symbolic(BatchDim), Fixed(te.NOutputs))
	return g, g.Err()
}

// ClassifierGraph builds a model with float input [batch, NFeatures] named input and two
// outputs: label ([batch] int64) and scores ([batch, NOutputs] float).
func (te TreeEnsemble) ClassifierGraph(input, label, scores string) (*Graph, error) {
	g := NewGraph("tree_ensemble_classifier")
	x := g.AddInput(input, Float32, Symbolic(BatchDim), Fixed(te.NFeatures))
	l, s := g.AddTreeEnsembleClassifier(x, te)
	g.AddNode("Identity", []string{l}, []string{label})
	g.AddNode("Identity", []string{s}, []string{scores})
	g.AddOutput(label, Int64, Symbolic(BatchDim))
	g.AddOutput(scores, Float32, Symbolic(BatchDim), Fixed(te.NOutputs))
	return g, g.Err()
}

// Predict evaluates the ensemble in pure Go on rows×NFeatures inputs (row-major) and returns
// rows×NOutputs scores, computed as the ONNX operators do.
//
// It checks the parameters it needs as it goes (a full [TreeEnsemble.Validate] would cost
// more than evaluating one row), so a malformed tree gives an error, never a panic or a loop.
func (te TreeEnsemble) Predict(x []float32, rows int) ([]float32, error) {
	c := te.normalized()
	if len(c.Trees) == 0 || c.NFeatures <= 0 || c.NOutputs <= 0 {
		return nil, fmt.Errorf("tree ensemble: needs trees, NFeatures and NOutputs (%d, %d, %d)", len(c.Trees), c.NFeatures, c.NOutputs)
	}
	if c.BaseValues != nil && len(c.BaseValues) != c.NOutputs {
		return nil, fmt.Errorf("tree ensemble: %d base values for %d outputs", len(c.BaseValues), c.NOutputs)
	}
	switch {
	case c.Aggregate != AggregateSum && c.Aggregate != AggregateAverage:
		return nil, fmt.Errorf("tree ensemble: unknown aggregate %q", c.Aggregate)
	case c.PostTransform != PostNone && c.PostTransform != PostSoftmax && c.PostTransform != PostLogistic:
		return nil, fmt.Errorf("tree ensemble: unknown post-transform %q", c.PostTransform)
	}
	if len(x) != rows*c.NFeatures {
		return nil, fmt.Errorf("tree ensemble: %d inputs for %d rows of %d features", len(x), rows, c.NFeatures)
	}
	out := make([]float32, rows*c.NOutputs)
	acc := make([]float64, c.NOutputs)
	for r := 0; r < rows; r++ {
		row := x[r*c.NFeatures : (r+1)*c.NFeatures]
		for k := range acc {
			acc[k] = 0
		}
		for ti, t := range c.Trees {
			leaf, err := t.leaf(row)
			if err != nil {
				return nil, fmt.Errorf("tree %d: %w", ti, err)
			}
			if len(leaf.Values) != c.NOutputs {
				return nil, fmt.Errorf("tree %d: a leaf has %d values, want %d", ti, len(leaf.Values), c.NOutputs)
			}
			for k, v := range leaf.Values {
				acc[k] += float64(v)
			}
		}
		for k := range acc {
			if c.Aggregate == AggregateAverage {
				acc[k] /= float64(len(c.Trees))
			}
			if c.BaseValues != nil {
				acc[k] += float64(c.BaseValues[k])
			}
		}
		switch c.PostTransform {
		case PostSoftmax:
			softmax64(acc)
		case PostLogistic:
			for k, v := range acc {
				acc[k] = 1 / (1 + math.Exp(-v))
			}
		}
		for k, v := range acc {
			out[r*c.NOutputs+k] = float32(v)
		}
	}
	return out, nil
}

// Classify evaluates a classifier ensemble in pure Go: the label of the highest score per
// row (the first on ties) and the rows×NOutputs scores.
func (te TreeEnsemble) Classify(x []float32, rows int) ([]int64, []float32, error) {
	scores, err := te.Predict(x, rows)
	if err != nil {
		return nil, nil, err
	}
	labels := te.labels()
	out := make([]int64, rows)
	for r := 0; r < rows; r++ {
		s := scores[r*te.NOutputs : (r+1)*te.NOutputs]
		best := 0
		for k := range s {
			if s[k] > s[best] {
				best = k
			}
		}
		out[r] = labels[best]
	}
	return out, scores, nil
}

// leaf walks the tree for one row, checking indices; more steps than nodes means a cycle.
func (t Tree) leaf(row []float32) (*TreeNode, error) {
	if len(t.Nodes) == 0 {
		return nil, fmt.Errorf("no nodes")
	}
	n := &t.Nodes[0]
	for steps := 0; !n.Leaf; steps++ {
		if steps >= len(t.Nodes) {
			return nil, fmt.Errorf("the branches form a cycle")
		}
		if n.Feature < 0 || n.Feature >= len(row) {
			return nil, fmt.Errorf("feature %d out of range", n.Feature)
		}
		v := row[n.Feature]
		next := n.False
		if v <= n.Threshold || (n.MissingTrue && math.IsNaN(float64(v))) {
			next = n.True
		}
		if next <= 0 || next >= len(t.Nodes) {
			return nil, fmt.Errorf("child %d out of range", next)
		}
		n = &t.Nodes[next]
	}
	return n, nil
}
