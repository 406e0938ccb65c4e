package datasets

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"pdmstudio/backend/apperr"
)

// Histogram limits.
const (
	// DefaultBins is the number of bins HistogramOf uses when asked for 0.
	DefaultBins = 30
	// MaxBins is the most bins HistogramOf accepts.
	MaxBins = 1000
	// MaxCategories is the most categories a categorical histogram lists; the rest are summed
	// into OtherCategory.
	MaxCategories = 50
)

// OtherCategory names the bucket that collects categories beyond MaxCategories.
const OtherCategory = "(other)"

// Histogram counts one column's values in one or more datasets over shared bins, so that the
// datasets can be drawn on the same axis (e.g. seed data against synthetic data).
//
// Numeric columns (float, int, timestamp) have Edges: len(Edges) = bins+1, ascending, in the
// column's unit (timestamps: Unix ms); bin b holds Edges[b] ≤ v < Edges[b+1], the last bin also
// holds v = Edges[bins]. Int columns whose range fits into the requested bins get one bin per
// integer (edges at k−0.5, k+0.5). Categorical columns (string, bool) have Categories instead,
// most frequent first over all datasets. Counts[d][b] is the count of dataset d in bin b;
// Nulls[d] counts the nulls (and non-finite floats) of dataset d, which are in no bin.
type Histogram struct {
	Column      string    `json:"column"`
	Type        Type      `json:"type"`
	Unit        string    `json:"unit,omitempty"`
	Categorical bool      `json:"categorical"`
	Edges       []float64 `json:"edges,omitempty"`
	Categories  []string  `json:"categories,omitempty"`
	Counts      [][]int   `json:"counts"`
	Nulls       []int     `json:"nulls"`
}

// HistogramOf bins column in each of the tables over shared bins (bins = 0 means
// DefaultBins; 1..MaxBins). The column must exist in every table, numeric in all or
// categorical in all.
func HistogramOf(column string, bins int, tables ...*Table) (*Histogram, error) {
	if len(tables) == 0 {
		return nil, apperr.BadInputf("no dataset to draw a histogram of")
	}
	if bins == 0 {
		bins = DefaultBins
	}
	if bins < 1 || bins > MaxBins {
		return nil, apperr.BadInput("bins out of range",
			apperr.FieldError{Field: "bins", Message: "must be between 1 and " + strconv.Itoa(MaxBins)})
	}
	cols := make([]*Column, len(tables))
	for d, t := range tables {
		c, err := t.Lookup(column)
		if err != nil {
			return nil, err
		}
		cols[d] = c
	}
	cat := !numericOrTime(cols[0].Type)
	allInt := true
	for _, c := range cols {
		if numericOrTime(c.Type) == cat {
			return nil, apperr.BadInputf("column %q is numeric in one dataset and categorical in another", column)
		}
		allInt = allInt && c.Type == Int
	}
	h := &Histogram{Column: column, Type: cols[0].Type, Unit: cols[0].Meta.Unit, Categorical: cat,
		Counts: make([][]int, len(cols)), Nulls: make([]int, len(cols))}
	if cat {
		categoricalHistogram(h, cols)
		return h, nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cols {
		forNumbers(c, func(v float64) {
			lo = min(lo, v)
			hi = max(hi, v)
		})
	}
	switch {
	case lo > hi: // no values at all
		lo, hi = 0, 1
	case allInt && hi-lo+1 <= float64(bins):
		bins = int(hi-lo) + 1
		lo, hi = lo-0.5, hi+0.5
	case lo == hi:
		lo, hi = lo-0.5, hi+0.5
	}
	h.Edges = make([]float64, bins+1)
	width := (hi - lo) / float64(bins)
	for b := range h.Edges {
		h.Edges[b] = lo + float64(b)*width
	}
	h.Edges[bins] = hi
	for d, c := range cols {
		counts := make([]int, bins)
		forNumbers(c, func(v float64) {
			b := int((v - lo) / width)
			if b >= bins {
				b = bins - 1
			} else if b < 0 {
				b = 0
			}
			counts[b]++
		})
		h.Counts[d] = counts
		total := 0
		for _, n := range counts {
			total += n
		}
		h.Nulls[d] = c.Len() - total
	}
	return h, nil
}

func numericOrTime(t Type) bool { return t == Float || t == Int || t == Timestamp }

// forNumbers calls f with every non-null finite value of a numeric or timestamp column.
func forNumbers(c *Column, f func(v float64)) {
	switch c.Type {
	case Float:
		for i, v := range c.Floats {
			if !c.IsNull(i) && !math.IsNaN(v) && !math.IsInf(v, 0) {
				f(v)
			}
		}
	case Int:
		for i, v := range c.Ints {
			if !c.IsNull(i) {
				f(float64(v))
			}
		}
	case Timestamp:
		for i, v := range c.Times {
			if !c.IsNull(i) {
				f(float64(v))
			}
		}
	}
}

func categoricalHistogram(h *Histogram, cols []*Column) {
	per := make([]map[string]int, len(cols))
	total := map[string]int{}
	for d, c := range cols {
		m := map[string]int{}
		for i := 0; i < c.Len(); i++ {
			if c.IsNull(i) {
				h.Nulls[d]++
				continue
			}
			var v string
			if c.Type == Bool {
				v = strconv.FormatBool(c.Bools[i])
			} else {
				v = c.Strings[i]
			}
			m[v]++
			total[v]++
		}
		per[d] = m
	}
	cats := make([]string, 0, len(total))
	for v := range total {
		cats = append(cats, v)
	}
	slices.SortFunc(cats, func(a, b string) int {
		if c := cmp.Compare(total[b], total[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	other := false
	if len(cats) > MaxCategories {
		cats = cats[:MaxCategories]
		other = true
	}
	h.Categories = cats
	if other {
		h.Categories = append(append([]string(nil), cats...), OtherCategory)
	}
	for d, m := range per {
		counts := make([]int, len(h.Categories))
		rest := 0
		for _, n := range m {
			rest += n
		}
		for b, v := range cats {
			counts[b] = m[v]
			rest -= m[v]
		}
		if other {
			counts[len(counts)-1] = rest
		}
		h.Counts[d] = counts
	}
}
