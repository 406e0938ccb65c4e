package datasets

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"pdmstudio/backend/apperr"
)

// CSV limits and defaults.
const (
	// MaxCSVBytes is the largest CSV file ReadCSVFile accepts; larger files are refused from
	// their size before any byte is read.
	MaxCSVBytes int64 = 512 << 20
	// DefaultInferRows is how many non-empty cells per column type inference looks at.
	DefaultInferRows = 1000

	cancelCheckRows = 4096
)

// CSVOptions tune ReadCSV. The zero value is ready to use.
type CSVOptions struct {
	// Comma is the field separator; 0 detects it from the header line among ',', ';', tab and
	// '|' (the one that occurs most often outside quotes; ',' on a tie or when none occurs).
	Comma rune
	// InferRows is how many non-empty cells of each column decide its type; 0 means
	// DefaultInferRows.
	InferRows int
	// MaxBytes is the size limit; 0 means MaxCSVBytes.
	MaxBytes int64
}

// ReadCSVFile reads a CSV file of the user's own data; see ReadCSV for the rules. The file's
// size is checked with Stat before it is read, and reading stops at the limit regardless, so a
// file that grows while it is read is refused too. A missing file is a not-found error.
func ReadCSVFile(ctx context.Context, path string, opts CSVOptions) (*Table, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = MaxCSVBytes
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, apperr.NotFoundf("CSV file %s does not exist", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, apperr.BadInputf("%s is a directory, not a CSV file", path)
	}
	if st.Size() > limit {
		return nil, tooLarge(st.Size(), limit)
	}
	t, err := ReadCSV(ctx, f, opts)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return t, nil
}

func tooLarge(size, limit int64) error {
	if size < 0 {
		return apperr.BadInputf("the CSV file is larger than the %s limit", humanBytes(limit))
	}
	return apperr.BadInputf("the CSV file is %s; the limit is %s", humanBytes(size), humanBytes(limit))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadCSV reads CSV text (UTF-8, optionally with a byte-order mark) into a Table.
//
// Rules:
//   - The first record is the header: column names, trimmed of spaces, non-empty and unique. A
//     header whose every field is a number is taken for a missing header and refused.
//   - Every record must have as many fields as the header; the error names the row and line.
//   - A cell that is empty or only spaces is null, in every column type. Blank lines are
//     skipped (a one-column file marks a null row with "").
//   - Each column's type is inferred from its first InferRows non-empty cells (spaces trimmed):
//     bool (true/false, any case), else int (base-10 int64), else float (decimal or exponent
//     notation; "NaN" is read as null; infinities are not numbers), else timestamp (RFC 3339,
//     "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02", "2006/01/02 15:04:05",
//     "02.01.2006 15:04:05" and shorter forms; fractional seconds allowed; no zone means UTC),
//     else string. NaN cells do not vote; a column of only nulls and NaNs is a string column.
//   - A later cell that does not fit the inferred type is an error naming its row, line, column
//     and value, except that an int column widens to float when a later cell is a float.
//   - Text that is not UTF-8 (or is UTF-16) is refused with the line of the first bad byte.
//   - Input over the size limit is refused; an empty input or a header without rows too.
//
// Cancelling ctx stops the work within a few thousand rows and returns ctx.Err().
func ReadCSV(ctx context.Context, r io.Reader, opts CSVOptions) (*Table, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = MaxCSVBytes
	}
	inferN := opts.InferRows
	if inferN <= 0 {
		inferN = DefaultInferRows
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(-1, limit)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, apperr.BadInputf("the CSV file is UTF-16 text; save it as UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, apperr.BadInputf("the CSV file is empty")
	}
	if !utf8.Valid(data) {
		return nil, notUTF8(data)
	}
	comma := opts.Comma
	if comma == 0 {
		comma = detectComma(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if err := validComma(comma); err != nil {
		return nil, err
	}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, apperr.BadInputf("the CSV file is empty")
	}
	if err != nil {
		return nil, csvParseError(err)
	}
	names, err := checkHeader(header)
	if err != nil {
		return nil, err
	}
	ncol := len(names)
	cells := make([][]string, ncol)
	var lines []int
	for row := 1; ; row++ {
		if row%cancelCheckRows == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvParseError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != ncol {
			return nil, apperr.BadInputf("row %d (line %d) has %d fields; the header has %d", row, line, len(rec), ncol)
		}
		if row > MaxRows || int64(row)*int64(ncol) > MaxCells {
			return nil, apperr.BadInputf("the CSV file has more than %d rows (or %d cells); the limit was reached at line %d", MaxRows, MaxCells, line)
		}
		for j, s := range rec {
			cells[j] = append(cells[j], s)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return nil, apperr.BadInputf("the CSV file has a header but no data rows")
	}
	t := &Table{Columns: make([]*Column, ncol)}
	for j, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := convertColumn(name, cells[j], lines, inferN)
		if err != nil {
			return nil, err
		}
		t.Columns[j] = c
		cells[j] = nil
	}
	return t, nil
}

func validComma(c rune) error {
	if c == '"' || c == '\r' || c == '\n' || c == utf8.RuneError || c == 0xFEFF || !utf8.ValidRune(c) {
		return apperr.BadInputf("%q cannot be a CSV separator", c)
	}
	return nil
}

func notUTF8(data []byte) error {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return apperr.BadInputf("line %d is not UTF-8 text (byte %d); save the file as UTF-8", line, i+1)
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return apperr.BadInputf("the file is not UTF-8 text; save it as UTF-8")
}

// commaCandidates are the separators detectComma chooses from, in order of preference.
var commaCandidates = []rune{',', ';', '\t', '|'}

// detectComma picks the separator from the first two records (blank lines skipped, quoted text
// ignored): the candidate that occurs most often in the header and exactly as often in the
// first data row; ',' when none does. With only a header line, the most frequent candidate.
func detectComma(data []byte) rune {
	var counts [2][]int
	rec := 0
	inQuote, blank := false, true
	counts[0] = make([]int, len(commaCandidates))
	counts[1] = make([]int, len(commaCandidates))
	for _, r := range string(data) {
		if r == '"' {
			inQuote = !inQuote
			blank = false
			continue
		}
		if inQuote {
			continue
		}
		if r == '\n' {
			if !blank {
				rec++
				if rec == 2 {
					break
				}
			}
			blank = true
			continue
		}
		if r != '\r' {
			blank = false
		}
		for i, c := range commaCandidates {
			if r == c {
				counts[rec][i]++
			}
		}
	}
	if !blank && rec < 2 {
		rec++
	}
	best, bestCount := ',', 0
	for i, c := range commaCandidates {
		n := counts[0][i]
		if rec >= 2 && counts[1][i] != n {
			continue
		}
		if n > bestCount {
			best, bestCount = c, n
		}
	}
	return best
}

func csvParseError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.BadInputf("line %d, character %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("read CSV: %w", err)
}

func checkHeader(header []string) ([]string, error) {
	if len(header) > MaxColumns {
		return nil, apperr.BadInputf("the header has %d columns; the limit is %d", len(header), MaxColumns)
	}
	names := make([]string, len(header))
	seen := make(map[string]int, len(header))
	allNumbers := true
	for j, h := range header {
		// A byte-order mark left inside the text (a file saved twice with one, or files joined)
		// is not part of a name; written back first, it would be read as the file's own mark.
		name := strings.TrimSpace(strings.Trim(strings.TrimSpace(h), "\ufeff"))
		if name == "" {
			return nil, apperr.BadInputf("column %d of the header (line 1) has no name; the first row must name every column", j+1)
		}
		if k, dup := seen[name]; dup {
			return nil, apperr.BadInputf("column name %q appears twice in the header (columns %d and %d)", name, k+1, j+1)
		}
		seen[name] = j
		if _, ok := parseNumber(name); !ok {
			allNumbers = false
		}
		names[j] = name
	}
	if allNumbers {
		return nil, apperr.BadInputf("the first row (%s) looks like data, not a header; add a first row with column names", clip(strings.Join(names, ", ")))
	}
	return names, nil
}

// The candidate types of a cell, as bits.
const (
	canBool = 1 << iota
	canInt
	canFloat
	canTime
)

func convertColumn(name string, cells []string, lines []int, inferN int) (*Column, error) {
	cand := canBool | canInt | canFloat | canTime
	seen := 0
	layout := 0
	for _, s := range cells {
		if seen >= inferN || cand == 0 {
			break
		}
		s = strings.TrimSpace(s)
		if s == "" || strings.EqualFold(s, "nan") { // NaN says "missing number", not which type
			continue
		}
		seen++
		cand &= cellKinds(s, &layout)
	}
	typ := String
	switch {
	case seen == 0:
		typ = String
	case cand&canBool != 0:
		typ = Bool
	case cand&canInt != 0:
		typ = Int
	case cand&canFloat != 0:
		typ = Float
	case cand&canTime != 0:
		typ = Timestamp
	}
	c := newEmpty(name, typ, len(cells))
	for i, raw := range cells {
		s := strings.TrimSpace(raw)
		if s == "" {
			c.SetNull(i)
			continue
		}
		switch c.Type {
		case String:
			c.Strings[i] = raw
		case Bool:
			switch {
			case strings.EqualFold(s, "true"):
				c.Bools[i] = true
			case strings.EqualFold(s, "false"):
			default:
				return nil, cellError(i, lines, name, raw, "true or false", inferN)
			}
		case Int:
			if v, err := strconv.ParseInt(s, 10, 64); err == nil {
				c.Ints[i] = v
				continue
			}
			if _, ok := parseNumber(s); !ok {
				return nil, cellError(i, lines, name, raw, "a whole number", inferN)
			}
			widenToFloat(c, i)
			fallthrough
		case Float:
			v, ok := parseNumber(s)
			if !ok {
				return nil, cellError(i, lines, name, raw, "a number", inferN)
			}
			if math.IsNaN(v) {
				c.SetNull(i)
			} else {
				c.Floats[i] = v
			}
		case Timestamp:
			ms, ok := parseTime(s, &layout)
			if !ok {
				return nil, cellError(i, lines, name, raw, "a date/time", inferN)
			}
			c.Times[i] = ms
		}
	}
	return c, nil
}

// widenToFloat turns int column c into a float column, keeping rows before upto.
func widenToFloat(c *Column, upto int) {
	c.Type = Float
	c.Floats = make([]float64, len(c.Ints))
	for k := 0; k < upto; k++ {
		if c.IsNull(k) {
			c.Floats[k] = math.NaN()
		} else {
			c.Floats[k] = float64(c.Ints[k])
		}
	}
	c.Ints = nil
}

func cellError(i int, lines []int, col, raw, want string, inferN int) error {
	return apperr.BadInput(
		fmt.Sprintf("row %d (line %d), column %q: %q is not %s; the column's type was inferred from its first %d non-empty values",
			i+1, lines[i], col, clip(raw), want, inferN),
		apperr.FieldError{Field: col, Message: fmt.Sprintf("row %d: %q is not %s", i+1, clip(raw), want)})
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

func cellKinds(s string, layout *int) int {
	k := 0
	if strings.EqualFold(s, "true") || strings.EqualFold(s, "false") {
		return canBool
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		k |= canInt | canFloat
	} else if _, ok := parseNumber(s); ok {
		k |= canFloat
	}
	if k == 0 {
		if _, ok := parseTime(s, layout); ok {
			k |= canTime
		}
	}
	return k
}

// parseNumber parses a decimal number (digits, sign, point, exponent) or NaN (→ NaN). Hex
// floats, underscores and infinities are not numbers here.
func parseNumber(s string) (float64, bool) {
	if strings.EqualFold(s, "nan") {
		return math.NaN(), true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// timeLayouts are the timestamp formats CSV import recognises. Parsing accepts fractional
// seconds after the seconds field even where a layout does not show them.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006/01/02",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	"02.01.2006",
}

// parseTime parses s with the known layouts, trying *layout (the last one that worked) first,
// and returns Unix milliseconds. Times without a zone are UTC.
func parseTime(s string, layout *int) (int64, bool) {
	if len(s) < 8 || len(s) > 40 || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	if t, err := time.Parse(timeLayouts[*layout], s); err == nil {
		return t.UnixMilli(), true
	}
	for i, l := range timeLayouts {
		if i == *layout {
			continue
		}
		if t, err := time.Parse(l, s); err == nil {
			*layout = i
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// WriteCSVFile writes t as CSV to path atomically (see WriteCSV).
func WriteCSVFile(path string, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return WriteCSV(w, t) })
}

// WriteCSV writes t as comma-separated UTF-8 text with a header row (RFC 4180, "\n" line
// ends). Nulls are empty cells, floats use the shortest form that round-trips (always with a
// point or exponent, so they read back as floats), timestamps are RFC 3339 UTC with
// milliseconds, bools are true/false. Fields that contain a quote, a line break, a separator
// ReadCSV might detect (, ; tab |) or leading or trailing spaces are quoted, so that ReadCSV
// reads the file back with the same shape. Units are not written (CSV has no place for them).
func WriteCSV(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	single := len(t.Columns) == 1
	for j, c := range t.Columns {
		writeField(bw, c.Name, j, single)
	}
	bw.WriteByte('\n')
	n := t.NumRows()
	for i := 0; i < n; i++ {
		for j, c := range t.Columns {
			writeField(bw, c.Text(i), j, single)
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

func writeField(bw *bufio.Writer, f string, j int, single bool) {
	if j > 0 {
		bw.WriteByte(',')
	}
	quote := (single && f == "") || // a blank line would be skipped on reading
		strings.ContainsAny(f, "\",;\t|\r\n") ||
		(f != "" && (f[0] == ' ' || f[len(f)-1] == ' '))
	if !quote {
		bw.WriteString(f)
		return
	}
	bw.WriteByte('"')
	bw.WriteString(strings.ReplaceAll(f, `"`, `""`))
	bw.WriteByte('"')
}
