package features

import (
	"fmt"
	"math"
	"sort"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
)

// Sequence is the history of one group (asset, episode): the table rows of that group in time
// order.
type Sequence struct {
	// Key is the group column's value as text ("" when the table has no group column).
	Key string
	// Rows are indices into the table, oldest first.
	Rows []int
}

// Sequences splits t into the histories of its groups: rows with the same value in the group
// column, ordered by the order column (stable, so ties and a missing order column keep the
// table's order). Groups come in order of first appearance. An empty group name puts all rows
// into one sequence; an empty order name keeps the table's row order.
//
// The group column may have any type (its text is the key); the order column must be a
// timestamp or a number, and rows where it is null sort first. An unknown column is a bad-input
// error naming the field ("group" or "order").
func Sequences(t *datasets.Table, group, order string) ([]Sequence, error) {
	n := t.NumRows()
	var gcol, ocol *datasets.Column
	if group != "" {
		if gcol = t.Column(group); gcol == nil {
			return nil, apperr.BadInput(fmt.Sprintf("no group column %q in the data", group),
				apperr.FieldError{Field: "group", Message: fmt.Sprintf("unknown column %q", group)})
		}
	}
	if order != "" {
		if ocol = t.Column(order); ocol == nil {
			return nil, apperr.BadInput(fmt.Sprintf("no order column %q in the data", order),
				apperr.FieldError{Field: "order", Message: fmt.Sprintf("unknown column %q", order)})
		}
		if !ocol.Type.Numeric() && ocol.Type != datasets.Timestamp {
			return nil, apperr.BadInput(fmt.Sprintf("order column %q is %s, not a time or a number", order, ocol.Type),
				apperr.FieldError{Field: "order", Message: fmt.Sprintf("column %q must be a timestamp or a number, is %s", order, ocol.Type)})
		}
	}
	var seqs []Sequence
	if gcol == nil {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		seqs = []Sequence{{Rows: rows}}
	} else {
		index := map[string]int{}
		for i := 0; i < n; i++ {
			k := gcol.Text(i)
			j, ok := index[k]
			if !ok {
				j = len(seqs)
				index[k] = j
				seqs = append(seqs, Sequence{Key: k})
			}
			seqs[j].Rows = append(seqs[j].Rows, i)
		}
	}
	if ocol != nil {
		key := func(i int) float64 {
			v, ok := ocol.Number(i)
			if !ok {
				return math.Inf(-1)
			}
			return v
		}
		for _, s := range seqs {
			sort.SliceStable(s.Rows, func(a, b int) bool { return key(s.Rows[a]) < key(s.Rows[b]) })
		}
	}
	return seqs, nil
}
