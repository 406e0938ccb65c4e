package quality

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/optimize"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
	"pdmstudio/backend/tvae"
)

// TSTR is the train-on-synthetic, test-on-real check. Ratios are F1 synthetic-trained over F1
// real-trained; a class the real-trained classifier never gets right has no ratio.
type TSTR struct {
	Target     string   `json:"target"`
	Classifier string   `json:"classifier"`
	Features   []string `json:"features"`
	// Rows: real training rows per fold, synthetic training rows, real rows tested (all
	// of them, out of fold), and the number of folds.
	Folds              int       `json:"folds"`
	TrainRealRows      int       `json:"train_real_rows"`
	TrainSyntheticRows int       `json:"train_synthetic_rows"`
	TestRows           int       `json:"test_rows"`
	Classes            []ClassF1 `json:"classes"`
	MacroF1Real        float64   `json:"macro_f1_real"`
	MacroF1Synthetic   float64   `json:"macro_f1_synthetic"`
	// MacroRatio is MacroF1Synthetic / MacroF1Real; MinRatio the smallest per-class ratio.
	MacroRatio float64 `json:"macro_ratio"`
	MinRatio   float64 `json:"min_ratio"`
}

// ClassF1 is one class of the TSTR target.
type ClassF1 struct {
	Class       string   `json:"class"`
	Support     int      `json:"support"` // test rows of this class
	F1Real      float64  `json:"f1_real"`
	F1Synthetic float64  `json:"f1_synthetic"`
	Ratio       *float64 `json:"ratio"`
	// Precision and recall of the synthetic-trained classifier, to tell whether it misses
	// the class or over-predicts it.
	PrecisionSynthetic float64 `json:"precision_synthetic"`
	RecallSynthetic    float64 `json:"recall_synthetic"`
}

// Detection is the real-versus-synthetic classification check (ROC AUC 0.5: cannot tell).
type Detection struct {
	Method string `json:"method"`
	// ROCAUC is the mean over the folds of the logistic detector's ROC AUC; Score is
	// SDMetrics' LogisticDetection score, 1 − mean(max(AUC, 0.5)·2 − 1).
	ROCAUC float64 `json:"roc_auc"`
	Score  float64 `json:"score"`
	Folds  int     `json:"folds"`
	// TreesROCAUC is the same check with the gradient-boosted trees classifier, which also
	// sees non-linear differences (stricter).
	TreesROCAUC float64 `json:"trees_roc_auc"`
	RealRows    int     `json:"real_rows"`
	Synthetic   int     `json:"synthetic_rows"`
}

// tstrFolds is the number of cross-validation folds of the real rows in TSTR.
const tstrFolds = 3

const classifierName = "gradient-boosted trees (100 rounds × depth 4, learning rate 0.1, 64 bins)"

// defaultFeature says whether a column is a TSTR feature by default: not the target and not a
// time axis, id or label (those leak the target or are row bookkeeping).
func defaultFeature(c *datasets.Column, target string) bool {
	if c.Name == target {
		return false
	}
	switch c.Meta.Role {
	case datasets.RoleTime, datasets.RoleID, datasets.RoleLabel:
		return false
	}
	return true
}

// subsample returns up to n row indexes of a table with rows rows (all, in order, when it has
// no more than n), chosen by rng and sorted.
func subsample(rows, n int, rng *nn.RNG) []int {
	idx := make([]int, rows)
	for i := range idx {
		idx[i] = i
	}
	if rows <= n {
		return idx
	}
	rng.Shuffle(idx)
	idx = idx[:n]
	slices.Sort(idx)
	return idx
}

// featureMatrix encodes columns of the given rows feature-major: numbers as is (NaN for null),
// categories as their index in cats[f] (NaN for null or unknown).
func featureMatrix(cols []pairCols, useSyn bool, rows []int, cats []map[string]int) [][]float64 {
	x := make([][]float64, len(cols))
	for f, c := range cols {
		col := c.real
		if useSyn {
			col = c.syn
		}
		v := make([]float64, len(rows))
		for o, i := range rows {
			switch {
			case col.IsNull(i):
				v[o] = math.NaN()
			case cats[f] != nil:
				if k, ok := cats[f][tvae.CategoryText(col, i)]; ok {
					v[o] = float64(k)
				} else {
					v[o] = math.NaN()
				}
			case col.Type == datasets.Timestamp:
				v[o] = float64(col.Times[i])
			default:
				n, ok := col.Number(i)
				if !ok || math.IsInf(n, 0) {
					n = math.NaN()
				}
				v[o] = n
			}
		}
		x[f] = v
	}
	return x
}

// categoryIndex maps the categories of discrete columns (both tables, sorted) to indexes; nil
// for numeric columns.
func categoryIndex(cols []pairCols) []map[string]int {
	out := make([]map[string]int, len(cols))
	for f, c := range cols {
		if c.kind != KindDiscrete {
			continue
		}
		set := map[string]bool{}
		for _, col := range []*datasets.Column{c.real, c.syn} {
			for i := range col.Len() {
				if !col.IsNull(i) {
					set[tvae.CategoryText(col, i)] = true
				}
			}
		}
		keys := make([]string, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out[f] = make(map[string]int, len(keys))
		for i, k := range keys {
			out[f][k] = i
		}
	}
	return out
}

func tstr(ctx context.Context, real, syn *datasets.Table, all []pairCols, target string, features []string,
	maxRows int, seed uint64) (*TSTR, error) {
	var tcol *pairCols
	for i := range all {
		if all[i].name == target {
			tcol = &all[i]
		}
	}
	if tcol == nil {
		return nil, apperr.BadInput(fmt.Sprintf("TSTR target %q is not a column of both tables", target),
			apperr.FieldError{Field: "target", Message: "unknown column"})
	}
	if tcol.kind != KindDiscrete {
		return nil, apperr.BadInput(fmt.Sprintf("TSTR target %q is numeric; it needs a discrete column", target),
			apperr.FieldError{Field: "target", Message: "not discrete"})
	}
	var cols []pairCols
	for _, c := range all {
		if (features == nil && defaultFeature(c.real, target)) || (features != nil && slices.Contains(features, c.name) && c.name != target) {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return nil, apperr.BadInput("TSTR has no feature column", apperr.FieldError{Field: "features", Message: "no usable column"})
	}
	// Classes: the target's categories in the real table.
	var classes []string
	classOf := map[string]int{}
	for i := range tcol.real.Len() {
		if !tcol.real.IsNull(i) {
			k := tvae.CategoryText(tcol.real, i)
			if _, ok := classOf[k]; !ok {
				classOf[k] = -1
				classes = append(classes, k)
			}
		}
	}
	sortClasses(tcol.real.Type, classes)
	for i, k := range classes {
		classOf[k] = i
	}
	if len(classes) < 2 {
		return nil, apperr.BadInput(fmt.Sprintf("TSTR target %q has fewer than 2 classes in the real table", target),
			apperr.FieldError{Field: "target", Message: "one class"})
	}
	labels := func(col *datasets.Column, rows []int) ([]int, []int) {
		var keep, y []int
		for _, i := range rows {
			if col.IsNull(i) {
				continue
			}
			if c, ok := classOf[tvae.CategoryText(col, i)]; ok {
				keep, y = append(keep, i), append(y, c)
			}
		}
		return keep, y
	}
	rng := nn.NewRNG(nn.DeriveSeed(seed, 11))
	realRows, yReal := labels(tcol.real, subsample(real.NumRows(), maxRows, rng))
	synRows, ySyn := labels(tcol.syn, subsample(syn.NumRows(), maxRows, rng))
	if len(synRows) == 0 {
		return nil, apperr.BadInputf("the synthetic table has no row with a %s seen in the real table", target)
	}
	// Stratified folds of the real rows: each real row is predicted once by a classifier
	// trained on the other folds, and once by the classifier trained on the synthetic rows;
	// the F1 scores are over all real rows (out-of-fold), which is steadier than one split.
	fold := make([]int, len(yReal))
	for c := range classes {
		var members []int
		for k, y := range yReal {
			if y == c {
				members = append(members, k)
			}
		}
		rng.Shuffle(members)
		for i, k := range members {
			fold[k] = i % tstrFolds
		}
	}
	cats := categoryIndex(cols)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	xAll := featureMatrix(cols, false, realRows, cats)
	predReal, predSyn := make([]int, len(yReal)), make([]int, len(yReal))
	trainRows := 0
	nn.Parallel(tstrFolds+1, 0, func(job int) {
		if ctx.Err() != nil {
			return
		}
		if job == tstrFolds {
			g := fitGBT(featureMatrix(cols, true, synRows, cats), ySyn, len(classes), defaultGBT)
			copy(predSyn, argmaxRows(g.predictProba(xAll), len(classes)))
			return
		}
		var tr, te []int
		for k, f := range fold {
			if f == job {
				te = append(te, k)
			} else {
				tr = append(tr, k)
			}
		}
		if job == 0 {
			trainRows = len(tr)
		}
		g := fitGBT(selectRows(xAll, tr), selectInts(yReal, tr), len(classes), defaultGBT)
		for o, k := range argmaxRows(g.predictProba(selectRows(xAll, te)), len(classes)) {
			predReal[te[o]] = k
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	yTe := yReal
	f1Real := f1Scores(yTe, predReal, len(classes))
	f1Syn := f1Scores(yTe, predSyn, len(classes))
	prec, rec := precisionRecall(yTe, predSyn, len(classes))
	t := &TSTR{Target: target, Classifier: classifierName, TrainRealRows: trainRows, TrainSyntheticRows: len(synRows),
		TestRows: len(yTe), Folds: tstrFolds, MinRatio: math.Inf(1)}
	for _, c := range cols {
		t.Features = append(t.Features, c.name)
	}
	support := make([]int, len(classes))
	for _, y := range yTe {
		support[y]++
	}
	for c, name := range classes {
		row := ClassF1{Class: name, Support: support[c], F1Real: f1Real[c], F1Synthetic: f1Syn[c],
			PrecisionSynthetic: prec[c], RecallSynthetic: rec[c]}
		if f1Real[c] > 0 {
			r := f1Syn[c] / f1Real[c]
			row.Ratio = &r
			t.MinRatio = math.Min(t.MinRatio, r)
		}
		t.MacroF1Real += f1Real[c] / float64(len(classes))
		t.MacroF1Synthetic += f1Syn[c] / float64(len(classes))
		t.Classes = append(t.Classes, row)
	}
	if t.MacroF1Real > 0 {
		t.MacroRatio = t.MacroF1Synthetic / t.MacroF1Real
	}
	if math.IsInf(t.MinRatio, 1) {
		t.MinRatio = 0
	}
	return t, nil
}

func sortClasses(typ datasets.Type, cls []string) {
	numericType := typ == datasets.Int || typ == datasets.Float || typ == datasets.Timestamp
	sort.SliceStable(cls, func(i, j int) bool {
		if numericType {
			var a, b float64
			fmt.Sscan(cls[i], &a)
			fmt.Sscan(cls[j], &b)
			if a != b {
				return a < b
			}
		}
		return cls[i] < cls[j]
	})
}

func argmaxRows(p []float64, k int) []int {
	out := make([]int, len(p)/k)
	for i := range out {
		row := p[i*k : (i+1)*k]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = best
	}
	return out
}

// f1Scores returns the F1 score of every class (0 when the class is neither predicted nor
// present, or never predicted right).
func f1Scores(truth, pred []int, k int) []float64 {
	tp, fp, fn := make([]float64, k), make([]float64, k), make([]float64, k)
	for i, y := range truth {
		if pred[i] == y {
			tp[y]++
		} else {
			fp[pred[i]]++
			fn[y]++
		}
	}
	out := make([]float64, k)
	for c := range k {
		if d := 2*tp[c] + fp[c] + fn[c]; d > 0 {
			out[c] = 2 * tp[c] / d
		}
	}
	return out
}

// precisionRecall returns every class's precision and recall (0 when undefined).
func precisionRecall(truth, pred []int, k int) (prec, rec []float64) {
	tp, np, nt := make([]float64, k), make([]float64, k), make([]float64, k)
	for i, y := range truth {
		nt[y]++
		np[pred[i]]++
		if pred[i] == y {
			tp[y]++
		}
	}
	prec, rec = make([]float64, k), make([]float64, k)
	for c := range k {
		if np[c] > 0 {
			prec[c] = tp[c] / np[c]
		}
		if nt[c] > 0 {
			rec[c] = tp[c] / nt[c]
		}
	}
	return prec, rec
}

// detect runs the real-versus-synthetic check on up to maxRows rows of each table, over every
// shared column, in 3 stratified folds.
func detect(ctx context.Context, real, syn *datasets.Table, cols []pairCols, maxRows int, seed uint64) (*Detection, error) {
	const folds = 3
	rng := nn.NewRNG(nn.DeriveSeed(seed, 12))
	rRows := subsample(real.NumRows(), maxRows, rng)
	sRows := subsample(syn.NumRows(), maxRows, rng)
	// As SDMetrics' HyperTransformer prepares the data: only text columns are categorical
	// (one-hot); ints, bools (0/1), floats and timestamps are numbers.
	cats := categoryIndex(cols)
	for f, c := range cols {
		if c.real.Type != datasets.String {
			cats[f] = nil
		}
	}
	xr := featureMatrix(cols, false, rRows, cats)
	xs := featureMatrix(cols, true, sRows, cats)
	n := len(rRows) + len(sRows)
	x := make([][]float64, len(cols))
	for f := range cols {
		x[f] = append(append(make([]float64, 0, n), xr[f]...), xs[f]...)
	}
	y := make([]int, n)
	for i := range rRows {
		y[i] = 1
	}
	// Stratified folds: shuffle each class and deal its rows round-robin.
	fold := make([]int, n)
	for _, cls := range []int{0, 1} {
		var members []int
		for i, v := range y {
			if v == cls {
				members = append(members, i)
			}
		}
		rng.Shuffle(members)
		for k, i := range members {
			fold[i] = k % folds
		}
	}
	d := &Detection{Method: "logistic regression (SDMetrics LogisticDetection: text one-hot, other columns numeric, mean imputer, robust scaler, L2, C = 1)",
		Folds: folds, RealRows: len(rRows), Synthetic: len(sRows)}
	aucs, treeAUCs := make([]float64, folds), make([]float64, folds)
	errs := make([]error, folds)
	nn.Parallel(2*folds, 0, func(job int) {
		if ctx.Err() != nil {
			return
		}
		k := job / 2
		var tr, te []int
		for i := range n {
			if fold[i] == k {
				te = append(te, i)
			} else {
				tr = append(tr, i)
			}
		}
		xtr, xte := selectRows(x, tr), selectRows(x, te)
		ytr, yte := selectInts(y, tr), selectInts(y, te)
		if job%2 == 0 {
			p, err := logisticFitPredict(xtr, ytr, xte, cats)
			if err != nil {
				errs[k] = err
				return
			}
			aucs[k] = rocAUC(yte, p)
		} else {
			g := fitGBT(xtr, ytr, 2, gbtParams{rounds: 60, depth: 4, lr: 0.1, lambda: 1, minLeaf: 20, bins: 64})
			p := g.predictProba(xte)
			pos := make([]float64, len(yte))
			for i := range pos {
				pos[i] = p[2*i+1]
			}
			treeAUCs[k] = rocAUC(yte, pos)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	score := 0.0
	for k := range folds {
		d.ROCAUC += aucs[k] / folds
		d.TreesROCAUC += treeAUCs[k] / folds
		score += (math.Max(0.5, aucs[k])*2 - 1) / folds
	}
	d.Score = 1 - score
	return d, nil
}

func selectRows(x [][]float64, rows []int) [][]float64 {
	out := make([][]float64, len(x))
	for f, col := range x {
		v := make([]float64, len(rows))
		for o, i := range rows {
			v[o] = col[i]
		}
		out[f] = v
	}
	return out
}

func selectInts(y []int, rows []int) []int {
	out := make([]int, len(rows))
	for o, i := range rows {
		out[o] = y[i]
	}
	return out
}

// logisticFitPredict fits SDMetrics' detector pipeline on the training rows and returns the
// probability of class 1 for the test rows: categories one-hot, missing numbers replaced by
// the training mean, every column scaled robustly ((x − median)/IQR), then logistic
// regression minimising ½‖w‖² + C·Σ log-loss with C = 1 (intercept not penalised) by L-BFGS.
func logisticFitPredict(xtr [][]float64, ytr []int, xte [][]float64, cats []map[string]int) ([]float64, error) {
	design := func(x [][]float64) [][]float64 {
		var out [][]float64
		for f, col := range x {
			if cats[f] == nil {
				out = append(out, col)
				continue
			}
			for k := range len(cats[f]) {
				oh := make([]float64, len(col))
				for i, v := range col {
					if v == float64(k) {
						oh[i] = 1
					}
				}
				out = append(out, oh)
			}
		}
		return out
	}
	dtr, dte := design(xtr), design(xte)
	// Impute and scale with training statistics.
	for f, col := range dtr {
		clean := sortedNonNaN(col)
		mean, med, iqr := 0.0, 0.0, 1.0
		if len(clean) > 0 {
			for _, v := range clean {
				mean += v
			}
			mean /= float64(len(clean))
			med = quantile(clean, 0.5)
			if q := quantile(clean, 0.75) - quantile(clean, 0.25); q > 0 {
				iqr = q
			}
		}
		for _, m := range [][]float64{col, dte[f]} {
			for i, v := range m {
				if math.IsNaN(v) {
					v = mean
				}
				m[i] = (v - med) / iqr
			}
		}
	}
	d := len(dtr)
	n := len(ytr)
	grad := make([]float64, d+1)
	z, resid := make([]float64, n), make([]float64, n)
	var lastX []float64
	eval := func(w []float64) float64 {
		for i := range z {
			z[i] = w[d]
		}
		for f, col := range dtr {
			if wf := w[f]; wf != 0 {
				for i, v := range col {
					z[i] += wf * v
				}
			}
		}
		loss := 0.0
		clear(grad)
		for i, zi := range z {
			// log(1 + e^z) − y·z, stably.
			if zi > 0 {
				loss += zi + math.Log1p(math.Exp(-zi))
			} else {
				loss += math.Log1p(math.Exp(zi))
			}
			p := 1 / (1 + math.Exp(-zi))
			if ytr[i] == 1 {
				loss -= zi
				p -= 1
			}
			resid[i] = p
			grad[d] += p
		}
		for f, col := range dtr {
			s := 0.0
			for i, v := range col {
				s += resid[i] * v
			}
			grad[f] = s + w[f]
			loss += 0.5 * w[f] * w[f]
		}
		lastX = append(lastX[:0], w...)
		return loss
	}
	problem := optimize.Problem{
		Func: eval,
		Grad: func(g, w []float64) {
			if !slices.Equal(w, lastX) {
				eval(w)
			}
			copy(g, grad)
		},
	}
	res, err := optimize.Minimize(problem, make([]float64, d+1), &optimize.Settings{MajorIterations: 200, GradientThreshold: 1e-6}, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, fmt.Errorf("detection: logistic regression: %w", err)
	}
	w := res.X
	out := make([]float64, len(dte[0]))
	for i := range out {
		s := w[d]
		for f, col := range dte {
			s += w[f] * col[i]
		}
		out[i] = 1 / (1 + math.Exp(-s))
	}
	return out, nil
}

// quantile returns the p-quantile of sorted values by linear interpolation.
func quantile(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (h-float64(lo))*(sorted[hi]-sorted[lo])
}

// rocAUC returns the area under the ROC curve of scores for labels (1 positive), ties
// counted half (the Mann–Whitney statistic).
func rocAUC(y []int, score []float64) float64 {
	idx := make([]int, len(y))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] < score[idx[b]] })
	var pos, neg, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if y[idx[k]] == 1 {
				rankSum += avg
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}
