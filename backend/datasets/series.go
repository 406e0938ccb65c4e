package datasets

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"pdmstudio/backend/apperr"
)

// Series limits.
const (
	// DefaultMaxPoints is how many points Downsample returns when asked for 0.
	DefaultMaxPoints = 1000
	// MaxSeriesPoints is the most points Downsample returns.
	MaxSeriesPoints = 100_000
)

// SeriesQuery asks for one column as a line-chart series.
type SeriesQuery struct {
	// Y is the numeric column to plot (float, int or bool).
	Y string `json:"y"`
	// X is the column for the horizontal axis (numeric or timestamp). Empty means the first
	// timestamp column, or the row number when there is none.
	X string `json:"x,omitempty"`
	// FilterColumn and FilterValue keep only the rows whose FilterColumn equals FilterValue
	// (compared as the column's type, e.g. "3" matches int 3), e.g. one unit/episode.
	// An empty FilterColumn keeps every row.
	FilterColumn string `json:"filter_column,omitempty"`
	FilterValue  string `json:"filter_value,omitempty"`
	// MaxPoints caps the number of points (3..MaxSeriesPoints; 0 means DefaultMaxPoints).
	MaxPoints int `json:"max_points,omitempty"`
	// XMin and XMax, when set, keep only the rows with XMin ≤ x ≤ XMax (in x's unit: Unix ms
	// for timestamps, the row number without an x column), so a zoomed-in chart gets the full
	// resolution of the range it shows. Total counts the rows in range.
	XMin *float64 `json:"x_min,omitempty"`
	XMax *float64 `json:"x_max,omitempty"`
}

// Series is a downsampled line: X and Y have equal length, X ascending. When XType is
// timestamp, X is Unix milliseconds; when XName is empty, X is the 0-based row number.
type Series struct {
	XName string    `json:"x_name"`
	XType Type      `json:"x_type"`
	YName string    `json:"y_name"`
	Unit  string    `json:"unit,omitempty"`
	X     []float64 `json:"x"`
	Y     []float64 `json:"y"`
	// Total is the number of points (rows passing the filter, with non-null x and y) before
	// downsampling.
	Total int `json:"total"`
}

// Downsample extracts a series from t and reduces it to at most q.MaxPoints points with
// Largest-Triangle-Three-Buckets (LTTB), which keeps the visual shape (peaks, dips, steps)
// that naive decimation loses. Rows with a null x or y are skipped; rows are sorted by x
// first if they are not already in order.
func Downsample(t *Table, q SeriesQuery) (*Series, error) {
	maxPts := q.MaxPoints
	if maxPts == 0 {
		maxPts = DefaultMaxPoints
	}
	if maxPts < 3 || maxPts > MaxSeriesPoints {
		return nil, apperr.BadInput("max_points out of range",
			apperr.FieldError{Field: "max_points", Message: "must be between 3 and " + strconv.Itoa(MaxSeriesPoints)})
	}
	yc, err := t.Lookup(q.Y)
	if err != nil {
		return nil, err
	}
	if yc.Type == String || yc.Type == Timestamp {
		return nil, apperr.BadInputf("column %q is %s; a series needs a numeric column", q.Y, yc.Type)
	}
	var xc *Column
	if q.X != "" {
		if xc, err = t.Lookup(q.X); err != nil {
			return nil, err
		}
		if xc.Type == String || xc.Type == Bool {
			return nil, apperr.BadInputf("column %q is %s; the x axis needs a numeric or timestamp column", q.X, xc.Type)
		}
	} else {
		for _, c := range t.Columns {
			if c.Type == Timestamp {
				xc = c
				break
			}
		}
	}
	keep, err := filterFunc(t, q.FilterColumn, q.FilterValue)
	if err != nil {
		return nil, err
	}
	if q.XMin != nil && q.XMax != nil && *q.XMin > *q.XMax {
		return nil, apperr.BadInput("empty x range", apperr.FieldError{Field: "x_min", Message: "must not be greater than x_max"})
	}
	xlo, xhi := math.Inf(-1), math.Inf(1)
	if q.XMin != nil {
		xlo = *q.XMin
	}
	if q.XMax != nil {
		xhi = *q.XMax
	}
	n := t.NumRows()
	xs := make([]float64, 0, n)
	ys := make([]float64, 0, n)
	sorted := true
	for i := 0; i < n; i++ {
		if keep != nil && !keep(i) {
			continue
		}
		y, ok := yc.Number(i)
		if !ok || math.IsInf(y, 0) {
			continue
		}
		x := float64(i)
		if xc != nil {
			if x, ok = xc.Number(i); !ok || math.IsInf(x, 0) {
				continue
			}
		}
		if x < xlo || x > xhi {
			continue
		}
		if len(xs) > 0 && x < xs[len(xs)-1] {
			sorted = false
		}
		xs = append(xs, x)
		ys = append(ys, y)
	}
	if !sorted {
		sortByX(xs, ys)
	}
	s := &Series{YName: yc.Name, Unit: yc.Meta.Unit, Total: len(xs), XType: Int}
	if xc != nil {
		s.XName, s.XType = xc.Name, xc.Type
	}
	s.X, s.Y = LTTB(xs, ys, maxPts, nil, nil)
	return s, nil
}

func sortByX(xs, ys []float64) {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case xs[a] < xs[b]:
			return -1
		case xs[a] > xs[b]:
			return 1
		}
		return 0
	})
	nx := make([]float64, len(xs))
	ny := make([]float64, len(ys))
	for i, j := range idx {
		nx[i], ny[i] = xs[j], ys[j]
	}
	copy(xs, nx)
	copy(ys, ny)
}

// filterFunc returns a row predicate for "column == value", or nil for no filter.
func filterFunc(t *Table, column, value string) (func(int) bool, error) {
	if column == "" {
		return nil, nil
	}
	c, err := t.Lookup(column)
	if err != nil {
		return nil, err
	}
	bad := func(want string) error {
		return apperr.BadInput("filter value does not match the column's type",
			apperr.FieldError{Field: "filter_value", Message: "column " + strconv.Quote(column) + " holds " + want + "; got " + strconv.Quote(value)})
	}
	v := strings.TrimSpace(value)
	switch c.Type {
	case Int:
		want, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, bad("whole numbers")
		}
		return func(i int) bool { return !c.IsNull(i) && c.Ints[i] == want }, nil
	case Float:
		want, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, bad("numbers")
		}
		return func(i int) bool { return !c.IsNull(i) && c.Floats[i] == want }, nil
	case Bool:
		want, err := strconv.ParseBool(v)
		if err != nil {
			return nil, bad("true/false")
		}
		return func(i int) bool { return !c.IsNull(i) && c.Bools[i] == want }, nil
	case Timestamp:
		tm, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, bad("RFC 3339 timestamps")
		}
		want := tm.UnixMilli()
		return func(i int) bool { return !c.IsNull(i) && c.Times[i] == want }, nil
	default:
		return func(i int) bool { return !c.IsNull(i) && c.Strings[i] == value }, nil
	}
}

// LTTB downsamples the points (x[i], y[i]), x ascending, to at most n points with the
// Largest-Triangle-Three-Buckets algorithm (Steinarsson 2013): the first and last points are
// kept, the rest are split into n−2 buckets, and from each bucket the point forming the largest
// triangle with the previously kept point and the next bucket's average is kept. With n < 3
// or len(x) ≤ n the points are returned unchanged (copied). The result is appended to dstX and
// dstY (which may be nil) and returned. It panics if len(x) != len(y).
func LTTB(x, y []float64, n int, dstX, dstY []float64) ([]float64, []float64) {
	if len(x) != len(y) {
		panic("datasets.LTTB: x and y differ in length")
	}
	if n < 3 || len(x) <= n {
		return append(dstX, x...), append(dstY, y...)
	}
	dstX = slices.Grow(dstX, n)
	dstY = slices.Grow(dstY, n)
	dstX = append(dstX, x[0])
	dstY = append(dstY, y[0])
	every := float64(len(x)-2) / float64(n-2)
	a := 0
	for b := 0; b < n-2; b++ {
		// The next bucket's average point.
		avgStart := int(math.Floor(float64(b+1)*every)) + 1
		avgEnd := min(int(math.Floor(float64(b+2)*every))+1, len(x))
		var avgX, avgY float64
		for i := avgStart; i < avgEnd; i++ {
			avgX += x[i]
			avgY += y[i]
		}
		if cnt := float64(avgEnd - avgStart); cnt > 0 {
			avgX /= cnt
			avgY /= cnt
		} else { // last bucket: the final point
			avgX, avgY = x[len(x)-1], y[len(y)-1]
		}
		// This bucket.
		start := int(math.Floor(float64(b)*every)) + 1
		end := int(math.Floor(float64(b+1)*every)) + 1
		ax, ay := x[a], y[a]
		best, bestArea := start, -1.0
		for i := start; i < end; i++ {
			area := math.Abs((ax-avgX)*(y[i]-ay) - (ax-x[i])*(avgY-ay))
			if area > bestArea {
				bestArea, best = area, i
			}
		}
		dstX = append(dstX, x[best])
		dstY = append(dstY, y[best])
		a = best
	}
	dstX = append(dstX, x[len(x)-1])
	dstY = append(dstY, y[len(y)-1])
	return dstX, dstY
}
