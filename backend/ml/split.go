package ml

import (
	"pdmstudio/backend/datasets"
)

// SplitGroups splits t by its group column into two tables of whole groups (episodes,
// assets): the groups in order of first appearance alternate between a and b, starting
// with a, so both halves see early and late histories. It returns (t, nil) when t has no
// such column or fewer than minGroups groups.
func SplitGroups(t *datasets.Table, group string, minGroups int) (a, b *datasets.Table) {
	c := t.Column(group)
	if c == nil {
		return t, nil
	}
	index := map[string]int{}
	side := make([]int, t.NumRows())
	for i := range side {
		k := c.Text(i)
		g, ok := index[k]
		if !ok {
			g = len(index)
			index[k] = g
		}
		side[i] = g % 2
	}
	if len(index) < max(2, minGroups) {
		return t, nil
	}
	var ra, rb []int
	for i, s := range side {
		if s == 0 {
			ra = append(ra, i)
		} else {
			rb = append(rb, i)
		}
	}
	return datasets.Take(t, ra), datasets.Take(t, rb)
}
