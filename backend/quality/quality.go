// Package quality scores how well a synthetic table imitates a real one, after SDMetrics'
// QualityReport, and adds two machine-learning checks:
//
//   - Column Shapes: per column, 1 − the Kolmogorov–Smirnov statistic for numeric columns
//     (KSComplement) or 1 − the total variation distance of the category shares for discrete
//     ones (TVComplement); the score is their mean.
//   - Column Pair Trends: per pair of columns, 1 − |ρ_real − ρ_synthetic|/2 with Pearson's ρ
//     when both are numeric (CorrelationSimilarity), else 1 − the total variation distance of
//     the two-way contingency tables (ContingencySimilarity), numeric columns cut into 10
//     equal-width bins over the real range (outer bins open); the score is their mean.
//   - Overall: the mean of the two.
//   - TSTR (train on synthetic, test on real): a gradient-boosted-trees classifier of a discrete
//     target (e.g. health_state) trained on the synthetic table and, for reference, on the real
//     one in 3 stratified folds (each real row predicted by the classifier that did not see
//     it); per-class F1 over all real rows and the ratio synthetic/real.
//   - Detection: a classifier that tells real rows from synthetic ones, cross-validated
//     (3 stratified folds), as SDMetrics' LogisticDetection: text columns one-hot, ints, bools
//     (0/1), floats and timestamps as numbers (as rdt's HyperTransformer detects them), mean
//     imputer, robust scaler, L2 logistic regression (C = 1); ROC AUC near 0.5 means
//     indistinguishable. A gradient-boosted-trees detector's AUC is reported beside it as a
//     stricter check (it also sees non-linear and joint differences).
//
// Column kinds follow backend/tvae's rule (tvae.ColumnKind): strings, bools and ints with few
// distinct values are discrete, the rest numeric (timestamps as Unix milliseconds). Nulls are
// left out of KS and correlations and are a category of their own in discrete comparisons.
package quality

import (
	"context"
	"fmt"
	"math"
	"slices"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
	"pdmstudio/backend/tvae"
)

// Metric names, as SDMetrics calls them.
const (
	MetricKS          = "KSComplement"
	MetricTV          = "TVComplement"
	MetricCorrelation = "CorrelationSimilarity"
	MetricContingency = "ContingencySimilarity"
)

// Column kinds in the report.
const (
	KindNumeric  = "numeric"
	KindDiscrete = "discrete"
)

// Options tune Evaluate. The zero value asks for the defaults.
type Options struct {
	// Discrete forces columns (by name) to be compared as categories.
	Discrete []string `json:"discrete,omitempty"`
	// Target is the discrete column TSTR predicts; "" means "health_state" when the tables
	// have it, else TSTR is skipped. "-" skips TSTR.
	Target string `json:"target,omitempty"`
	// Features are the columns TSTR learns from; nil means every column but the target and
	// those whose role is "time", "id" or "label" (they would leak the label: degradation
	// and rul determine health_state).
	Features []string `json:"features,omitempty"`
	// MaxRows caps the rows of each table used by TSTR and detection (a seeded subsample);
	// 0 means 10,000. Column Shapes and Pair Trends use every row.
	MaxRows int `json:"max_rows,omitempty"`
	// SkipDetection leaves the detection check out.
	SkipDetection bool `json:"skip_detection,omitempty"`
	// Seed makes the splits and subsamples reproducible.
	Seed uint64 `json:"seed"`
}

// DefaultMaxRows is the default Options.MaxRows.
const DefaultMaxRows = 10_000

// Report is the outcome of Evaluate. Scores are in [0, 1], higher is better, except
// Detection's ROC AUC (0.5 is best).
type Report struct {
	Overall          float64     `json:"overall"`
	ColumnShapes     float64     `json:"column_shapes"`
	ColumnPairTrends float64     `json:"column_pair_trends"`
	Columns          []ColumnRow `json:"columns"`
	Pairs            []PairRow   `json:"pairs"`
	TSTR             *TSTR       `json:"tstr"`      // nil when skipped
	Detection        *Detection  `json:"detection"` // nil when skipped
	RealRows         int         `json:"real_rows"`
	SyntheticRows    int         `json:"synthetic_rows"`
}

// ColumnRow is the Column Shapes score of one column.
type ColumnRow struct {
	Column string  `json:"column"`
	Kind   string  `json:"kind"`   // KindNumeric or KindDiscrete
	Metric string  `json:"metric"` // MetricKS or MetricTV
	Score  float64 `json:"score"`
}

// PairRow is the Column Pair Trends score of one pair of columns. For numeric pairs Real and
// Synthetic are the Pearson correlations. A pair whose real correlation is undefined (a
// constant column) has Skipped set and does not count.
type PairRow struct {
	ColumnA   string   `json:"column_a"`
	ColumnB   string   `json:"column_b"`
	Metric    string   `json:"metric"`
	Score     float64  `json:"score"`
	Real      *float64 `json:"real_correlation,omitempty"`
	Synthetic *float64 `json:"synthetic_correlation,omitempty"`
	Skipped   string   `json:"skipped,omitempty"`
}

// Evaluate compares synthetic to real over the columns they share (same name; the type of
// the real column decides the kind). It returns a bad-input error when the tables share no
// column, are empty, or the TSTR target is unusable, and ctx.Err() when cancelled.
func Evaluate(ctx context.Context, real, synthetic *datasets.Table, opts Options) (*Report, error) {
	if real == nil || synthetic == nil || real.NumRows() == 0 || synthetic.NumRows() == 0 {
		return nil, apperr.BadInputf("both tables need rows to compare")
	}
	if err := real.Validate(); err != nil {
		return nil, fmt.Errorf("real table: %w", err)
	}
	if err := synthetic.Validate(); err != nil {
		return nil, fmt.Errorf("synthetic table: %w", err)
	}
	var cols []pairCols
	for _, rc := range real.Columns {
		sc := synthetic.Column(rc.Name)
		if sc == nil {
			continue
		}
		if numeric(rc.Type) != numeric(sc.Type) || (rc.Type == datasets.Timestamp) != (sc.Type == datasets.Timestamp) {
			return nil, apperr.BadInput(fmt.Sprintf("column %q is %s in the real table and %s in the synthetic one", rc.Name, rc.Type, sc.Type),
				apperr.FieldError{Field: rc.Name, Message: "types differ"})
		}
		kind := KindNumeric
		if tvae.ColumnKind(rc) == tvae.KindDiscrete || slices.Contains(opts.Discrete, rc.Name) || !numeric(rc.Type) {
			kind = KindDiscrete
		}
		cols = append(cols, pairCols{name: rc.Name, kind: kind, real: rc, syn: sc})
	}
	if len(cols) == 0 {
		return nil, apperr.BadInputf("the real and synthetic tables have no column in common")
	}
	rep := &Report{RealRows: real.NumRows(), SyntheticRows: synthetic.NumRows()}

	// Column Shapes.
	prep := make([]prepared, len(cols))
	nn.Parallel(len(cols), 0, func(i int) { prep[i] = prepare(cols[i]) })
	rep.Columns = make([]ColumnRow, len(cols))
	for i, c := range cols {
		row := ColumnRow{Column: c.name, Kind: c.kind}
		if c.kind == KindNumeric {
			row.Metric, row.Score = MetricKS, 1-ksStatistic(prep[i].rSorted, prep[i].sSorted)
		} else {
			row.Metric, row.Score = MetricTV, 1-tvDistance(prep[i].rCodes, prep[i].sCodes, prep[i].nCodes)
		}
		rep.Columns[i] = row
		rep.ColumnShapes += row.Score
	}
	rep.ColumnShapes /= float64(len(cols))
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Column Pair Trends.
	type ij struct{ i, j int }
	var pairs []ij
	for i := range cols {
		for j := i + 1; j < len(cols); j++ {
			pairs = append(pairs, ij{i, j})
		}
	}
	rep.Pairs = make([]PairRow, len(pairs))
	nn.Parallel(len(pairs), 0, func(p int) {
		if ctx.Err() != nil {
			return
		}
		a, b := pairs[p].i, pairs[p].j
		rep.Pairs[p] = pairTrend(cols[a], cols[b], &prep[a], &prep[b])
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	counted := 0
	for _, p := range rep.Pairs {
		if p.Skipped == "" {
			rep.ColumnPairTrends += p.Score
			counted++
		}
	}
	if counted > 0 {
		rep.ColumnPairTrends /= float64(counted)
		rep.Overall = (rep.ColumnShapes + rep.ColumnPairTrends) / 2
	} else {
		rep.Overall = rep.ColumnShapes // one column: no pairs (ColumnPairTrends stays 0)
	}

	maxRows := opts.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	target := opts.Target
	if target == "" && real.Column("health_state") != nil && synthetic.Column("health_state") != nil {
		target = "health_state"
	}
	if target != "" && target != "-" {
		t, err := tstr(ctx, real, synthetic, cols, target, opts.Features, maxRows, opts.Seed)
		if err != nil {
			return nil, err
		}
		rep.TSTR = t
	}
	if !opts.SkipDetection {
		d, err := detect(ctx, real, synthetic, cols, maxRows, opts.Seed)
		if err != nil {
			return nil, err
		}
		rep.Detection = d
	}
	return rep, nil
}

func numeric(t datasets.Type) bool {
	return t == datasets.Float || t == datasets.Int || t == datasets.Timestamp
}

type pairCols struct {
	name, kind string
	real, syn  *datasets.Column
}

// prepared holds a column's values in the forms the metrics need: sorted non-null numbers
// (numeric) and per-row codes (category index, or the 10-bin index for numeric columns;
// nulls get code nCodes−1).
type prepared struct {
	rSorted, sSorted []float64
	rVals, sVals     []float64 // per row, NaN for null (numeric only)
	rCodes, sCodes   []int32
	nCodes           int
}

func prepare(c pairCols) prepared {
	var p prepared
	if c.kind == KindNumeric {
		p.rVals, p.sVals = values(c.real), values(c.syn)
		p.rSorted, p.sSorted = sortedNonNaN(p.rVals), sortedNonNaN(p.sVals)
		// SDMetrics' discretize_column: 10 equal-width bins over the real range, the outer
		// edges open.
		const bins = 10
		lo, hi := 0.0, 0.0
		if len(p.rSorted) > 0 {
			lo, hi = p.rSorted[0], p.rSorted[len(p.rSorted)-1]
		}
		code := func(v float64) int32 {
			if math.IsNaN(v) {
				return bins
			}
			if hi <= lo {
				return 0
			}
			k := int32(math.Floor((v - lo) / (hi - lo) * bins))
			return min(max(k, 0), bins-1)
		}
		p.nCodes = bins + 1
		p.rCodes, p.sCodes = make([]int32, len(p.rVals)), make([]int32, len(p.sVals))
		for i, v := range p.rVals {
			p.rCodes[i] = code(v)
		}
		for i, v := range p.sVals {
			p.sCodes[i] = code(v)
		}
		return p
	}
	// Categories: those of the real column first (sorted), then synthetic-only ones, then null.
	index := map[string]int32{}
	var cats []string
	collect := func(col *datasets.Column) {
		for i := range col.Len() {
			if col.IsNull(i) {
				continue
			}
			k := tvae.CategoryText(col, i)
			if _, ok := index[k]; !ok {
				index[k] = -1
				cats = append(cats, k)
			}
		}
	}
	collect(c.real)
	nReal := len(cats)
	slices.Sort(cats[:nReal])
	collect(c.syn)
	slices.Sort(cats[nReal:])
	for i, k := range cats {
		index[k] = int32(i)
	}
	p.nCodes = len(cats) + 1
	codes := func(col *datasets.Column) []int32 {
		out := make([]int32, col.Len())
		for i := range out {
			if col.IsNull(i) || (col.Type == datasets.Float && math.IsNaN(col.Floats[i])) {
				out[i] = int32(len(cats))
			} else {
				out[i] = index[tvae.CategoryText(col, i)]
			}
		}
		return out
	}
	p.rCodes, p.sCodes = codes(c.real), codes(c.syn)
	return p
}

// values returns a numeric column's rows as float64, NaN for nulls (timestamps in ms).
func values(c *datasets.Column) []float64 {
	out := make([]float64, c.Len())
	for i := range out {
		if c.IsNull(i) {
			out[i] = math.NaN()
			continue
		}
		switch c.Type {
		case datasets.Timestamp:
			out[i] = float64(c.Times[i])
		default:
			v, ok := c.Number(i)
			if !ok || math.IsInf(v, 0) {
				v = math.NaN()
			}
			out[i] = v
		}
	}
	return out
}

func sortedNonNaN(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// ksStatistic returns the two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b| of two
// sorted samples (1 when exactly one is empty, 0 when both are).
func ksStatistic(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		if len(a) == len(b) {
			return 0
		}
		return 1
	}
	i, j := 0, 0
	d := 0.0
	for i < len(a) && j < len(b) {
		x := min(a[i], b[j])
		for i < len(a) && a[i] <= x {
			i++
		}
		for j < len(b) && b[j] <= x {
			j++
		}
		d = max(d, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	return d
}

// tvDistance returns ½ Σ |share_a(k) − share_b(k)| over codes 0..n−1.
func tvDistance(a, b []int32, n int) float64 {
	ca, cb := make([]float64, n), make([]float64, n)
	for _, k := range a {
		ca[k]++
	}
	for _, k := range b {
		cb[k]++
	}
	d := 0.0
	for k := range n {
		d += math.Abs(ca[k]/float64(len(a)) - cb[k]/float64(len(b)))
	}
	return d / 2
}

func pairTrend(a, b pairCols, pa, pb *prepared) PairRow {
	row := PairRow{ColumnA: a.name, ColumnB: b.name}
	if a.kind == KindNumeric && b.kind == KindNumeric {
		row.Metric = MetricCorrelation
		rr := pearson(pa.rVals, pb.rVals)
		rs := pearson(pa.sVals, pb.sVals)
		if math.IsNaN(rr) {
			row.Skipped = "the real correlation is undefined (a constant column)"
			return row
		}
		if math.IsNaN(rs) {
			rs = 0 // a constant synthetic column carries no correlation
		}
		row.Real, row.Synthetic = &rr, &rs
		row.Score = 1 - math.Abs(rr-rs)/2
		return row
	}
	row.Metric = MetricContingency
	row.Score = 1 - contingencyTV(pa.rCodes, pb.rCodes, pa.sCodes, pb.sCodes, pa.nCodes, pb.nCodes)
	return row
}

// pearson returns the correlation of x and y over the rows where both are present (NaN when
// fewer than 2 such rows or either is constant there).
func pearson(x, y []float64) float64 {
	var n, sx, sy float64
	for i, a := range x {
		if b := y[i]; !math.IsNaN(a) && !math.IsNaN(b) {
			n++
			sx += a
			sy += b
		}
	}
	if n < 2 {
		return math.NaN()
	}
	mx, my := sx/n, sy/n
	var sxx, syy, sxy float64
	for i, a := range x {
		if b := y[i]; !math.IsNaN(a) && !math.IsNaN(b) {
			dx, dy := a-mx, b-my
			sxx += dx * dx
			syy += dy * dy
			sxy += dx * dy
		}
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// contingencyTV is the total variation distance between the joint shares of (a, b) codes in
// the real rows and in the synthetic rows.
func contingencyTV(ra, rb, sa, sb []int32, na, nb int) float64 {
	cr, cs := make([]float64, na*nb), make([]float64, na*nb)
	for i, a := range ra {
		cr[int(a)*nb+int(rb[i])]++
	}
	for i, a := range sa {
		cs[int(a)*nb+int(sb[i])]++
	}
	d := 0.0
	for k := range cr {
		d += math.Abs(cr[k]/float64(len(ra)) - cs[k]/float64(len(sa)))
	}
	return d / 2
}
