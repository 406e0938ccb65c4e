package ml

import (
	"strconv"

	"pdmstudio/backend/datasets"
)

// MetaBaseRows is the table metadata key under which [Recent] records how many of the rows it
// returns are the group's leading baseline rows rather than recent history.
const MetaBaseRows = "pdmstudio.base_rows"

// Recent returns the rows of t that a prediction at t's last row reads, for rows in time
// order: the last n rows of the last row's group (of the whole table when group is "" or not
// a column of t) and, when base > 0 and that group began before them, the group's first base
// rows ahead of them — the asset's own healthy baseline ([Model.BaseRows]). lead is how many
// rows lead the recent ones; it is also stored in the result's Meta under MetaBaseRows. A
// table that is already short enough is returned as it is (lead 0).
func Recent(t *datasets.Table, group string, n, base int) (out *datasets.Table, lead int) {
	rows := t.NumRows()
	if rows == 0 || n <= 0 {
		return t, 0
	}
	first := 0 // the last row's group starts here
	if g := t.Column(group); g != nil && group != "" {
		same := sameAs(g, rows-1)
		first = rows - 1
		for first > 0 && same(first-1) {
			first--
		}
	}
	lo := max(first, rows-n)
	head := 0
	if base > 0 && lo > first {
		head = min(base, lo-first)
	}
	if lo == 0 {
		return t, 0
	}
	idx := make([]int, 0, head+rows-lo)
	for r := first; r < first+head; r++ {
		idx = append(idx, r)
	}
	for r := lo; r < rows; r++ {
		idx = append(idx, r)
	}
	out = datasets.Take(t, idx)
	out.Meta = make(map[string]string, len(t.Meta)+1)
	for k, v := range t.Meta {
		out.Meta[k] = v
	}
	if head > 0 {
		out.Meta[MetaBaseRows] = strconv.Itoa(head)
	}
	return out, head
}

// BaseRowsOf returns how many leading rows of t are a group's baseline rows that [Recent] put
// ahead of the recent history (0 when none).
func BaseRowsOf(t *datasets.Table) int {
	n, err := strconv.Atoi(t.Meta[MetaBaseRows])
	if err != nil || n < 0 || n > t.NumRows() {
		return 0
	}
	return n
}

// sameAs returns a test of whether a row of c holds the same value as row r (nulls match
// nulls).
func sameAs(c *datasets.Column, r int) func(int) bool {
	if c.Type.Numeric() {
		v, ok := c.Number(r)
		return func(k int) bool {
			w, okk := c.Number(k)
			return ok == okk && (!ok || v == w)
		}
	}
	s := c.Text(r)
	null := c.IsNull(r)
	return func(k int) bool { return c.IsNull(k) == null && c.Text(k) == s }
}
