package datasets

import (
	"math"
	"strconv"

	"pdmstudio/backend/apperr"
)

// Correlation is a Pearson correlation matrix: Values[i][j] is r between Columns[i] and
// Columns[j] over the rows where both are non-null (pairwise complete), in [−1, 1], 1 on the
// diagonal; NaN (JSON null) where it is undefined (fewer than 3 complete pairs or a constant
// column). N[i][j] is the number of complete pairs.
type Correlation struct {
	Columns []string      `json:"columns"`
	Values  [][]NullFloat `json:"values"`
	N       [][]int       `json:"n"`
}

// Correlate returns the correlation matrix of the named columns (float, int or bool), or,
// when none is named, of every float and int column whose role is not time or id.
func Correlate(t *Table, columns ...string) (*Correlation, error) {
	var cols []*Column
	if len(columns) == 0 {
		for _, c := range t.Columns {
			if c.Type.Numeric() && c.Meta.Role != RoleID && c.Meta.Role != RoleTime {
				cols = append(cols, c)
			}
		}
	} else {
		var err error
		if cols, err = pick(t, columns); err != nil {
			return nil, err
		}
		for _, c := range cols {
			if c.Type == String || c.Type == Timestamp {
				return nil, apperr.BadInputf("column %q is %s; correlation needs numeric columns", c.Name, c.Type)
			}
		}
	}
	p := len(cols)
	n := t.NumRows()
	// Centre every column on its mean first: the one-pass sums below are then well conditioned.
	centred := make([][]float64, p)
	hasNull := make([]bool, p)
	parallel(p, func(k int) {
		v := make([]float64, n)
		sum, cnt := 0.0, 0
		for i := range v {
			x, ok := cols[k].Number(i)
			if !ok || math.IsInf(x, 0) {
				v[i] = math.NaN()
				hasNull[k] = true
				continue
			}
			v[i] = x
			sum += x
			cnt++
		}
		if cnt > 0 {
			mean := sum / float64(cnt)
			for i := range v {
				v[i] -= mean
			}
		}
		centred[k] = v
	})
	out := &Correlation{Columns: make([]string, p), Values: make([][]NullFloat, p), N: make([][]int, p)}
	for k, c := range cols {
		out.Columns[k] = c.Name
		out.Values[k] = make([]NullFloat, p)
		out.N[k] = make([]int, p)
	}
	parallel(p, func(i int) {
		for j := i; j < p; j++ {
			r, cnt := pearson(centred[i], centred[j], hasNull[i] || hasNull[j])
			if i == j && cnt >= 3 && !math.IsNaN(r) {
				r = 1
			}
			out.Values[i][j], out.Values[j][i] = NullFloat(r), NullFloat(r)
			out.N[i][j], out.N[j][i] = cnt, cnt
		}
	})
	return out, nil
}

func pearson(x, y []float64, nulls bool) (float64, int) {
	var n, sx, sy, sxx, syy, sxy float64
	if nulls {
		for i := range x {
			a, b := x[i], y[i]
			if math.IsNaN(a) || math.IsNaN(b) {
				continue
			}
			n++
			sx += a
			sy += b
			sxx += a * a
			syy += b * b
			sxy += a * b
		}
	} else {
		n = float64(len(x))
		for i := range x {
			a, b := x[i], y[i]
			sx += a
			sy += b
			sxx += a * a
			syy += b * b
			sxy += a * b
		}
	}
	if n < 3 {
		return math.NaN(), int(n)
	}
	vx := sxx - sx*sx/n
	vy := syy - sy*sy/n
	if vx <= 0 || vy <= 0 {
		return math.NaN(), int(n)
	}
	r := (sxy - sx*sy/n) / math.Sqrt(vx*vy)
	return max(-1, min(1, r)), int(n)
}

// MaxPageRows is the most rows Rows returns at once.
const MaxPageRows = 1000

// RowsPage is one page of a table for the data grid. Rows[i][j] is the value of Columns[j]
// (JSON-able, see Column.Value: nil for null, RFC 3339 strings for timestamps).
type RowsPage struct {
	Columns []ColumnInfo `json:"columns"`
	Rows    [][]any      `json:"rows"`
	Offset  int          `json:"offset"`
	Limit   int          `json:"limit"`
	Total   int          `json:"total"`
}

// Rows returns rows [offset, offset+limit) of the named columns (all when none is named).
// limit is 1..MaxPageRows; an offset at or past the end gives an empty page, not an error.
func Rows(t *Table, offset, limit int, columns ...string) (*RowsPage, error) {
	if offset < 0 {
		return nil, apperr.BadInput("offset out of range", apperr.FieldError{Field: "offset", Message: "must be 0 or more"})
	}
	if limit < 1 || limit > MaxPageRows {
		return nil, apperr.BadInput("limit out of range",
			apperr.FieldError{Field: "limit", Message: "must be between 1 and " + strconv.Itoa(MaxPageRows)})
	}
	cols, err := pick(t, columns)
	if err != nil {
		return nil, err
	}
	total := t.NumRows()
	page := &RowsPage{Offset: offset, Limit: limit, Total: total, Columns: make([]ColumnInfo, len(cols)), Rows: [][]any{}}
	for j, c := range cols {
		page.Columns[j] = ColumnInfo{Name: c.Name, Type: c.Type, Meta: c.Meta, Nulls: c.NullCount()}
	}
	for i := offset; i < min(total, offset+limit); i++ {
		row := make([]any, len(cols))
		for j, c := range cols {
			row[j] = c.Value(i)
		}
		page.Rows = append(page.Rows, row)
	}
	return page, nil
}
