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
	return takeTable(t, ra), takeTable(t, rb)
}

// takeTable returns the given rows of t.
func takeTable(t *datasets.Table, rows []int) *datasets.Table {
	cols := make([]*datasets.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = takeRows(c, rows)
	}
	out, _ := datasets.NewTable(cols...)
	out.Meta = t.Meta
	return out
}

// takeRows returns column c's values at the given rows.
func takeRows(c *datasets.Column, rows []int) *datasets.Column {
	out := &datasets.Column{Name: c.Name, Type: c.Type, Meta: c.Meta}
	n := len(rows)
	if c.Nulls != nil {
		out.Nulls = make([]bool, n)
		for k, r := range rows {
			out.Nulls[k] = c.Nulls[r]
		}
	}
	switch c.Type {
	case datasets.Float:
		out.Floats = make([]float64, n)
		for k, r := range rows {
			out.Floats[k] = c.Floats[r]
		}
	case datasets.Int:
		out.Ints = make([]int64, n)
		for k, r := range rows {
			out.Ints[k] = c.Ints[r]
		}
	case datasets.String:
		out.Strings = make([]string, n)
		for k, r := range rows {
			out.Strings[k] = c.Strings[r]
		}
	case datasets.Bool:
		out.Bools = make([]bool, n)
		for k, r := range rows {
			out.Bools[k] = c.Bools[r]
		}
	case datasets.Timestamp:
		out.Times = make([]int64, n)
		for k, r := range rows {
			out.Times[k] = c.Times[r]
		}
	}
	return out
}
