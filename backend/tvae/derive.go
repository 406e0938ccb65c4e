package tvae

import (
	"math"
	"slices"

	"pdmstudio/backend/datasets"
)

// Derivation says how a discrete column is computed from another column after sampling
// instead of being modelled. The transformer finds two kinds in the training data:
//
//   - from a continuous source whose values fall in disjoint intervals per category (the seed
//     data's health_state is a step function of degradation, the episode number a step
//     function of the timestamp): Order lists the categories by ascending source value and a
//     value below Bounds[i] (the midpoint between neighbouring intervals) gets Order[i], the
//     rest the last one;
//   - from a discrete source that determines it (episode_end is the same on every row of an
//     episode): Map gives this column's category for every category of the source.
//
// Modelling such a column would let samples contradict the rule (a critical health state at
// wear 0.1, an episode number outside its time span); deriving it keeps the rule exactly and
// spends the network's capacity on the rest.
//
// A step function of a continuous source that is not the time axis (health_state of
// degradation) is enforced rather than derived: the column stays modelled and samples that
// break the rule are rejected (Enforce). Deriving the label from a sampled wear level made
// the label agree less with the sensors than the decoder's own label did (the
// train-on-synthetic check fell by about 0.1 on the seed data); rejecting the rows where the
// decoder contradicts itself keeps the label's link to the sensors and the rule both.
type Derivation struct {
	Source  string    `json:"source"`
	Bounds  []float64 `json:"bounds,omitempty"`
	Order   []int     `json:"order,omitempty"`
	Map     []int     `json:"map,omitempty"`
	Enforce bool      `json:"enforce,omitempty"`
}

// Modelled reports whether the column keeps its span (an enforced rule) or is computed.
func (d *Derivation) Modelled() bool { return d != nil && d.Enforce }

// minDeriveRows is the fewest training rows a rule is trusted on.
const minDeriveRows = 50

// findDerivations marks the discrete columns of cols that follow a rule in t (see
// Derivation). Sources must be free of nulls and not derived from the column itself; a
// column derived from a continuous source is preferred, then from a discrete one with more
// categories (so that two columns that determine each other are not both derived).
func findDerivations(t *datasets.Table, cols []ColumnSpec) {
	n := t.NumRows()
	if n < minDeriveRows {
		return
	}
	codes := make([][]int, len(cols)) // category index per row, discrete columns without nulls
	for i, cs := range cols {
		c := t.Columns[i]
		if cs.Kind != KindDiscrete || cs.HasNull || len(cs.Categories) < 2 {
			continue
		}
		index := make(map[string]int, len(cs.Categories))
		for k, v := range cs.Categories {
			index[v] = k
		}
		codes[i] = make([]int, n)
		for r := range n {
			codes[i][r] = index[CategoryText(c, r)]
		}
	}
	for i := range cols {
		if codes[i] == nil {
			continue
		}
		for j, src := range cols {
			if j == i || src.Kind != KindContinuous || src.Nullable || src.Derived != nil {
				continue
			}
			if d := intervalRule(t.Columns[j], codes[i], len(cols[i].Categories)); d != nil {
				d.Source = src.Name
				d.Enforce = src.Meta.Role != datasets.RoleTime
				cols[i].Derived = d
				break
			}
		}
	}
	for i := range cols {
		if codes[i] == nil || cols[i].Derived != nil {
			continue
		}
		for j := range cols {
			if j == i || codes[j] == nil || len(cols[j].Categories) <= len(cols[i].Categories) {
				continue
			}
			if d := cols[j].Derived; d != nil && (d.Source == cols[i].Name || d.Enforce) {
				continue
			}
			if m := mapRule(codes[j], codes[i], len(cols[j].Categories)); m != nil {
				cols[i].Derived = &Derivation{Source: cols[j].Name, Map: m}
				break
			}
		}
	}
}

// intervalRule checks whether the categories (codes, k of them) occupy disjoint intervals of
// the continuous column src and returns the derivation (without Source) if so.
func intervalRule(src *datasets.Column, codes []int, k int) *Derivation {
	lo, hi := make([]float64, k), make([]float64, k)
	for c := range k {
		lo[c], hi[c] = math.Inf(1), math.Inf(-1)
	}
	for r, c := range codes {
		v, ok := number(src, r)
		if !ok {
			return nil
		}
		lo[c], hi[c] = min(lo[c], v), max(hi[c], v)
	}
	order := make([]int, k)
	for c := range order {
		order[c] = c
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case lo[a] < lo[b]:
			return -1
		case lo[a] > lo[b]:
			return 1
		}
		return 0
	})
	bounds := make([]float64, k-1)
	for p := 0; p+1 < k; p++ {
		a, b := order[p], order[p+1]
		if math.IsInf(lo[a], 1) || !(hi[a] < lo[b]) {
			return nil
		}
		bounds[p] = (hi[a] + lo[b]) / 2
	}
	return &Derivation{Bounds: bounds, Order: order}
}

// mapRule checks whether every source category (src codes, k of them) comes with a single
// category of dst and returns that map if so.
func mapRule(src, dst []int, k int) []int {
	m := make([]int, k)
	for c := range m {
		m[c] = -1
	}
	for r, s := range src {
		switch m[s] {
		case -1:
			m[s] = dst[r]
		case dst[r]:
		default:
			return nil
		}
	}
	for c := range m {
		if m[c] < 0 {
			return nil
		}
	}
	return m
}

// intervalOf returns the category a continuous source value v gives under an interval rule.
func (dv *Derivation) intervalOf(v float64) int {
	p, _ := slices.BinarySearch(dv.Bounds, v)
	if p < len(dv.Bounds) && v == dv.Bounds[p] {
		p++ // a value on a bound belongs to the upper interval
	}
	return dv.Order[p]
}

// derive fills the category indexes of the derived columns of d from their sources, sources
// first, and marks in d.broken the rows that break an enforced rule.
func (tr *Transformer) derive(d *decoded) {
	done := make([]bool, len(tr.Columns))
	for i, cs := range tr.Columns {
		done[i] = cs.Derived == nil
		if dv := cs.Derived; dv.Modelled() {
			done[i] = true
			j := slices.IndexFunc(tr.Columns, func(c ColumnSpec) bool { return c.Name == dv.Source })
			if d.broken == nil {
				d.broken = make([]bool, d.n)
			}
			for r, v := range d.vals[j] {
				if dv.intervalOf(v) != int(d.cats[i][r]) {
					d.broken[r] = true
				}
			}
		}
	}
	for pass := 0; pass < len(tr.Columns); pass++ {
		progress := false
		for i, cs := range tr.Columns {
			if done[i] {
				continue
			}
			j := slices.IndexFunc(tr.Columns, func(c ColumnSpec) bool { return c.Name == cs.Derived.Source })
			if !done[j] {
				continue
			}
			out := d.cats[i]
			if dv := cs.Derived; dv.Map != nil {
				for r, s := range d.cats[j] {
					out[r] = int32(dv.Map[s])
				}
			} else {
				for r, v := range d.vals[j] {
					out[r] = int32(dv.intervalOf(v))
				}
			}
			done[i], progress = true, true
		}
		if !progress {
			break
		}
	}
}
