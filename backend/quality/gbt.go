package quality

import (
	"math"
	"slices"

	"pdmstudio/backend/nn"
)

// gbtParams are the settings of the gradient-boosted trees classifier.
type gbtParams struct {
	rounds  int     // boosting rounds (one tree per class per round)
	depth   int     // tree depth
	lr      float64 // shrinkage
	lambda  float64 // L2 on leaf values
	minLeaf int     // rows per leaf at least
	bins    int     // histogram bins per feature (bin 0 is "missing")
}

var defaultGBT = gbtParams{rounds: 100, depth: 4, lr: 0.1, lambda: 1, minLeaf: 20, bins: 64}

// gbt is a multiclass gradient-boosted trees classifier on histogram-binned features
// (second-order boosting of the softmax cross-entropy, like LightGBM or XGBoost's "hist",
// without sampling, so it is deterministic).
type gbt struct {
	classes int
	edges   [][]float64 // per feature, ascending thresholds: bin = 1 + #edges < v
	trees   [][]tree    // [round][class]
	base    []float64   // initial score per class (log prior)
}

type treeNode struct {
	feature     int
	bin         uint8 // rows with bin ≤ this go left
	left, right int32 // children (0: leaf)
	value       float64
}

type tree []treeNode

// binFeatures returns the bin of every value: x is feature-major (x[f][i]), NaN missing.
func binFeatures(x [][]float64, edges [][]float64) [][]uint8 {
	out := make([][]uint8, len(x))
	for f, col := range x {
		b := make([]uint8, len(col))
		e := edges[f]
		for i, v := range col {
			if math.IsNaN(v) {
				continue
			}
			k, _ := slices.BinarySearch(e, v)
			// BinarySearch gives the first edge ≥ v; values equal to an edge go left.
			b[i] = uint8(1 + k)
		}
		out[f] = b
	}
	return out
}

// fitGBT trains on x (feature-major, n rows) with labels y in [0, classes).
func fitGBT(x [][]float64, y []int, classes int, p gbtParams) *gbt {
	n := len(y)
	g := &gbt{classes: classes, edges: make([][]float64, len(x)), base: make([]float64, classes)}
	for f, col := range x {
		g.edges[f] = binEdges(col, p.bins-2)
	}
	bins := binFeatures(x, g.edges)
	counts := make([]float64, classes)
	for _, c := range y {
		counts[c]++
	}
	for c := range classes {
		g.base[c] = math.Log((counts[c] + 1) / (float64(n) + float64(classes)))
	}
	score := make([]float64, n*classes)
	for i := range n {
		copy(score[i*classes:], g.base)
	}
	prob := make([]float64, n*classes)
	for range p.rounds {
		softmaxRows(score, prob, classes)
		round := make([]tree, classes)
		nn.Parallel(classes, 0, func(c int) {
			grad, hess := make([]float64, n), make([]float64, n)
			for i := range n {
				pk := prob[i*classes+c]
				t := 0.0
				if y[i] == c {
					t = 1
				}
				grad[i] = pk - t
				hess[i] = max(pk*(1-pk), 1e-6)
			}
			round[c] = growTree(bins, grad, hess, p)
		})
		for c, t := range round {
			for i := range n {
				score[i*classes+c] += t.predictBins(bins, i)
			}
		}
		g.trees = append(g.trees, round)
	}
	return g
}

func softmaxRows(score, prob []float64, k int) {
	for i := 0; i < len(score); i += k {
		s, p := score[i:i+k], prob[i:i+k]
		mx := slices.Max(s)
		sum := 0.0
		for j, v := range s {
			p[j] = math.Exp(v - mx)
			sum += p[j]
		}
		for j := range p {
			p[j] /= sum
		}
	}
}

// binEdges returns at most maxEdges ascending thresholds splitting the non-NaN values of col
// into groups of about equal size (midpoints between distinct values when there are few).
func binEdges(col []float64, maxEdges int) []float64 {
	v := sortedNonNaN(col)
	if len(v) == 0 {
		return nil
	}
	var uniq []float64
	for i, x := range v {
		if i == 0 || x != v[i-1] {
			uniq = append(uniq, x)
		}
	}
	var edges []float64
	if len(uniq) <= maxEdges+1 {
		for i := 1; i < len(uniq); i++ {
			edges = append(edges, (uniq[i-1]+uniq[i])/2)
		}
		return edges
	}
	for k := 1; k <= maxEdges; k++ {
		q := v[k*len(v)/(maxEdges+1)]
		if len(edges) == 0 || q > edges[len(edges)-1] {
			edges = append(edges, q)
		}
	}
	return edges
}

// growTree grows one regression tree on the gradients, depth-wise, with histogram splits.
func growTree(bins [][]uint8, grad, hess []float64, p gbtParams) tree {
	nf := len(bins)
	rows := make([]int32, len(grad))
	for i := range rows {
		rows[i] = int32(i)
	}
	t := tree{{}}
	type open struct {
		node int
		rows []int32
	}
	level := []open{{0, rows}}
	hg, hh := make([]float64, p.bins), make([]float64, p.bins)
	hc := make([]int, p.bins)
	leaf := func(node int, rows []int32) {
		var G, H float64
		for _, r := range rows {
			G += grad[r]
			H += hess[r]
		}
		t[node].value = -G / (H + p.lambda) * p.lr
	}
	for depth := 0; depth < p.depth && len(level) > 0; depth++ {
		var next []open
		for _, o := range level {
			if len(o.rows) < 2*p.minLeaf {
				leaf(o.node, o.rows)
				continue
			}
			var G, H float64
			for _, r := range o.rows {
				G += grad[r]
				H += hess[r]
			}
			parent := G * G / (H + p.lambda)
			bestGain, bestF, bestBin := 1e-9, -1, 0
			for f := range nf {
				clear(hg)
				clear(hh)
				clear(hc)
				b := bins[f]
				for _, r := range o.rows {
					k := b[r]
					hg[k] += grad[r]
					hh[k] += hess[r]
					hc[k]++
				}
				var gl, hl float64
				cl := 0
				for k := 0; k < p.bins-1; k++ {
					gl += hg[k]
					hl += hh[k]
					cl += hc[k]
					if cl < p.minLeaf {
						continue
					}
					if len(o.rows)-cl < p.minLeaf {
						break
					}
					gr, hr := G-gl, H-hl
					gain := gl*gl/(hl+p.lambda) + gr*gr/(hr+p.lambda) - parent
					if gain > bestGain {
						bestGain, bestF, bestBin = gain, f, k
					}
				}
			}
			if bestF < 0 {
				leaf(o.node, o.rows)
				continue
			}
			var left, right []int32
			b := bins[bestF]
			for _, r := range o.rows {
				if int(b[r]) <= bestBin {
					left = append(left, r)
				} else {
					right = append(right, r)
				}
			}
			l, r := len(t), len(t)+1
			t = append(t, treeNode{}, treeNode{})
			t[o.node].feature, t[o.node].bin = bestF, uint8(bestBin)
			t[o.node].left, t[o.node].right = int32(l), int32(r)
			next = append(next, open{l, left}, open{r, right})
		}
		level = next
	}
	for _, o := range level {
		leaf(o.node, o.rows)
	}
	return t
}

func (t tree) predictBins(bins [][]uint8, i int) float64 {
	n := 0
	for t[n].left != 0 {
		if bins[t[n].feature][i] <= t[n].bin {
			n = int(t[n].left)
		} else {
			n = int(t[n].right)
		}
	}
	return t[n].value
}

// predictProba returns the class probabilities of every row of x (feature-major), row-major
// n×classes.
func (g *gbt) predictProba(x [][]float64) []float64 {
	bins := binFeatures(x, g.edges)
	n := 0
	if len(x) > 0 {
		n = len(x[0])
	}
	score := make([]float64, n*g.classes)
	for i := range n {
		s := score[i*g.classes : (i+1)*g.classes]
		copy(s, g.base)
		for _, round := range g.trees {
			for c, t := range round {
				s[c] += t.predictBins(bins, i)
			}
		}
	}
	prob := make([]float64, len(score))
	softmaxRows(score, prob, g.classes)
	return prob
}
