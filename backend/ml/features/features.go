// Package features turns a table of time-ordered rows into the feature vectors the predictive
// models of backend/ml see: for each row, a summary of the recent history of its group (asset,
// episode), never the row alone.
//
// # History windows
//
// Rows are grouped by a group column and ordered by an order column (see [Sequences]). The
// window of a row is that row and the Window−1 rows before it in the same group (fewer at the
// start of a group). For each numeric input column the window gives seven features:
//
//	col.last   the latest value (forward-filled within the window)
//	col.mean   the mean
//	col.std    the standard deviation (population)
//	col.min    the minimum
//	col.max    the maximum
//	col.slope  the least-squares trend, in units per row
//	col.ewma   an exponentially weighted mean (α = 2/(Window/2+1)), started at the window's
//	           first value, so it weighs the latest rows more than col.mean does
//
// With Window 1 only col.last is made (for data without a time axis). Given fault signatures,
// the numeric inputs they name also get col.dev, their recent deviation from the healthy level
// of the operating context (see "Fault signatures" in signature.go). Bool columns are numbers
// (0/1). Each categorical (string) column gives a one-hot of its latest value, col=level, and,
// when Window > 1, the level's share of the window, col=level.share, for its most frequent
// levels in the training data (at most MaxLevels, each at least 0.5 % of the rows); a value not
// among them has all zeros.
//
// # Columns left out
//
// The group and order columns, the excluded columns (targets, the user's drops), columns whose
// role (datasets.Meta.Role) is label, flag, id or time, timestamp columns, columns that are
// constant or entirely missing in the training data, and string columns that look like
// identifiers (more than 50 distinct values, most of them unique) are not inputs; [Pipeline]
// lists them with the reason in Skipped.
//
// # Missing values
//
// Within a window, missing values are skipped: the statistics use the values present, and
// col.last is the latest value present (a forward fill that reaches back at most Window rows,
// so training and prediction see exactly the same thing). When a window has no value at all,
// the level features (last, mean, min, max, ewma) take the column's training median and the
// spread features (std, slope) are 0. A column missing in at least MissingRate (5 %) of the
// training rows also gets col.missing, the share of missing values in the window, so a model
// can tell an imputed value from a measured one.
//
// The fitted [Pipeline] is plain data (JSON) saved with the model; the same Transform computes
// the features at training time over a whole table and at prediction time over a buffer of
// the last Window rows of each group, with identical results.
package features

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
)

// Kinds of input column.
const (
	Numeric     = "numeric"     // floats, ints, bools: window statistics
	Categorical = "categorical" // strings: one-hot of the latest value and window shares
)

// Defaults of [Options].
const (
	DefaultWindow      = 20
	DefaultMaxLevels   = 16
	DefaultMissingRate = 0.05
	// MaxWindow bounds Options.Window.
	MaxWindow = 1000
)

// Numeric window statistics, in feature order (see the package documentation).
var numericStats = []string{"last", "mean", "std", "min", "max", "slope", "ewma"}

// Options configure [Fit].
type Options struct {
	// Group names the column that identifies an asset or episode; "" treats the whole table
	// as one history.
	Group string
	// Order names the time column; "" keeps the table's row order.
	Order string
	// Window is the number of rows of history each feature vector summarises, 1..MaxWindow;
	// 0 means DefaultWindow.
	Window int
	// Exclude lists columns that are never inputs: the targets and the user's drops.
	Exclude []string
	// KeepRoles makes columns with role label, flag, id or time inputs too (they are left
	// out by default because they are ground truth or bookkeeping, not measurements).
	KeepRoles bool
	// MaxLevels caps the one-hot levels of a categorical column; 0 means DefaultMaxLevels.
	MaxLevels int
	// MissingRate is the training null rate from which a column gets a col.missing feature;
	// 0 means DefaultMissingRate.
	MissingRate float64
	// NoContext turns off the context residuals (col.last~ctx, col.mean~ctx).
	NoContext bool
	// Long, when larger than Window, adds the mean and trend over the last Long rows
	// (col.lmean, col.lslope). Off by default: on the simulated fleet it lowered held-out
	// health-state macro-F1 from 0.77 to 0.73 (the few training episodes are overfitted).
	Long int
	// Signatures are known fault signatures (see "Fault signatures" in signature.go); with
	// Healthy (one flag per training row: the rows that show no fault) every numeric input a
	// signature names gets a col.dev feature, and the pipeline a severity per signature.
	Signatures []Signature
	Healthy    []bool
	// SignatureWindow is the window of the col.dev features; 0 means DefaultSignatureWindow.
	SignatureWindow int
	// AssetBase, with Signatures, reads each group's deviations against its own first
	// readings too (see "Fault signatures"); nil: against the fleet's healthy levels only.
	AssetBase *AssetBase
}

// Input is one column the pipeline reads, and how.
type Input struct {
	// Name is the column name.
	Name string `json:"name"`
	// Kind is Numeric or Categorical.
	Kind string `json:"kind"`
	// Type is the column's type in the training data.
	Type datasets.Type `json:"type"`
	// Unit and Role are copied from the column's metadata, for display.
	Unit string `json:"unit,omitempty"`
	Role string `json:"role,omitempty"`
	// Fill is the training median, used when a window has no value (numeric only).
	Fill float64 `json:"fill"`
	// NullRate is the share of missing values in the training data.
	NullRate float64 `json:"null_rate"`
	// Missing is set when the input has a col.missing feature.
	Missing bool `json:"missing,omitempty"`
	// Levels are the one-hot levels of a categorical input, most frequent first.
	Levels []string `json:"levels,omitempty"`
	// First is the index of the input's first feature; its features are First..First+Count-1.
	First int `json:"first"`
	// Count is the number of features the input produces.
	Count int `json:"count"`
	// Ctx is the number of context residual features after the input's window statistics.
	Ctx int `json:"ctx,omitempty"`
	// Dev is the healthy level behind the input's col.dev feature (its last feature), when a
	// fault signature names the input.
	Dev *Deviation `json:"dev,omitempty"`
}

// devN is the number of deviation features of the input (col.dev and its other windows).
func (in Input) devN() int {
	if in.Dev != nil {
		return 1 + len(in.Dev.Extra)
	}
	return 0
}

// Skipped is a column that is not an input, and why.
type Skipped struct {
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// Pipeline is a fitted feature pipeline: which columns are read and how each becomes features.
// It is plain data, serialised with the model; Transform is safe for concurrent use.
type Pipeline struct {
	Group  string `json:"group,omitempty"`
	Order  string `json:"order,omitempty"`
	Window int    `json:"window"`
	// Long is the long window (0: no long-window features).
	Long int `json:"long,omitempty"`
	// Alpha is the EWMA smoothing factor.
	Alpha float64 `json:"alpha"`
	// Inputs are the columns read, in feature order.
	Inputs []Input `json:"inputs"`
	// Names are the feature names, e.g. "bearing_temp.mean", "regime=idle".
	Names []string `json:"names"`
	// Baseline is a typical feature vector: the training median of every feature. Attributions
	// replace an input's features with these values to see what the input contributed.
	Baseline []float32 `json:"baseline,omitempty"`
	// Skipped lists the columns of the training data that are not inputs.
	Skipped []Skipped `json:"skipped,omitempty"`
	// Context holds the linear models behind the context residual features.
	Context []ContextModel `json:"context,omitempty"`
	// SigWindow is the window of the col.dev features (0: none).
	SigWindow int `json:"sig_window,omitempty"`
	// Signatures are the fitted fault signatures (see [Pipeline.Severity]).
	Signatures []SignatureModel `json:"signatures,omitempty"`
	// AssetBase, when set, is how each group's own first readings enter its col.dev features.
	AssetBase *AssetBase `json:"asset_base,omitempty"`
}

// ContextModel predicts one feature (a numeric input's last or mean) linearly from the
// categorical features (the operating context: regime one-hots and shares); the residual,
// feature minus prediction, is the ResidualOf feature. It is fitted by ridge regression on
// the training rows.
type ContextModel struct {
	Feature   int       `json:"feature"`
	Residual  int       `json:"residual"`
	Coef      []float64 `json:"coef"`
	Intercept float64   `json:"intercept"`
}

// History returns the number of recent rows of a group that a feature vector summarises: give
// Transform at least this many rows per group for exact features.
func (p *Pipeline) History() int {
	h := max(p.Window, p.Long, sigLookback*p.maxSigWindow())
	if b := p.AssetBase; b != nil {
		// A group's first Rows rows and its last History rows span After rows.
		h = max(h, b.After-b.Rows)
	}
	return h
}

// maxSigWindow returns the longest window of the deviation features (0: none).
func (p *Pipeline) maxSigWindow() int {
	w := p.SigWindow
	for _, in := range p.Inputs {
		if in.Dev != nil {
			for _, e := range in.Dev.Extra {
				w = max(w, e.Window)
			}
		}
	}
	return w
}

// NumFeatures returns the length of a feature vector.
func (p *Pipeline) NumFeatures() int { return len(p.Names) }

// Fit decides the inputs and their features from the training table t. It returns a bad-input
// error when no column is usable, or when Window is out of range (field "window").
func Fit(t *datasets.Table, opts Options) (*Pipeline, error) {
	w := opts.Window
	if w == 0 {
		w = DefaultWindow
	}
	if w < 1 || w > MaxWindow {
		return nil, apperr.BadInput("window out of range", apperr.FieldError{Field: "window",
			Message: fmt.Sprintf("must be between 1 and %d rows, got %d", MaxWindow, opts.Window)})
	}
	maxLevels := cmp.Or(opts.MaxLevels, DefaultMaxLevels)
	missRate := cmp.Or(opts.MissingRate, DefaultMissingRate)
	p := &Pipeline{Group: opts.Group, Order: opts.Order, Window: w, Alpha: 2 / (float64(w)/2 + 1)}
	if opts.Long > w {
		p.Long = min(opts.Long, MaxWindow)
	}
	n := t.NumRows()
	for _, c := range t.Columns {
		skip := func(reason string) { p.Skipped = append(p.Skipped, Skipped{Column: c.Name, Reason: reason}) }
		switch {
		case c.Name == opts.Group:
			continue
		case c.Name == opts.Order:
			continue
		case slices.Contains(opts.Exclude, c.Name):
			skip("excluded (target or dropped)")
			continue
		case !opts.KeepRoles && slices.Contains([]string{datasets.RoleLabel, datasets.RoleFlag, datasets.RoleID, datasets.RoleTime}, c.Meta.Role):
			skip(fmt.Sprintf("role %q (ground truth or bookkeeping, not a measurement)", c.Meta.Role))
			continue
		case c.Type == datasets.Timestamp:
			skip("timestamp column (only the order column's time is used)")
			continue
		}
		in := Input{Name: c.Name, Type: c.Type, Unit: c.Meta.Unit, Role: c.Meta.Role}
		nulls := 0
		if c.Type == datasets.String {
			counts := map[string]int{}
			for i := 0; i < n; i++ {
				if c.IsNull(i) || c.Strings[i] == "" {
					nulls++
					continue
				}
				counts[c.Strings[i]]++
			}
			present := n - nulls
			switch {
			case present == 0:
				skip("all values missing")
				continue
			case len(counts) < 2:
				skip("constant")
				continue
			case len(counts) > 50 && len(counts)*2 > present:
				skip(fmt.Sprintf("identifier-like (%d distinct values)", len(counts)))
				continue
			}
			levels := make([]string, 0, len(counts))
			for k, v := range counts {
				if float64(v) >= 0.005*float64(present) {
					levels = append(levels, k)
				}
			}
			sort.Slice(levels, func(a, b int) bool {
				if counts[levels[a]] != counts[levels[b]] {
					return counts[levels[a]] > counts[levels[b]]
				}
				return levels[a] < levels[b]
			})
			if len(levels) > maxLevels {
				levels = levels[:maxLevels]
			}
			in.Kind, in.Levels = Categorical, levels
		} else {
			vals := make([]float64, 0, n)
			for i := 0; i < n; i++ {
				v, ok := c.Number(i)
				if !ok || math.IsInf(v, 0) {
					nulls++
					continue
				}
				vals = append(vals, v)
			}
			if len(vals) == 0 {
				skip("all values missing")
				continue
			}
			slices.Sort(vals)
			if vals[0] == vals[len(vals)-1] {
				skip("constant")
				continue
			}
			in.Kind, in.Fill = Numeric, median(vals)
		}
		if n > 0 {
			in.NullRate = float64(nulls) / float64(n)
		}
		in.Missing = in.NullRate >= missRate
		p.Inputs = append(p.Inputs, in)
	}
	context := false
	for _, in := range p.Inputs {
		context = context || (in.Kind == Categorical && !opts.NoContext)
	}
	var sigIn map[int][]int
	if len(opts.Signatures) > 0 && len(opts.Healthy) > 0 {
		win := cmp.Or(opts.SignatureWindow, DefaultSignatureWindow)
		if sigIn = signatureInputs(p.Inputs, opts.Signatures, win); len(sigIn) > 0 {
			p.SigWindow = win
			if b := opts.AssetBase; b != nil && b.Rows > 0 {
				p.AssetBase = &AssetBase{Rows: b.Rows, After: max(b.After, b.Rows), Weight: b.Weight, Clip: b.Clip}
			}
		}
	}
	for i := range p.Inputs {
		in := &p.Inputs[i]
		in.First = len(p.Names)
		p.Names = append(p.Names, featureNames(*in, w, p.Long)...)
		if in.Kind == Numeric && context {
			in.Ctx = 1
			p.Names = append(p.Names, in.Name+".last~ctx")
			if w > 1 {
				in.Ctx = 2
				p.Names = append(p.Names, in.Name+".mean~ctx")
			}
		}
		if extra, ok := sigIn[i]; ok {
			in.Dev = &Deviation{Feature: len(p.Names)}
			p.Names = append(p.Names, in.Name+".dev")
			for _, w := range extra {
				in.Dev.Extra = append(in.Dev.Extra, DevWindow{Window: w, Feature: len(p.Names)})
				p.Names = append(p.Names, in.Name+".dev"+strconv.Itoa(w))
			}
		}
		in.Count = len(p.Names) - in.First
	}
	if len(p.Inputs) == 0 {
		return nil, noInputs(p)
	}
	if err := p.fitContext(t); err != nil {
		return nil, err
	}
	if p.SigWindow > 0 {
		if err := p.fitSignatures(t, opts.Signatures, opts.Healthy); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func noInputs(p *Pipeline) error {
	{
		var why []string
		for _, s := range p.Skipped {
			why = append(why, s.Column+": "+s.Reason)
		}
		return apperr.BadInput("no usable input column in the training data",
			apperr.FieldError{Field: "train", Message: "every column is a target, dropped, constant or not a measurement: " + strings.Join(why, "; ")})
	}
}

func featureNames(in Input, w, long int) []string {
	var out []string
	if in.Kind == Numeric {
		stats := numericStats
		if w == 1 {
			stats = stats[:1]
		}
		for _, s := range stats {
			out = append(out, in.Name+"."+s)
		}
		if long > 0 {
			out = append(out, in.Name+".lmean", in.Name+".lslope")
		}
	} else {
		for _, l := range in.Levels {
			out = append(out, in.Name+"="+l)
		}
		if w > 1 {
			for _, l := range in.Levels {
				out = append(out, in.Name+"="+l+".share")
			}
		}
	}
	if in.Missing {
		out = append(out, in.Name+".missing")
	}
	return out
}

// median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// Frame is a block of feature vectors computed by [Pipeline.Transform].
type Frame struct {
	// X holds N×F features, row-major, all finite.
	X []float32
	// N is the number of feature vectors, F their length.
	N, F int
	// Seqs are the group histories the rows come from.
	Seqs []Sequence
	// Seq and Pos give, per feature vector, its sequence (index into Seqs) and its position in
	// that sequence; Rows gives the table row.
	Seq, Pos, Rows []int

	p    *Pipeline
	cols []*datasets.Column
}

// Row returns feature vector r (a slice of X).
func (f *Frame) Row(r int) []float32 { return f.X[r*f.F : (r+1)*f.F] }

// Current returns the latest value present of input i in the window of feature vector r: a
// float64 for numeric inputs, a string for categorical ones, nil when the window has none.
func (f *Frame) Current(r, i int) any {
	col := f.cols[i]
	rows := f.Seqs[f.Seq[r]].Rows
	k := f.Pos[r]
	for j := k; j >= 0 && j > k-f.p.Window; j-- {
		row := rows[j]
		if f.p.Inputs[i].Kind == Categorical {
			if s := col.Text(row); s != "" {
				return s
			}
			continue
		}
		if v, ok := col.Number(row); ok && !math.IsInf(v, 0) {
			return v
		}
	}
	return nil
}

// Bind checks that t has every input column with a usable type and returns the columns in
// input order. A missing column, or a numeric input given as text, is a bad-input error naming
// the column (field "columns").
func (p *Pipeline) Bind(t *datasets.Table) ([]*datasets.Column, error) {
	cols := make([]*datasets.Column, len(p.Inputs))
	var missing []string
	for i, in := range p.Inputs {
		c := t.Column(in.Name)
		if c == nil {
			missing = append(missing, in.Name)
			continue
		}
		if in.Kind == Numeric && !(c.Type.Numeric() || c.Type == datasets.Bool) {
			return nil, apperr.BadInput(fmt.Sprintf("column %q is %s but the model reads it as a number", in.Name, c.Type),
				apperr.FieldError{Field: "columns", Message: fmt.Sprintf("column %q must be numeric, is %s", in.Name, c.Type)})
		}
		cols[i] = c
	}
	if len(missing) > 0 {
		return nil, apperr.BadInput(fmt.Sprintf("the data lacks %d column(s) the model needs", len(missing)),
			apperr.FieldError{Field: "columns", Message: "missing: " + strings.Join(missing, ", ")})
	}
	return cols, nil
}

// Transform computes feature vectors for t. seqs are t's group histories (nil: computed with
// [Sequences] from the pipeline's group and order columns; a table without the group column is
// one history, one without the order column keeps its row order). With last set, only the
// latest row of each group gets a vector (the current state of each asset); otherwise every row
// does, in sequence order.
func (p *Pipeline) Transform(t *datasets.Table, seqs []Sequence, last bool) (*Frame, error) {
	cols, err := p.Bind(t)
	if err != nil {
		return nil, err
	}
	if seqs == nil {
		group, order := p.Group, p.Order
		if group != "" && t.Column(group) == nil {
			group = ""
		}
		if order != "" && t.Column(order) == nil {
			order = ""
		}
		if seqs, err = Sequences(t, group, order); err != nil {
			return nil, err
		}
	}
	f := &Frame{F: len(p.Names), Seqs: seqs, p: p, cols: cols}
	n := 0
	for _, s := range seqs {
		if last {
			n += min(len(s.Rows), 1)
		} else {
			n += len(s.Rows)
		}
	}
	f.Seq, f.Pos, f.Rows = make([]int, 0, n), make([]int, 0, n), make([]int, 0, n)
	for si, s := range seqs {
		if len(s.Rows) == 0 {
			continue
		}
		from := 0
		if last {
			from = len(s.Rows) - 1
		}
		for k := from; k < len(s.Rows); k++ {
			f.Seq = append(f.Seq, si)
			f.Pos = append(f.Pos, k)
			f.Rows = append(f.Rows, s.Rows[k])
		}
	}
	f.N = len(f.Rows)
	f.X = make([]float32, f.N*f.F)
	levelIdx := make([]map[string]int, len(p.Inputs))
	for i, in := range p.Inputs {
		if in.Kind == Categorical {
			levelIdx[i] = make(map[string]int, len(in.Levels))
			for j, l := range in.Levels {
				levelIdx[i][l] = j
			}
		}
	}
	histN := p.History()
	vals := make([]float64, histN)
	ok := make([]bool, histN)
	ctxf := p.ctxFeatures()
	var lv [][2]int
	var levelOf []map[string]int
	var onehot []float64
	if p.SigWindow > 0 {
		lv, levelOf = p.ctxLevels(), p.levelIndex()
		onehot = make([]float64, len(lv))
	}
	// Each group's asset baseline per input (see "Fault signatures"), computed at its first
	// row old enough to use it.
	var base []float64
	baseSeq := -1
	for r := 0; r < f.N; r++ {
		rows := seqs[f.Seq[r]].Rows
		k := f.Pos[r]
		win := rows[max(0, k-p.Window+1) : k+1]
		hist := rows[max(0, k-histN+1) : k+1]
		dst := f.Row(r)
		if p.AssetBase != nil && k+1 >= p.AssetBase.After && baseSeq != f.Seq[r] {
			if base == nil {
				base = make([]float64, len(p.Inputs))
			}
			for j := range p.Inputs {
				base[j] = p.assetBase(j, cols, levelOf, lv, rows, onehot)
			}
			baseSeq = f.Seq[r]
		}
		for i, in := range p.Inputs {
			out := dst[in.First : in.First+in.Count]
			if in.Kind == Numeric {
				for j, row := range hist {
					v, present := cols[i].Number(row)
					ok[j] = present && !math.IsInf(v, 0)
					vals[j] = v
				}
				m := len(hist)
				p.numeric(in, vals[m-len(win):m], ok[m-len(win):m], out[:in.Count-in.Ctx-in.devN()])
				if in.Dev != nil {
					b := 0.0
					if baseSeq == f.Seq[r] {
						b = base[i]
					}
					p.deviations(i, cols, levelOf, lv, rows[:k+1], onehot, b, out[in.Count-in.devN():in.Count])
				}
				if p.Long > 0 {
					ns := len(numericStats)
					if p.Window == 1 {
						ns = 1
					}
					p.long(in, vals[:m], ok[:m], out[ns:ns+2])
				}
			} else {
				p.categorical(in, levelIdx[i], cols[i], win, out)
			}
		}
		for _, cm := range p.Context {
			v := cm.Intercept
			for j, c := range cm.Coef {
				v += c * float64(dst[ctxf[j]])
			}
			dst[cm.Residual] = clamp(float64(dst[cm.Feature]) - v)
		}
	}
	return f, nil
}

// numeric writes the window statistics of one numeric input.
func (p *Pipeline) numeric(in Input, vals []float64, ok []bool, out []float32) {
	w := len(vals)
	cnt := 0
	var sum, last float64
	lo, hi := math.Inf(1), math.Inf(-1)
	var ewma float64
	started := false
	for j, v := range vals {
		if !ok[j] {
			continue
		}
		cnt++
		sum += v
		last = v
		lo, hi = min(lo, v), max(hi, v)
		if !started {
			ewma, started = v, true
		} else {
			ewma = p.Alpha*v + (1-p.Alpha)*ewma
		}
	}
	if cnt == 0 {
		out[0] = clamp(in.Fill)
		if p.Window > 1 {
			out[1], out[2], out[3], out[4], out[5], out[6] = clamp(in.Fill), 0, clamp(in.Fill), clamp(in.Fill), 0, clamp(in.Fill)
		}
		if in.Missing {
			out[len(out)-1] = 1
		}
		return
	}
	out[0] = clamp(last)
	if p.Window > 1 {
		mean := sum / float64(cnt)
		var ss, sx, sxx, sxy float64
		for j, v := range vals {
			if !ok[j] {
				continue
			}
			d := v - mean
			ss += d * d
			x := float64(j)
			sx += x
			sxx += x * x
			sxy += x * d
		}
		slope := 0.0
		if cnt >= 2 {
			xm := sx / float64(cnt)
			if den := sxx - float64(cnt)*xm*xm; den > 0 {
				slope = sxy / den
			}
		}
		out[1] = clamp(mean)
		out[2] = clamp(math.Sqrt(ss / float64(cnt)))
		out[3] = clamp(lo)
		out[4] = clamp(hi)
		out[5] = clamp(slope)
		out[6] = clamp(ewma)
	}
	if in.Missing {
		out[len(out)-1] = float32(w-cnt) / float32(w)
	}
}

// long writes the mean and slope over the long window (the training median and 0 when the
// window has no value).
func (p *Pipeline) long(in Input, vals []float64, ok []bool, out []float32) {
	var n, sx, sy, sxx, sxy float64
	for j, v := range vals {
		if !ok[j] {
			continue
		}
		x := float64(j)
		n++
		sx += x
		sy += v
		sxx += x * x
		sxy += x * v
	}
	if n == 0 {
		out[0], out[1] = clamp(in.Fill), 0
		return
	}
	out[0] = clamp(sy / n)
	out[1] = 0
	if den := n*sxx - sx*sx; n >= 2 && den > 0 {
		out[1] = clamp((n*sxy - sx*sy) / den)
	}
}

// categorical writes the one-hot of the latest value and the level shares of the window.
func (p *Pipeline) categorical(in Input, levels map[string]int, col *datasets.Column, win []int, out []float32) {
	nl := len(in.Levels)
	for j := range out {
		out[j] = 0
	}
	latest := -1
	missing := 0
	for _, row := range win {
		s := col.Text(row)
		if s == "" {
			missing++
			continue
		}
		j, ok := levels[s]
		if !ok {
			latest = -1
			continue
		}
		latest = j
		if p.Window > 1 {
			out[nl+j] += 1 / float32(len(win))
		}
	}
	// The one-hot shows the latest value present (a forward fill within the window).
	if latest >= 0 {
		out[latest] = 1
	}
	if in.Missing {
		out[len(out)-1] = float32(missing) / float32(len(win))
	}
}

// clamp converts to float32, keeping the value finite.
func clamp(v float64) float32 {
	switch {
	case math.IsNaN(v):
		return 0
	case v > math.MaxFloat32:
		return math.MaxFloat32
	case v < -math.MaxFloat32:
		return -math.MaxFloat32
	}
	return float32(v)
}

// FitBaseline sets Baseline to the per-feature medians of the n×F training features x.
func (p *Pipeline) FitBaseline(x []float32, n int) {
	F := len(p.Names)
	p.Baseline = make([]float32, F)
	col := make([]float32, n)
	for j := 0; j < F; j++ {
		for r := 0; r < n; r++ {
			col[r] = x[r*F+j]
		}
		slices.Sort(col)
		if n > 0 {
			p.Baseline[j] = col[n/2]
		}
	}
}
