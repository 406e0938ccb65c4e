package tvae

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
)

// Limits of Sample.
const (
	MaxSampleRows = 10_000_000
	// MaxTries is the rejection-sampling budget: at most MaxTries rounds of max(n, BatchSize)
	// candidate rows (SDV's max_tries_per_batch).
	MaxTries = 100
)

// Generator is the value of the "generator" metadata key of sampled tables.
const Generator = "pdmstudio-tvae/1"

// Sample draws n synthetic rows (see SampleContext) without a way to cancel.
func (m *Model) Sample(n int, seed uint64, conditions map[string]string) (*datasets.Table, error) {
	return m.SampleContext(context.Background(), n, seed, conditions)
}

// SampleContext draws n synthetic rows with the training table's schema (names, types,
// metadata); the same model, n, seed and conditions give the same rows. Latent vectors are
// standard normal, the decoder's outputs are decoded as InverseTransform says (with the
// learned σ as noise on the scalars).
//
// conditions (may be nil) asks for rows whose discrete columns hold given values, e.g.
// {"health_state": "3"}; values are written as CategoryText writes them (numbers also match
// numerically, so "3.0" finds 3; "" is null). Rows are drawn by rejection, as SDV does: up to
// MaxTries rounds of candidates, keeping those that match. An unknown column, a continuous
// column, a value never seen in training, or too few matching rows within the budget give a
// bad-input error that says which. The table's Meta is the training table's, with
// "generator" = Generator, "seed" and, under conditions, "conditions" ("col=value,…").
func (m *Model) SampleContext(ctx context.Context, n int, seed uint64, conditions map[string]string) (*datasets.Table, error) {
	if n < 1 || n > MaxSampleRows {
		return nil, apperr.BadInput("invalid number of rows", apperr.FieldError{Field: "rows",
			Message: fmt.Sprintf("must be between 1 and %d, got %d", MaxSampleRows, n)})
	}
	conds, err := m.parseConditions(conditions)
	if err != nil {
		return nil, err
	}
	rng := nn.NewRNG(seed)
	tr := m.Transformer
	var out *decoded
	strat := -1
	if st := m.Options.Stratify; len(conds) == 0 && st != "" && st != StratifyNone {
		strat = slices.IndexFunc(tr.Columns, func(c ColumnSpec) bool { return c.Name == st && c.Kind == KindDiscrete })
	}
	switch {
	case len(conds) == 0 && strat < 0:
		if out, err = m.generate(ctx, n, rng); err != nil {
			return nil, err
		}
	case len(conds) == 0:
		if out, err = m.stratified(ctx, n, strat, rng); err != nil {
			return nil, err
		}
	default:
		out = &decoded{}
		chunk := max(n, m.Options.BatchSize)
		budget := MaxTries * chunk
		candidates := 0
		for try := 0; out.n < n; try++ {
			d, err := m.generate(ctx, chunk, rng)
			if err != nil {
				return nil, err
			}
			candidates += chunk
			var keep []int
			for r := range d.n {
				if matches(d, conds, r) {
					keep = append(keep, r)
				}
			}
			keep = keep[:min(len(keep), n-out.n)]
			out.appendRows(d, keep)
			// Give up when the budget is spent, or as soon as the acceptance so far says
			// it would be.
			need := math.Inf(1)
			if out.n > 0 {
				need = float64(candidates) * float64(n) / float64(out.n)
			}
			if out.n < n && (candidates >= budget || (need > float64(budget) && candidates >= budget/10)) {
				return nil, apperr.BadInput("the conditions cannot be met", apperr.FieldError{Field: "conditions",
					Message: fmt.Sprintf("only %d of the %d rows asked for had %s among %d generated rows (%.3g%%); "+
						"the model rarely generates such rows: ask for fewer rows or loosen the conditions",
						out.n, n, conditionText(tr, conds), candidates, 100*float64(out.n)/float64(candidates))})
			}
		}
	}
	t := tr.table(out, nil)
	t.Meta = maps.Clone(m.TableMeta)
	if t.Meta == nil {
		t.Meta = map[string]string{}
	}
	t.Meta["generator"] = Generator
	t.Meta["seed"] = strconv.FormatUint(seed, 10)
	delete(t.Meta, "conditions")
	delete(t.Meta, "stratified_by")
	if len(conds) > 0 {
		t.Meta["conditions"] = conditionText(tr, conds)
	}
	if strat >= 0 {
		t.Meta["stratified_by"] = tr.Columns[strat].Name
	}
	return t, nil
}

// stratifyTries bounds the rounds of candidates stratified sampling draws.
const stratifyTries = 10

// stratified draws n rows whose categories of column col have the training shares (quotas by
// the largest remainder), keeping candidates of a category while its quota is open. When a
// category is still short after stratifyTries rounds of max(n, BatchSize) candidates, the
// rest is filled with the rejected candidates, in order, so that n rows always come back.
func (m *Model) stratified(ctx context.Context, n, col int, rng *nn.RNG) (*decoded, error) {
	shares := m.Transformer.Columns[col].Freqs
	quota := make([]int, len(shares))
	type rem struct {
		frac float64
		k    int
	}
	var rems []rem
	left := n
	for k, f := range shares {
		q := f * float64(n)
		quota[k] = int(q)
		left -= quota[k]
		rems = append(rems, rem{q - float64(quota[k]), k})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for i := 0; i < left; i++ {
		quota[rems[i%len(rems)].k]++
	}
	out := &decoded{}
	chunk := max(n, m.Options.BatchSize)
	var spare *decoded
	var spareRows []int
	for try := 0; try < stratifyTries && out.n < n; try++ {
		d, err := m.generate(ctx, chunk, rng)
		if err != nil {
			return nil, err
		}
		var keep, rest []int
		for r := range d.n {
			if k := d.cats[col][r]; quota[k] > 0 {
				quota[k]--
				keep = append(keep, r)
			} else {
				rest = append(rest, r)
			}
		}
		out.appendRows(d, keep)
		if try == 0 {
			spare, spareRows = d, rest
		}
	}
	if out.n < n { // a category the model rarely makes: fill up with other rows
		out.appendRows(spare, spareRows[:min(len(spareRows), n-out.n)])
	}
	return out, nil
}

// condition asks for category cat of column col.
type condition struct{ col, cat int }

func (m *Model) parseConditions(conditions map[string]string) ([]condition, error) {
	tr := m.Transformer
	var out []condition
	for _, name := range slices.Sorted(maps.Keys(conditions)) {
		value := conditions[name]
		field := "conditions." + name
		col := slices.IndexFunc(tr.Columns, func(c ColumnSpec) bool { return c.Name == name })
		if col < 0 {
			names := make([]string, len(tr.Columns))
			for i, c := range tr.Columns {
				names[i] = c.Name
			}
			return nil, apperr.BadInput(fmt.Sprintf("cannot sample under a condition on %q", name), apperr.FieldError{Field: field,
				Message: fmt.Sprintf("no column %q in the model's training data (columns: %s)", name, strings.Join(names, ", "))})
		}
		cs := tr.Columns[col]
		if cs.Kind != KindDiscrete {
			return nil, apperr.BadInput(fmt.Sprintf("cannot sample under a condition on %q", name), apperr.FieldError{Field: field,
				Message: fmt.Sprintf("%q is a continuous column; conditions apply to discrete columns only", name)})
		}
		cat := cs.categoryIndex(value)
		if cat < 0 {
			return nil, apperr.BadInput(fmt.Sprintf("cannot sample under a condition on %q", name), apperr.FieldError{Field: field,
				Message: fmt.Sprintf("value %q never occurs in %q in the training data (values: %s)", value, name, cs.categoryList())})
		}
		out = append(out, condition{col, cat})
	}
	return out, nil
}

// categoryIndex finds value among the categories (exact text, then numerically for number
// columns, then as a bool for bool columns); −1 when absent.
func (cs *ColumnSpec) categoryIndex(value string) int {
	cats := cs.Categories
	if cs.HasNull {
		if value == "" {
			return len(cats) - 1
		}
		cats = cats[:len(cats)-1]
	}
	if i := slices.Index(cats, value); i >= 0 {
		return i
	}
	switch cs.Type {
	case datasets.Int, datasets.Float, datasets.Timestamp:
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			for i, c := range cats {
				if w, _ := strconv.ParseFloat(c, 64); w == v {
					return i
				}
			}
		}
	case datasets.Bool:
		if v, err := strconv.ParseBool(strings.TrimSpace(value)); err == nil {
			return slices.Index(cats, strconv.FormatBool(v))
		}
	}
	return -1
}

func (cs *ColumnSpec) categoryList() string {
	var parts []string
	for i, c := range cs.Categories {
		if cs.HasNull && i == len(cs.Categories)-1 {
			c = "(null)"
		}
		parts = append(parts, strconv.Quote(c))
		if len(parts) == 20 && len(cs.Categories) > 21 {
			parts = append(parts, fmt.Sprintf("… %d more", len(cs.Categories)-20))
			break
		}
	}
	return strings.Join(parts, ", ")
}

func conditionText(tr *Transformer, conds []condition) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = tr.Columns[c.col].Name + "=" + tr.Columns[c.col].Categories[c.cat]
	}
	return strings.Join(parts, ",")
}

func matches(d *decoded, conds []condition, r int) bool {
	for _, c := range conds {
		if int(d.cats[c.col][r]) != c.cat {
			return false
		}
	}
	return true
}

// appendRows appends rows of src to d (which may be empty).
func (d *decoded) appendRows(src *decoded, rows []int) {
	if d.vals == nil {
		d.vals = make([][]float64, len(src.vals))
		d.cats = make([][]int32, len(src.cats))
		d.nulls = make([][]bool, len(src.nulls))
	}
	for c := range src.vals {
		for _, r := range rows {
			if src.vals[c] != nil {
				d.vals[c] = append(d.vals[c], src.vals[c][r])
			}
			if src.cats[c] != nil {
				d.cats[c] = append(d.cats[c], src.cats[c][r])
			}
			if src.nulls[c] != nil {
				d.nulls[c] = append(d.nulls[c], src.nulls[c][r])
			}
		}
	}
	d.n += len(rows)
}

// generate decodes n rows from standard-normal latents, in batches of BatchSize.
func (m *Model) generate(ctx context.Context, n int, rng *nn.RNG) (*decoded, error) {
	out := &decoded{}
	var spare *decoded
	var spareRows []int
	for try := 0; try < enforceTries && out.n < n; try++ {
		d, err := m.generateRaw(ctx, max(n-out.n, min(n, m.Options.BatchSize)), rng)
		if err != nil {
			return nil, err
		}
		if d.broken == nil && out.n == 0 && d.n == n {
			return d, nil
		}
		var keep, rest []int
		for r := range d.n {
			if d.broken == nil || !d.broken[r] {
				keep = append(keep, r)
			} else {
				rest = append(rest, r)
			}
		}
		keep = keep[:min(len(keep), n-out.n)]
		out.appendRows(d, keep)
		if spare == nil {
			spare, spareRows = d, rest
		}
	}
	if out.n < n { // the model keeps breaking a rule: fill up with such rows
		out.appendRows(spare, spareRows[:min(len(spareRows), n-out.n)])
	}
	return out, nil
}

// enforceTries bounds the rounds generate draws to replace rows that break an enforced rule.
const enforceTries = 20

// generateRaw decodes n rows, enforced rules unchecked.
func (m *Model) generateRaw(ctx context.Context, n int, rng *nn.RNG) (*decoded, error) {
	raw := nn.NewMat[float32](n, m.Transformer.Width)
	var sigmas []float32
	var err error
	if m.net64 != nil {
		sigmas, err = decodeLatents(ctx, m.net64, raw, m.Options.BatchSize, rng)
	} else {
		sigmas, err = decodeLatents(ctx, m.net32, raw, m.Options.BatchSize, rng)
	}
	if err != nil {
		return nil, err
	}
	d := m.Options.Decoding
	return m.Transformer.decode(raw, sigmas, rng, d != DecodeArgmax, d == DecodeSample), nil
}

// decodeLatents fills raw (n×Width) with decoder outputs for latents drawn as the network
// says (see zMean, zChol) and returns σ as float32.
func decodeLatents[T nn.Float](ctx context.Context, net *network[T], raw nn.Mat[float32], batch int, rng *nn.RNG) ([]float32, error) {
	bs := min(batch, raw.Rows)
	z, eps := nn.NewMat[T](bs, net.emb), nn.NewMat[T](bs, net.emb)
	chol := nn.MatOf(net.emb, net.emb, net.zChol)
	out := nn.NewMat[T](bs, raw.Cols)
	var g []nn.Mat[T]
	for _, l := range net.dec {
		g = append(g, nn.NewMat[T](bs, l.Out))
	}
	for b0 := 0; b0 < raw.Rows; b0 += bs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := min(bs, raw.Rows-b0)
		zr, outr := z.RowSlice(0, r), out.RowSlice(0, r)
		gr := make([]nn.Mat[T], len(g))
		for i := range g {
			gr[i] = g[i].RowSlice(0, r)
		}
		// z = zMean + zChol·ε, row by row: Z = E·zCholᵀ + zMean.
		er := eps.RowSlice(0, r)
		if len(net.mixW) > 0 {
			net.drawMixture(zr, rng)
		} else {
			nn.FillNormal(rng, er.Data)
			for i := range r {
				copy(zr.Row(i), net.zMean)
			}
			nn.Gemm(false, true, er, chol, zr, true)
		}
		net.decode(zr, gr, outr)
		dst := raw.Data[b0*raw.Stride : (b0+r)*raw.Stride]
		for i, v := range outr.Data {
			dst[i] = float32(v)
		}
	}
	sig := make([]float32, len(net.sigma))
	for i, v := range net.sigma {
		sig[i] = float32(v)
	}
	return sig, nil
}
