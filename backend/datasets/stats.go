package datasets

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// NullFloat is a float64 that encodes as JSON null when it is NaN or ±Inf (encoding/json
// refuses those), and decodes null as NaN. Go callers use it as a float64 and test with
// math.IsNaN.
type NullFloat float64

// MarshalJSON encodes f as a JSON number, or null when f is not finite.
func (f NullFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON decodes a JSON number, or null as NaN.
func (f *NullFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = NullFloat(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*f = NullFloat(v)
	return nil
}

// Quantiles are selected quantiles of a column, by linear interpolation between order
// statistics (the "type 7" definition used by NumPy and pandas).
type Quantiles struct {
	P01 NullFloat `json:"p01"`
	P05 NullFloat `json:"p05"`
	P25 NullFloat `json:"p25"`
	P50 NullFloat `json:"p50"`
	P75 NullFloat `json:"p75"`
	P95 NullFloat `json:"p95"`
	P99 NullFloat `json:"p99"`
}

// quantileProbs lists the probabilities of Quantiles' fields, in field order.
var quantileProbs = [7]float64{0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99}

// CategoryCount is how often one value occurs in a categorical column.
type CategoryCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// MaxTopCategories is how many of the most frequent values ColumnStats.Top lists.
const MaxTopCategories = 20

// ColumnStats summarises one column.
//
// For float, int and timestamp columns Min, Max, Mean, Std (sample standard deviation, n−1)
// and Quantiles describe the non-null finite values, in the column's unit (timestamps: Unix
// ms). For bool columns Mean is the share of true values. For string and bool columns Distinct
// and Top describe the values. Fields that do not apply, or that have no values to describe,
// are NaN (JSON null) or empty.
type ColumnStats struct {
	Name      string          `json:"name"`
	Type      Type            `json:"type"`
	Meta      Meta            `json:"meta"`
	Count     int             `json:"count"` // non-null values
	Nulls     int             `json:"nulls"`
	Min       NullFloat       `json:"min"`
	Max       NullFloat       `json:"max"`
	Mean      NullFloat       `json:"mean"`
	Std       NullFloat       `json:"std"`
	Quantiles *Quantiles      `json:"quantiles,omitempty"`
	Distinct  int             `json:"distinct,omitempty"`
	Top       []CategoryCount `json:"top,omitempty"`
}

// Describe returns statistics for the named columns of t, or for every column when none is
// named, in order. Columns are summarised in parallel. An unknown name is a bad-input error.
func Describe(t *Table, columns ...string) ([]ColumnStats, error) {
	cols, err := pick(t, columns)
	if err != nil {
		return nil, err
	}
	out := make([]ColumnStats, len(cols))
	parallel(len(cols), func(i int) { out[i] = DescribeColumn(cols[i]) })
	return out, nil
}

// DescribeColumn returns the statistics of one column (see ColumnStats).
func DescribeColumn(c *Column) ColumnStats {
	nan := NullFloat(math.NaN())
	s := ColumnStats{Name: c.Name, Type: c.Type, Meta: c.Meta, Min: nan, Max: nan, Mean: nan, Std: nan}
	n := c.Len()
	s.Nulls = c.NullCount()
	s.Count = n - s.Nulls
	switch c.Type {
	case String:
		counts := map[string]int{}
		for i, v := range c.Strings {
			if !c.IsNull(i) {
				counts[v]++
			}
		}
		s.Distinct, s.Top = topCategories(counts)
	case Bool:
		var trues, falses int
		for i, v := range c.Bools {
			if c.IsNull(i) {
				continue
			}
			if v {
				trues++
			} else {
				falses++
			}
		}
		counts := map[string]int{}
		if trues > 0 {
			counts["true"] = trues
		}
		if falses > 0 {
			counts["false"] = falses
		}
		s.Distinct, s.Top = topCategories(counts)
		if s.Count > 0 {
			s.Mean = NullFloat(float64(trues) / float64(s.Count))
		}
	default:
		vals := numericValues(c, make([]float64, 0, s.Count))
		if len(vals) == 0 {
			return s
		}
		lo, hi, sum := vals[0], vals[0], 0.0
		for _, v := range vals {
			lo = min(lo, v)
			hi = max(hi, v)
			sum += v
		}
		mean := sum / float64(len(vals))
		var ss, comp float64
		for _, v := range vals {
			d := v - mean
			ss += d * d
			comp += d
		}
		s.Min, s.Max, s.Mean = NullFloat(lo), NullFloat(hi), NullFloat(mean)
		if len(vals) > 1 {
			// Corrected two-pass algorithm (Chan, Golub & LeVeque).
			s.Std = NullFloat(math.Sqrt(max(0, (ss-comp*comp/float64(len(vals)))/float64(len(vals)-1))))
		}
		q := quantiles(vals, quantileProbs[:])
		s.Quantiles = &Quantiles{
			P01: NullFloat(q[0]), P05: NullFloat(q[1]), P25: NullFloat(q[2]), P50: NullFloat(q[3]),
			P75: NullFloat(q[4]), P95: NullFloat(q[5]), P99: NullFloat(q[6]),
		}
	}
	return s
}

// numericValues appends the non-null finite values of a float, int or timestamp column.
func numericValues(c *Column, dst []float64) []float64 {
	switch c.Type {
	case Float:
		for i, v := range c.Floats {
			if !c.IsNull(i) && !math.IsNaN(v) && !math.IsInf(v, 0) {
				dst = append(dst, v)
			}
		}
	case Int:
		for i, v := range c.Ints {
			if !c.IsNull(i) {
				dst = append(dst, float64(v))
			}
		}
	case Timestamp:
		for i, v := range c.Times {
			if !c.IsNull(i) {
				dst = append(dst, float64(v))
			}
		}
	}
	return dst
}

func topCategories(counts map[string]int) (int, []CategoryCount) {
	all := make([]CategoryCount, 0, len(counts))
	for v, n := range counts {
		all = append(all, CategoryCount{Value: v, Count: n})
	}
	slices.SortFunc(all, func(a, b CategoryCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if len(all) > MaxTopCategories {
		all = all[:MaxTopCategories]
	}
	return len(counts), all
}

// quantiles returns the type-7 quantiles of vals at the given increasing probabilities. It
// reorders vals in place (multi-selection, expected O(n log k) for k quantiles, not a full sort).
func quantiles(vals []float64, probs []float64) []float64 {
	out := make([]float64, len(probs))
	n := len(vals)
	if n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	// The order statistics needed, ascending and unique.
	ranks := make([]int, 0, 2*len(probs))
	for _, p := range probs {
		lo := int(math.Floor(float64(n-1) * p))
		ranks = append(ranks, lo, min(lo+1, n-1))
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	rng := uint64(0x9E3779B97F4A7C15)
	multiSelect(vals, 0, ranks, &rng)
	for i, p := range probs {
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		a := vals[lo]
		if frac := h - float64(lo); frac > 0 && lo+1 < n {
			out[i] = a + frac*(vals[lo+1]-a)
		} else {
			out[i] = a
		}
	}
	return out
}

// multiSelect reorders a so that for every rank r in ranks (ascending, offset by base), a[r-base]
// holds the value a sorted copy would have there. Three-way partitioning keeps columns with
// many repeated values (states, flags) linear; the pseudo-random pivot avoids quadratic inputs.
func multiSelect(a []float64, base int, ranks []int, rng *uint64) {
	for len(ranks) > 0 {
		if len(a) <= 16 {
			slices.Sort(a)
			return
		}
		*rng ^= *rng << 13
		*rng ^= *rng >> 7
		*rng ^= *rng << 17
		p := a[int(*rng%uint64(len(a)))]
		// Dutch national flag: a[:lt] < p, a[lt:i] == p, a[gt+1:] > p.
		lt, i, gt := 0, 0, len(a)-1
		for i <= gt {
			switch v := a[i]; {
			case v < p:
				a[lt], a[i] = v, a[lt]
				lt++
				i++
			case v > p:
				a[i], a[gt] = a[gt], v
				gt--
			default:
				i++
			}
		}
		// Ranks below lt go left, above gt go right, the rest are in place.
		split := 0
		for split < len(ranks) && ranks[split]-base < lt {
			split++
		}
		right := split
		for right < len(ranks) && ranks[right]-base <= gt {
			right++
		}
		// Recurse into the smaller side's ranks, loop on the other.
		if split > 0 {
			multiSelect(a[:lt], base, ranks[:split], rng)
		}
		ranks = ranks[right:]
		a = a[gt+1:]
		base += gt + 1
	}
}

// pick returns the named columns of t (all when names is empty).
func pick(t *Table, names []string) ([]*Column, error) {
	if len(names) == 0 {
		return t.Columns, nil
	}
	cols := make([]*Column, len(names))
	for i, name := range names {
		c, err := t.Lookup(name)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}

// parallel runs f(0..n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
