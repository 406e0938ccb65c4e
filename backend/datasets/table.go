// Package datasets holds tabular data in memory (a columnar Table), reads and writes it as
// Parquet and CSV, and answers the Data Explorer's queries over it: per-column statistics,
// histograms with shared bins, LTTB-downsampled time series, correlation matrices and paged rows.
//
// The package knows nothing about machines, profiles or the data directory: callers pass file
// paths in and get tables or plain, JSON-able results out. Problems a user can cause (a bad file,
// an unknown column, an out-of-range argument) come back as apperr bad-input or not-found
// errors that name the row and column; panics are reserved for programmer errors.
package datasets

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"pdmstudio/backend/apperr"
)

// Type is the logical type of a column.
type Type string

// The column types a Table holds. Timestamps are UTC instants stored as Unix milliseconds.
const (
	Float     Type = "float"
	Int       Type = "int"
	String    Type = "string"
	Bool      Type = "bool"
	Timestamp Type = "timestamp"
)

// Numeric reports whether values of type t are numbers that statistics, histograms and
// correlations treat as continuous (float and int; timestamps are numeric too, in ms).
func (t Type) Numeric() bool { return t == Float || t == Int }

// Meta describes what a column means. All fields are optional. It travels with the column into
// Parquet (file key-value metadata, see WriteParquet) and back.
type Meta struct {
	// Unit of measurement, e.g. "°C", "mm/s", "A", "rpm". Empty for unitless columns.
	Unit string `json:"unit,omitempty"`
	// Kind of quantity, e.g. "temperature", "vibration", "current" (the profile's sensor kind).
	Kind string `json:"kind,omitempty"`
	// Role of the column in a dataset: "time", "id", "context", "sensor", "label", "flag" or ""
	// (unknown).
	Role string `json:"role,omitempty"`
	// Description is a human sentence shown as a tooltip.
	Description string `json:"description,omitempty"`
}

// Column roles used by the seed data and understood by the Data Explorer.
const (
	RoleTime    = "time"    // the time axis
	RoleID      = "id"      // an identifier such as the episode (unit) number
	RoleContext = "context" // operating conditions known at prediction time, e.g. the regime
	RoleSensor  = "sensor"  // a measurement
	RoleLabel   = "label"   // a ground-truth label (health state, RUL, failure mode)
	RoleFlag    = "flag"    // a data-quality flag such as outlier
)

// Column is one named, typed column. Exactly one of the value slices is used, chosen by Type:
// Floats for Float, Ints for Int, Strings for String, Bools for Bool, Times (Unix ms, UTC) for
// Timestamp. Nulls, when non-nil, has the same length and marks missing values; the value slot
// of a null holds the zero value (NaN for floats). A nil Nulls means no value is missing.
type Column struct {
	Name    string    `json:"name"`
	Type    Type      `json:"type"`
	Meta    Meta      `json:"meta"`
	Floats  []float64 `json:"-"`
	Ints    []int64   `json:"-"`
	Strings []string  `json:"-"`
	Bools   []bool    `json:"-"`
	Times   []int64   `json:"-"`
	Nulls   []bool    `json:"-"`
}

// NewFloat returns a float column over vals (not copied). NaN entries become nulls.
func NewFloat(name string, vals []float64, meta Meta) *Column {
	c := &Column{Name: name, Type: Float, Meta: meta, Floats: vals}
	for i, v := range vals {
		if math.IsNaN(v) {
			c.SetNull(i)
		}
	}
	return c
}

// NewInt returns an int column over vals (not copied).
func NewInt(name string, vals []int64, meta Meta) *Column {
	return &Column{Name: name, Type: Int, Meta: meta, Ints: vals}
}

// NewString returns a string column over vals (not copied).
func NewString(name string, vals []string, meta Meta) *Column {
	return &Column{Name: name, Type: String, Meta: meta, Strings: vals}
}

// NewBool returns a bool column over vals (not copied).
func NewBool(name string, vals []bool, meta Meta) *Column {
	return &Column{Name: name, Type: Bool, Meta: meta, Bools: vals}
}

// NewTimestamp returns a timestamp column over vals, Unix milliseconds UTC (not copied).
func NewTimestamp(name string, unixMillis []int64, meta Meta) *Column {
	return &Column{Name: name, Type: Timestamp, Meta: meta, Times: unixMillis}
}

// newEmpty returns a column of type t with n zero values (NaN for floats) and no nulls.
func newEmpty(name string, t Type, n int) *Column {
	c := &Column{Name: name, Type: t}
	switch t {
	case Float:
		c.Floats = make([]float64, n)
	case Int:
		c.Ints = make([]int64, n)
	case String:
		c.Strings = make([]string, n)
	case Bool:
		c.Bools = make([]bool, n)
	case Timestamp:
		c.Times = make([]int64, n)
	}
	return c
}

// resize makes the column n values long (new values zero, not null), keeping what it holds.
func (c *Column) resize(n int) {
	grow := func(k int) int { return max(0, n-k) }
	switch c.Type {
	case Float:
		c.Floats = append(c.Floats[:min(n, len(c.Floats))], make([]float64, grow(len(c.Floats)))...)
	case Int:
		c.Ints = append(c.Ints[:min(n, len(c.Ints))], make([]int64, grow(len(c.Ints)))...)
	case String:
		c.Strings = append(c.Strings[:min(n, len(c.Strings))], make([]string, grow(len(c.Strings)))...)
	case Bool:
		c.Bools = append(c.Bools[:min(n, len(c.Bools))], make([]bool, grow(len(c.Bools)))...)
	case Timestamp:
		c.Times = append(c.Times[:min(n, len(c.Times))], make([]int64, grow(len(c.Times)))...)
	}
	if c.Nulls != nil {
		c.Nulls = append(c.Nulls[:min(n, len(c.Nulls))], make([]bool, grow(len(c.Nulls)))...)
	}
}

// Len returns the number of values in the column.
func (c *Column) Len() int {
	switch c.Type {
	case Float:
		return len(c.Floats)
	case Int:
		return len(c.Ints)
	case String:
		return len(c.Strings)
	case Bool:
		return len(c.Bools)
	case Timestamp:
		return len(c.Times)
	}
	return 0
}

// IsNull reports whether row i is missing.
func (c *Column) IsNull(i int) bool { return c.Nulls != nil && c.Nulls[i] }

// SetNull marks row i as missing (allocating the null mask on first use). For float columns
// the value slot is set to NaN.
func (c *Column) SetNull(i int) {
	if c.Nulls == nil {
		c.Nulls = make([]bool, c.Len())
	}
	c.Nulls[i] = true
	if c.Type == Float {
		c.Floats[i] = math.NaN()
	}
}

// NullCount returns how many rows are missing.
func (c *Column) NullCount() int {
	n := 0
	for _, b := range c.Nulls {
		if b {
			n++
		}
	}
	return n
}

// Number returns row i as a float64 for numeric use: floats as is, ints and timestamps (ms)
// converted, bools as 0/1. ok is false for nulls and for string columns.
func (c *Column) Number(i int) (v float64, ok bool) {
	if c.IsNull(i) {
		return math.NaN(), false
	}
	switch c.Type {
	case Float:
		return c.Floats[i], !math.IsNaN(c.Floats[i])
	case Int:
		return float64(c.Ints[i]), true
	case Timestamp:
		return float64(c.Times[i]), true
	case Bool:
		if c.Bools[i] {
			return 1, true
		}
		return 0, true
	}
	return math.NaN(), false
}

// Value returns row i as a JSON-able value: nil for null, float64, int64, string, bool, or an
// RFC 3339 string (UTC, millisecond precision) for timestamps.
func (c *Column) Value(i int) any {
	if c.IsNull(i) {
		return nil
	}
	switch c.Type {
	case Float:
		if math.IsNaN(c.Floats[i]) || math.IsInf(c.Floats[i], 0) {
			return nil
		}
		return c.Floats[i]
	case Int:
		return c.Ints[i]
	case String:
		return c.Strings[i]
	case Bool:
		return c.Bools[i]
	case Timestamp:
		return FormatTime(c.Times[i])
	}
	return nil
}

// Text returns row i formatted as CSV writes it ("" for null).
func (c *Column) Text(i int) string {
	if c.IsNull(i) {
		return ""
	}
	switch c.Type {
	case Float:
		return formatFloat(c.Floats[i])
	case Int:
		return strconv.FormatInt(c.Ints[i], 10)
	case String:
		return c.Strings[i]
	case Bool:
		return strconv.FormatBool(c.Bools[i])
	case Timestamp:
		return FormatTime(c.Times[i])
	}
	return ""
}

// FormatTime formats Unix milliseconds as RFC 3339 in UTC with millisecond precision.
func FormatTime(unixMillis int64) string {
	return time.UnixMilli(unixMillis).UTC().Format("2006-01-02T15:04:05.000Z")
}

// formatFloat writes v with the fewest digits that round-trip, always with a decimal point or
// exponent so that CSV type inference reads it back as a float, not an int.
func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', 'e', 'E', 'I', 'N':
			return s
		}
	}
	return s + ".0"
}

// Table is an in-memory columnar dataset: named columns of equal length, in order.
type Table struct {
	Columns []*Column
	// Meta is free-form file-level metadata (e.g. "generator", "seed", "machine_id"); it is
	// stored as Parquet key-value metadata. Keys starting with "pdmstudio." are reserved.
	Meta map[string]string
}

// NewTable checks that the columns have unique, non-empty names, known types and equal
// lengths, and returns a table over them (not copied).
func NewTable(cols ...*Column) (*Table, error) {
	t := &Table{Columns: cols}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// Validate checks the table's invariants (see NewTable) and returns a bad-input error naming
// the first offending column.
func (t *Table) Validate() error {
	seen := make(map[string]bool, len(t.Columns))
	for i, c := range t.Columns {
		if c == nil {
			return apperr.BadInputf("column %d is nil", i+1)
		}
		if c.Name == "" {
			return apperr.BadInputf("column %d has an empty name", i+1)
		}
		if seen[c.Name] {
			return apperr.BadInputf("column %q appears twice", c.Name)
		}
		seen[c.Name] = true
		switch c.Type {
		case Float, Int, String, Bool, Timestamp:
		default:
			return apperr.BadInputf("column %q has unknown type %q", c.Name, c.Type)
		}
		if c.Len() != t.Columns[0].Len() {
			return apperr.BadInputf("column %q has %d rows, column %q has %d",
				c.Name, c.Len(), t.Columns[0].Name, t.Columns[0].Len())
		}
		if c.Nulls != nil && len(c.Nulls) != c.Len() {
			return apperr.BadInputf("column %q: null mask has %d entries for %d rows", c.Name, len(c.Nulls), c.Len())
		}
	}
	return nil
}

// NumRows returns the number of rows (0 for a table without columns).
func (t *Table) NumRows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Lookup returns the named column or a bad-input error listing what exists.
func (t *Table) Lookup(name string) (*Column, error) {
	if c := t.Column(name); c != nil {
		return c, nil
	}
	return nil, apperr.BadInput(fmt.Sprintf("no column %q in the dataset", name),
		apperr.FieldError{Field: "column", Message: fmt.Sprintf("unknown column %q", name)})
}

// ColumnInfo is the JSON-able description of a column without its values.
type ColumnInfo struct {
	Name  string `json:"name"`
	Type  Type   `json:"type"`
	Meta  Meta   `json:"meta"`
	Nulls int    `json:"nulls"`
}

// Schema describes every column of t in order.
func (t *Table) Schema() []ColumnInfo {
	out := make([]ColumnInfo, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = ColumnInfo{Name: c.Name, Type: c.Type, Meta: c.Meta, Nulls: c.NullCount()}
	}
	return out
}

// Take returns the given rows of t, in the given order (rows may repeat); the new table shares
// no slices with t and keeps its metadata.
func Take(t *Table, rows []int) *Table {
	cols := make([]*Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = TakeColumn(c, rows)
	}
	out, _ := NewTable(cols...) // same-length columns with unique names: cannot fail
	out.Meta = t.Meta
	return out
}

// TakeColumn returns column c's values at the given rows, in that order.
func TakeColumn(c *Column, rows []int) *Column {
	out := &Column{Name: c.Name, Type: c.Type, Meta: c.Meta}
	if c.Nulls != nil {
		out.Nulls = takeAt(c.Nulls, rows)
	}
	switch c.Type {
	case Float:
		out.Floats = takeAt(c.Floats, rows)
	case Int:
		out.Ints = takeAt(c.Ints, rows)
	case String:
		out.Strings = takeAt(c.Strings, rows)
	case Bool:
		out.Bools = takeAt(c.Bools, rows)
	case Timestamp:
		out.Times = takeAt(c.Times, rows)
	}
	return out
}

func takeAt[T any](v []T, rows []int) []T {
	out := make([]T, len(rows))
	for k, r := range rows {
		out[k] = v[r]
	}
	return out
}
