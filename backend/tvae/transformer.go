package tvae

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
)

// Column kinds of the transformer.
const (
	KindContinuous = "continuous" // mode-specific normalisation: scalar + one-hot mode (+ null flag)
	KindDiscrete   = "discrete"   // one-hot of the category (null is a category of its own)
)

// SpanKind says what a run of encoded columns holds.
type SpanKind string

// The spans of an encoded row. A continuous column gives a SpanScalar (width 1, tanh output),
// a SpanMode (one-hot over its modes) and, when the training data had nulls, a SpanNull
// (width 2: [present, null]); a discrete column gives one SpanCategory.
const (
	SpanScalar   SpanKind = "scalar"
	SpanMode     SpanKind = "mode"
	SpanNull     SpanKind = "null"
	SpanCategory SpanKind = "category"
)

// Span is a run of encoded columns [Start, Start+Width) belonging to table column Column.
type Span struct {
	Column int      `json:"column"`
	Kind   SpanKind `json:"kind"`
	Start  int      `json:"start"`
	Width  int      `json:"width"`
}

// Softmax reports whether the span is one-hot (trained with cross-entropy).
func (s Span) Softmax() bool { return s.Kind != SpanScalar }

// Defaults of TransformOptions.
const (
	DefaultFitRows     = 5000 // rows per column the mixture is fitted on
	AtomShare          = 0.05 // a continuous value this common becomes an atom …
	maxAtoms           = 3    // … up to this many per column
	DefaultMaxDiscrete = 10   // int columns with at most this many distinct values are discrete
	MaxIDCategories    = 100  // int columns with Role "id" are discrete up to this many values
	stdMultiplier      = 4    // the scalar is (x − μ)/(4σ)
	scalarClip         = 0.99
)

// TransformOptions tune FitTransformer. The zero value asks for the defaults.
type TransformOptions struct {
	// Discrete and Continuous force a column's kind (by name), overriding the default rule
	// (see ColumnKind). Only numeric and timestamp columns can be continuous.
	Discrete   []string `json:"discrete,omitempty"`
	Continuous []string `json:"continuous,omitempty"`
	// FitRows caps the rows per column the mixture is fitted on (a seeded random subsample);
	// 0 means DefaultFitRows. Transforming always uses every row.
	FitRows int `json:"fit_rows,omitempty"`
	// Seed makes the subsample and the k-means start reproducible.
	Seed uint64 `json:"seed"`
	// NoDerive keeps every column modelled, even those that follow a rule (see Derivation).
	NoDerive bool `json:"no_derive,omitempty"`
}

// ColumnKind returns the default kind of column c: strings and bools are discrete; ints are
// discrete when they hold at most DefaultMaxDiscrete distinct values, or at most
// MaxIDCategories when their Meta.Role is "id" (episode or unit numbers); floats and
// timestamps are continuous, and so are numeric columns with no value at all.
func ColumnKind(c *datasets.Column) string {
	switch c.Type {
	case datasets.String, datasets.Bool:
		return KindDiscrete
	case datasets.Int:
		limit := DefaultMaxDiscrete
		if c.Meta.Role == datasets.RoleID {
			limit = MaxIDCategories
		}
		seen := make(map[int64]struct{}, limit+1)
		for i, v := range c.Ints {
			if c.IsNull(i) {
				continue
			}
			seen[v] = struct{}{}
			if len(seen) > limit {
				return KindContinuous
			}
		}
		if len(seen) == 0 {
			return KindContinuous
		}
		return KindDiscrete
	}
	return KindContinuous
}

// ColumnSpec is what the transformer learned about one column: its schema (so that samples
// come back with the same name, type and metadata) and its encoding.
type ColumnSpec struct {
	Name string        `json:"name"`
	Type datasets.Type `json:"type"`
	Meta datasets.Meta `json:"meta"`
	Kind string        `json:"kind"`
	// NullFraction is the share of training rows that were null.
	NullFraction float64 `json:"null_fraction"`

	// Continuous columns: the valid modes (weight > 0.005) in column units, the training
	// range that samples are clipped to, the decimals samples are rounded to (−1: none; ints
	// and timestamps always round to whole numbers), the value nulls are encoded as (the
	// mean) and whether a null flag span is present.
	Weights  []float64 `json:"weights,omitempty"`
	Means    []float64 `json:"means,omitempty"`
	Stds     []float64 `json:"stds,omitempty"`
	Min      float64   `json:"min,omitempty"`
	Max      float64   `json:"max,omitempty"`
	Decimals int       `json:"decimals,omitempty"`
	Fill     float64   `json:"fill,omitempty"`
	Nullable bool      `json:"nullable,omitempty"`
	// Atoms are exact values that hold at least AtomShare of the rows (e.g. a wear level
	// that is exactly 0 while healthy): each is one more entry of the mode one-hot, after
	// the Gaussian modes, and decodes to exactly that value. A mixture cannot put mass on a
	// single point.
	Atoms []float64 `json:"atoms,omitempty"`

	// Discrete columns: the categories in canonical text (see CategoryText), sorted
	// (numerically for numbers), and their training shares; when HasNull the last category
	// stands for null.
	Categories []string  `json:"categories,omitempty"`
	Freqs      []float64 `json:"freqs,omitempty"`
	HasNull    bool      `json:"has_null,omitempty"`

	// Mixture parameters in standardised units, for the E-step when transforming.
	Mix *mixtureState `json:"mixture,omitempty"`

	// Derived, for a discrete column, says that it is computed from another column after
	// sampling rather than modelled (it has no span then); see Derivation.
	Derived *Derivation `json:"derived,omitempty"`
}

// mixtureState is the part of a fitted mixture the transform needs (valid components only).
type mixtureState struct {
	Center   float64   `json:"center"`
	Scale    float64   `json:"scale"`
	M        []float64 `json:"m"`
	PrecChol []float64 `json:"prec_chol"`
	LogConst []float64 `json:"log_const"`
}

// Transformer encodes table rows as the TVAE's input vectors and decodes its outputs back into
// rows (mode-specific normalisation for continuous columns, one-hot for discrete ones, as in
// SDV/CTGAN's DataTransformer).
type Transformer struct {
	Columns []ColumnSpec `json:"columns"`
	Spans   []Span       `json:"spans"`
	// Width is the number of encoded columns, Σ span widths.
	Width int `json:"width"`
}

// FitTransformer learns the encoding of every column of t: the kind (ColumnKind unless opts
// force it), the mixture of each continuous column (fitted on at most opts.FitRows non-null
// values, columns in parallel) and the categories of each discrete one. It returns a
// bad-input error for an empty table or a forced kind that does not fit the column, and
// ctx.Err() when cancelled.
func FitTransformer(ctx context.Context, t *datasets.Table, opts TransformOptions) (*Transformer, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if len(t.Columns) == 0 || t.NumRows() == 0 {
		return nil, apperr.BadInputf("the training table is empty")
	}
	kinds := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		kinds[i] = ColumnKind(c)
	}
	force := func(names []string, kind, field string) error {
		for _, name := range names {
			i := slices.IndexFunc(t.Columns, func(c *datasets.Column) bool { return c.Name == name })
			if i < 0 {
				return apperr.BadInput(fmt.Sprintf("no column %q in the training table", name),
					apperr.FieldError{Field: field, Message: fmt.Sprintf("unknown column %q", name)})
			}
			c := t.Columns[i]
			if kind == KindContinuous && (c.Type == datasets.String || c.Type == datasets.Bool) {
				return apperr.BadInput(fmt.Sprintf("column %q holds %ss and cannot be continuous", name, c.Type),
					apperr.FieldError{Field: field, Message: fmt.Sprintf("%q is not numeric", name)})
			}
			kinds[i] = kind
		}
		return nil
	}
	if err := force(opts.Discrete, KindDiscrete, "discrete"); err != nil {
		return nil, err
	}
	if err := force(opts.Continuous, KindContinuous, "continuous"); err != nil {
		return nil, err
	}
	fitRows := opts.FitRows
	if fitRows <= 0 {
		fitRows = DefaultFitRows
	}
	tr := &Transformer{Columns: make([]ColumnSpec, len(t.Columns))}
	nn.Parallel(len(t.Columns), 0, func(i int) {
		if ctx.Err() != nil {
			return
		}
		c := t.Columns[i]
		rng := nn.NewRNG(nn.DeriveSeed(opts.Seed, uint64(i)))
		if kinds[i] == KindDiscrete {
			tr.Columns[i] = fitDiscrete(c)
		} else {
			tr.Columns[i] = fitContinuous(c, fitRows, rng)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !opts.NoDerive {
		findDerivations(t, tr.Columns)
	}
	for i, cs := range tr.Columns {
		if cs.Derived != nil && !cs.Derived.Modelled() {
			continue
		}
		add := func(kind SpanKind, w int) {
			tr.Spans = append(tr.Spans, Span{Column: i, Kind: kind, Start: tr.Width, Width: w})
			tr.Width += w
		}
		if cs.Kind == KindDiscrete {
			add(SpanCategory, len(cs.Categories))
			continue
		}
		add(SpanScalar, 1)
		add(SpanMode, len(cs.Means)+len(cs.Atoms))
		if cs.Nullable {
			add(SpanNull, 2)
		}
	}
	return tr, nil
}

func fitContinuous(c *datasets.Column, fitRows int, rng *nn.RNG) ColumnSpec {
	cs := ColumnSpec{Name: c.Name, Type: c.Type, Meta: c.Meta, Kind: KindContinuous, Decimals: -1}
	n := c.Len()
	vals := make([]float64, 0, n)
	for i := range n {
		if v, ok := number(c, i); ok {
			vals = append(vals, v)
		}
	}
	nulls := n - len(vals)
	cs.NullFraction = float64(nulls) / float64(n)
	cs.Nullable = nulls > 0
	if len(vals) == 0 {
		// Nothing but nulls: one dummy mode, and the null flag always says null.
		cs.Weights, cs.Means, cs.Stds = []float64{1}, []float64{0}, []float64{1}
		cs.Mix = &mixtureState{Scale: 1, M: []float64{0}, PrecChol: []float64{1}, LogConst: []float64{0}}
		return cs
	}
	cs.Min, cs.Max = slices.Min(vals), slices.Max(vals)
	mean, _ := meanStd(vals)
	cs.Fill = mean
	if c.Type == datasets.Float {
		cs.Decimals = learnDecimals(vals)
	}
	vals = cs.findAtoms(vals)
	if len(vals) == 0 { // every value is an atom: one dummy mode that is never chosen
		cs.Weights, cs.Means, cs.Stds = []float64{1}, []float64{cs.Fill}, []float64{1}
		cs.Mix = &mixtureState{Center: cs.Fill, Scale: 1, M: []float64{0}, PrecChol: []float64{1}, LogConst: []float64{0}}
		return cs
	}
	fit := vals
	if len(vals) > fitRows {
		idx := rng.Perm(make([]int, len(vals)))[:fitRows]
		slices.Sort(idx) // keep the original order of the subsample
		fit = make([]float64, fitRows)
		for j, i := range idx {
			fit[j] = vals[i]
		}
	}
	if lo, hi := slices.Min(vals), slices.Max(vals); lo == hi {
		cs.Weights, cs.Means, cs.Stds = []float64{1}, []float64{lo}, []float64{1}
		cs.Mix = &mixtureState{Center: lo, Scale: 1, M: []float64{0}, PrecChol: []float64{1}, LogConst: []float64{0}}
		return cs
	}
	g := fitMixture(fit, rng)
	st := &mixtureState{Center: g.center, Scale: g.scale}
	for j, w := range g.weights {
		if w <= bgmThreshold {
			continue
		}
		cs.Weights = append(cs.Weights, w)
		cs.Means = append(cs.Means, g.means[j])
		cs.Stds = append(cs.Stds, g.stds[j])
		st.M = append(st.M, g.m[j])
		st.PrecChol = append(st.PrecChol, g.precChol[j])
		st.LogConst = append(st.LogConst, g.logConst[j])
	}
	cs.Mix = st
	return cs
}

// findAtoms sets cs.Atoms to the (at most maxAtoms, most common first, then sorted) values
// that hold at least AtomShare of vals, and returns the other values in order.
func (cs *ColumnSpec) findAtoms(vals []float64) []float64 {
	counts := map[float64]int{}
	for _, v := range vals {
		counts[v]++
	}
	if len(counts) < 2 {
		return vals
	}
	type atom struct {
		v float64
		n int
	}
	var atoms []atom
	for v, n := range counts {
		if float64(n) >= AtomShare*float64(len(vals)) {
			atoms = append(atoms, atom{v, n})
		}
	}
	slices.SortFunc(atoms, func(a, b atom) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return cmp.Compare(a.v, b.v)
	})
	atoms = atoms[:min(len(atoms), maxAtoms)]
	if len(atoms) == 0 {
		return vals
	}
	for _, a := range atoms {
		cs.Atoms = append(cs.Atoms, a.v)
	}
	slices.Sort(cs.Atoms)
	rest := make([]float64, 0, len(vals))
	for _, v := range vals {
		if !slices.Contains(cs.Atoms, v) {
			rest = append(rest, v)
		}
	}
	return rest
}

// learnDecimals returns the fewest decimals (0..10) that every value is written with, or −1
// when some value needs more (SDV's learn_rounding_scheme).
func learnDecimals(vals []float64) int {
	for d := 0; d <= 10; d++ {
		p := math.Pow(10, float64(d))
		ok := true
		for _, v := range vals {
			r := math.Round(v*p) / p
			if math.Abs(r-v) > 1e-12*math.Max(1, math.Abs(v)) {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return -1
}

func fitDiscrete(c *datasets.Column) ColumnSpec {
	cs := ColumnSpec{Name: c.Name, Type: c.Type, Meta: c.Meta, Kind: KindDiscrete}
	n := c.Len()
	counts := map[string]int{}
	nulls := 0
	for i := range n {
		if c.IsNull(i) || (c.Type == datasets.Float && math.IsNaN(c.Floats[i])) {
			nulls++
			continue
		}
		counts[CategoryText(c, i)]++
	}
	for k := range counts {
		cs.Categories = append(cs.Categories, k)
	}
	sortCategories(c.Type, cs.Categories)
	for _, k := range cs.Categories {
		cs.Freqs = append(cs.Freqs, float64(counts[k])/float64(n))
	}
	if nulls > 0 {
		cs.HasNull = true
		cs.Categories = append(cs.Categories, "")
		cs.Freqs = append(cs.Freqs, float64(nulls)/float64(n))
	}
	cs.NullFraction = float64(nulls) / float64(n)
	return cs
}

// CategoryText is the canonical text of row i of a discrete column: the string itself,
// "true"/"false", an integer in decimal, a float in shortest form ('g'), or a timestamp in
// Unix milliseconds.
func CategoryText(c *datasets.Column, i int) string {
	switch c.Type {
	case datasets.String:
		return c.Strings[i]
	case datasets.Bool:
		return strconv.FormatBool(c.Bools[i])
	case datasets.Int:
		return strconv.FormatInt(c.Ints[i], 10)
	case datasets.Float:
		return strconv.FormatFloat(c.Floats[i], 'g', -1, 64)
	case datasets.Timestamp:
		return strconv.FormatInt(c.Times[i], 10)
	}
	return ""
}

func sortCategories(t datasets.Type, cats []string) {
	if t == datasets.String || t == datasets.Bool {
		slices.Sort(cats)
		return
	}
	slices.SortFunc(cats, func(a, b string) int {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// number returns row i of a numeric or timestamp column as float64 (ok false for nulls).
func number(c *datasets.Column, i int) (float64, bool) {
	if c.Type == datasets.Timestamp {
		if c.IsNull(i) {
			return 0, false
		}
		return float64(c.Times[i]), true
	}
	v, ok := c.Number(i)
	return v, ok && !math.IsInf(v, 0)
}

// Transform encodes every row of t into a new n×Width matrix (see TransformInto).
func (tr *Transformer) Transform(ctx context.Context, t *datasets.Table, seed uint64) (nn.Mat[float32], error) {
	dst := nn.NewMat[float32](t.NumRows(), tr.Width)
	if err := tr.TransformInto(ctx, t, seed, dst); err != nil {
		return nn.Mat[float32]{}, err
	}
	return dst, nil
}

// TransformInto encodes every row of t into dst (t.NumRows()×Width): for a continuous value
// x, a mode k drawn from the mixture's posterior responsibilities (seeded by seed; columns in
// parallel, each with its own stream), the scalar (x − μ_k)/(4σ_k) clipped to ±0.99 and the
// one-hot of k, and the null flag; for a discrete value, the one-hot of its category. t must
// have every column the transformer was fitted on, with the same type (bad input otherwise);
// a category never seen in training encodes as all zeros.
func (tr *Transformer) TransformInto(ctx context.Context, t *datasets.Table, seed uint64, dst nn.Mat[float32]) error {
	n := t.NumRows()
	if dst.Rows != n || dst.Cols != tr.Width {
		panic(fmt.Sprintf("tvae: TransformInto %d rows into %d×%d (width %d)", n, dst.Rows, dst.Cols, tr.Width))
	}
	cols := make([]*datasets.Column, len(tr.Columns))
	for i, cs := range tr.Columns {
		c, err := t.Lookup(cs.Name)
		if err != nil {
			return err
		}
		if c.Type != cs.Type {
			return apperr.BadInput(fmt.Sprintf("column %q is %s here but was %s in training", cs.Name, c.Type, cs.Type),
				apperr.FieldError{Field: cs.Name, Message: "type differs from the training data"})
		}
		cols[i] = c
	}
	dst.Zero()
	spansOf := make([][]Span, len(tr.Columns))
	for _, s := range tr.Spans {
		spansOf[s.Column] = append(spansOf[s.Column], s)
	}
	nn.Parallel(len(tr.Columns), 0, func(ci int) {
		if ctx.Err() != nil {
			return
		}
		cs, c, sp := &tr.Columns[ci], cols[ci], spansOf[ci]
		if cs.Derived != nil && !cs.Derived.Modelled() {
			return // computed from its source, not encoded
		}
		if cs.Kind == KindDiscrete {
			index := make(map[string]int, len(cs.Categories))
			for j, k := range cs.Categories {
				index[k] = j
			}
			start := sp[0].Start
			for i := range n {
				j, ok := -1, false
				if c.IsNull(i) || (c.Type == datasets.Float && math.IsNaN(c.Floats[i])) {
					if cs.HasNull {
						j, ok = len(cs.Categories)-1, true
					}
				} else {
					j, ok = index[CategoryText(c, i)]
				}
				if ok {
					dst.Data[i*dst.Stride+start+j] = 1
				}
			}
			return
		}
		rng := nn.NewRNG(nn.DeriveSeed(seed, uint64(ci)))
		mix := cs.Mix
		k := len(cs.Means)
		scratch, resp := make([]float64, k), make([]float64, k)
		scalar, mode := sp[0].Start, sp[1].Start
		for i := range n {
			row := dst.Data[i*dst.Stride : i*dst.Stride+dst.Cols]
			v, ok := number(c, i)
			if !ok {
				v = cs.Fill
			}
			if cs.Nullable {
				if ok {
					row[sp[2].Start] = 1
				} else {
					row[sp[2].Start+1] = 1
				}
			}
			if a := slices.Index(cs.Atoms, v); a >= 0 {
				row[mode+k+a] = 1
				continue
			}
			// Responsibilities of the valid components, floored at 1e-6 as SDV does, then a
			// draw of the mode.
			z := (v - mix.Center) / mix.Scale
			j := 0
			if k > 1 {
				mx := math.Inf(-1)
				for q := range k {
					d := (z - mix.M[q]) * mix.PrecChol[q]
					scratch[q] = mix.LogConst[q] - 0.5*d*d
					if scratch[q] > mx {
						mx = scratch[q]
					}
				}
				s := 0.0
				for q := range k {
					resp[q] = math.Exp(scratch[q] - mx)
					s += resp[q]
				}
				tot := 0.0
				for q := range k {
					resp[q] = resp[q]/s + 1e-6
					tot += resp[q]
				}
				u := rng.Float64() * tot
				j = k - 1
				for q := range k {
					u -= resp[q]
					if u < 0 {
						j = q
						break
					}
				}
			}
			x := (v - cs.Means[j]) / (stdMultiplier * cs.Stds[j])
			row[scalar] = float32(math.Max(-scalarClip, math.Min(scalarClip, x)))
			row[mode+j] = 1
		}
	})
	return ctx.Err()
}

// decoded holds decoded rows column by column before they become a table: continuous values
// (column units, already clipped and rounded) or category indexes, and null marks.
type decoded struct {
	n      int
	vals   [][]float64
	cats   [][]int32
	nulls  [][]bool
	broken []bool // rows that break an enforced rule (nil: none)
}

// decode turns raw decoder outputs (n×Width, before any activation) into values. For a
// continuous column the scalar is tanh(output) plus Gaussian noise of the learned σ for that
// position (sigmas, len Width), clipped to ±1; the value is scalar·4σ_k + μ_k for the mode k,
// clipped to the training range and rounded. Modes (sampleModes) and categories (sampleCats)
// are drawn from the softmax of their span, or else are its arg-max (SDV's choice); the null
// flag is always drawn. Derived columns are computed from their sources at the end.
func (tr *Transformer) decode(out nn.Mat[float32], sigmas []float32, rng *nn.RNG, sampleModes, sampleCats bool) *decoded {
	n := out.Rows
	d := &decoded{n: n, vals: make([][]float64, len(tr.Columns)), cats: make([][]int32, len(tr.Columns)), nulls: make([][]bool, len(tr.Columns))}
	for i, cs := range tr.Columns {
		if cs.Kind == KindDiscrete {
			d.cats[i] = make([]int32, n)
		} else {
			d.vals[i] = make([]float64, n)
			if cs.Nullable {
				d.nulls[i] = make([]bool, n)
			}
		}
	}
	p := make([]float32, 0, 16)
	for r := range n {
		row := out.Row(r)
		var scalar float64
		var sc int
		for _, s := range tr.Spans {
			cs := &tr.Columns[s.Column]
			seg := row[s.Start : s.Start+s.Width]
			switch s.Kind {
			case SpanScalar:
				scalar = math.Tanh(float64(seg[0]))
				scalar += float64(sigmas[s.Start]) * rng.NormFloat64()
				scalar = math.Max(-1, math.Min(1, scalar))
				sc = s.Column
			case SpanMode:
				var j int
				if sampleModes {
					p = slices.Grow(p[:0], s.Width)[:s.Width]
					nn.Softmax(seg, p)
					j = drawIndex(p, rng.Float64())
				} else {
					j = argmax(seg)
				}
				if j >= len(cs.Means) {
					d.vals[sc][r] = cs.Atoms[j-len(cs.Means)]
					break
				}
				v := scalar*stdMultiplier*cs.Stds[j] + cs.Means[j]
				d.vals[sc][r] = cs.finish(v)
			case SpanNull:
				p = p[:2]
				nn.Softmax(seg, p)
				d.nulls[s.Column][r] = rng.Float64() < float64(p[1])
			case SpanCategory:
				var j int
				if sampleCats {
					p = slices.Grow(p[:0], s.Width)[:s.Width]
					nn.Softmax(seg, p)
					j = drawIndex(p, rng.Float64())
				} else {
					j = argmax(seg)
				}
				d.cats[s.Column][r] = int32(j)
			}
		}
	}
	tr.derive(d)
	return d
}

// finish clips v to the training range and rounds it as the column's type and decimals say.
func (cs *ColumnSpec) finish(v float64) float64 {
	v = math.Max(cs.Min, math.Min(cs.Max, v))
	switch {
	case cs.Type == datasets.Int || cs.Type == datasets.Timestamp:
		v = math.Round(v)
	case cs.Decimals >= 0:
		p := math.Pow(10, float64(cs.Decimals))
		v = math.Round(v*p) / p
	}
	return v
}

func argmax[T nn.Float](x []T) int {
	j := 0
	for i, v := range x {
		if v > x[j] {
			j = i
		}
	}
	return j
}

func drawIndex[T nn.Float](p []T, u float64) int {
	for i, v := range p {
		u -= float64(v)
		if u < 0 {
			return i
		}
	}
	return len(p) - 1
}

// table builds a table with the training schema from the decoded rows listed in rows (nil:
// all, in order).
func (tr *Transformer) table(d *decoded, rows []int) *datasets.Table {
	if rows == nil {
		rows = make([]int, d.n)
		for i := range rows {
			rows[i] = i
		}
	}
	n := len(rows)
	t := &datasets.Table{Columns: make([]*datasets.Column, len(tr.Columns))}
	for ci, cs := range tr.Columns {
		c := &datasets.Column{Name: cs.Name, Type: cs.Type, Meta: cs.Meta}
		switch cs.Type {
		case datasets.Float:
			c.Floats = make([]float64, n)
		case datasets.Int:
			c.Ints = make([]int64, n)
		case datasets.String:
			c.Strings = make([]string, n)
		case datasets.Bool:
			c.Bools = make([]bool, n)
		case datasets.Timestamp:
			c.Times = make([]int64, n)
		}
		for o, r := range rows {
			if cs.Kind == KindDiscrete {
				j := int(d.cats[ci][r])
				if cs.HasNull && j == len(cs.Categories)-1 {
					c.SetNull(o)
					continue
				}
				setText(c, o, cs.Categories[j])
				continue
			}
			if d.nulls[ci] != nil && d.nulls[ci][r] {
				c.SetNull(o)
				continue
			}
			v := d.vals[ci][r]
			switch cs.Type {
			case datasets.Float:
				c.Floats[o] = v
			case datasets.Int:
				c.Ints[o] = int64(v)
			case datasets.Timestamp:
				c.Times[o] = int64(v)
			case datasets.Bool:
				c.Bools[o] = v >= 0.5
			}
		}
		t.Columns[ci] = c
	}
	return t
}

// setText stores the canonical category text s (see CategoryText) in row i of c.
func setText(c *datasets.Column, i int, s string) {
	switch c.Type {
	case datasets.String:
		c.Strings[i] = s
	case datasets.Bool:
		c.Bools[i] = s == "true"
	case datasets.Int:
		c.Ints[i], _ = strconv.ParseInt(s, 10, 64)
	case datasets.Float:
		c.Floats[i], _ = strconv.ParseFloat(s, 64)
	case datasets.Timestamp:
		c.Times[i], _ = strconv.ParseInt(s, 10, 64)
	}
}

// InverseTransform decodes raw decoder outputs (n×Width) into a table with the training
// schema; see decode for how each span is read. sigmas (len Width) is the noise added to
// scalars (nil: none, which makes InverseTransform the inverse of TransformInto up to the
// ±0.99 clipping).
func (tr *Transformer) InverseTransform(out nn.Mat[float32], sigmas []float32, seed uint64) *datasets.Table {
	if out.Cols != tr.Width {
		panic(fmt.Sprintf("tvae: InverseTransform of %d columns, width %d", out.Cols, tr.Width))
	}
	if sigmas == nil {
		sigmas = make([]float32, tr.Width)
	}
	return tr.table(tr.decode(out, sigmas, nn.NewRNG(seed), false, false), nil)
}
