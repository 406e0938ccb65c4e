package datasets

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pdmstudio/backend/apperr"
)

func TestReadCSVInference(t *testing.T) {
	ms := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMilli()
	}
	tests := []struct {
		name  string
		in    string
		types []Type
		check func(t *testing.T, tb *Table)
	}{
		{"basic", "a,b,c,d,e\n1,1.5,true,x,2024-01-02T03:04:05Z\n2,2,FALSE,y,2024-01-02T03:04:06.250+01:00\n",
			[]Type{Int, Float, Bool, String, Timestamp}, func(t *testing.T, tb *Table) {
				if tb.Column("b").Floats[1] != 2 || !tb.Column("c").Bools[0] || tb.Column("c").Bools[1] {
					t.Errorf("values: %v %v", tb.Column("b").Floats, tb.Column("c").Bools)
				}
				if got := tb.Column("e").Times[1]; got != ms("2024-01-02T02:04:06.25Z") {
					t.Errorf("timestamp with offset = %s", FormatTime(got))
				}
			}},
		{"semicolon and BOM and CRLF", "\xEF\xBB\xBFtemp;name\r\n1.5;a,b\r\n2.5;c\r\n", []Type{Float, String}, func(t *testing.T, tb *Table) {
			if tb.Column("name").Strings[0] != "a,b" {
				t.Errorf("name = %q", tb.Column("name").Strings)
			}
		}},
		{"tab", "x\ty\n1\t2\n", []Type{Int, Int}, nil},
		{"empty cells are null", "a,b,c\n1,,x\n,2.5,\n3, ,y\n", []Type{Int, Float, String}, func(t *testing.T, tb *Table) {
			if !tb.Column("a").IsNull(1) || !tb.Column("b").IsNull(0) || !tb.Column("b").IsNull(2) || !tb.Column("c").IsNull(1) {
				t.Errorf("nulls: %v %v %v", tb.Column("a").Nulls, tb.Column("b").Nulls, tb.Column("c").Nulls)
			}
		}},
		{"all-null column is string", "a,b\n1,\n2,\n", []Type{Int, String}, nil},
		{"NaN is null", "v\n1.5\nNaN\nnan\n", []Type{Float}, func(t *testing.T, tb *Table) {
			if tb.Column("v").NullCount() != 2 {
				t.Errorf("nulls = %v", tb.Column("v").Nulls)
			}
		}},
		{"int widens to float after the sample", "v\n1\n2\n3.5\n", []Type{Float}, func(t *testing.T, tb *Table) {
			if got := tb.Column("v").Floats; got[0] != 1 || got[2] != 3.5 {
				t.Errorf("values = %v", got)
			}
		}},
		{"widening keeps earlier nulls", "v\n1\n\"\"\n3.5\n", []Type{Float}, func(t *testing.T, tb *Table) {
			if c := tb.Column("v"); !c.IsNull(1) || !math.IsNaN(c.Floats[1]) || c.Floats[0] != 1 {
				t.Errorf("values = %v nulls %v", c.Floats, c.Nulls)
			}
		}},
		{"infinity and hex are strings", "a,b\ninf,0x10\n", []Type{String, String}, nil},
		{"numbers with spaces", "a\n 12 \n", []Type{Int}, func(t *testing.T, tb *Table) {
			if tb.Column("a").Ints[0] != 12 {
				t.Error(tb.Column("a").Ints)
			}
		}},
		{"huge int is float", "a\n99999999999999999999\n", []Type{Float}, nil},
		{"mixed int and bool is string", "a\n1\ntrue\n", []Type{String}, nil},
		{"timestamp layouts", "a,b,c,d,e\n2024-01-02 03:04:05,2024-01-02,2024/01/02 03:04,02.01.2024 03:04:05,2024-01-02T03:04\n",
			[]Type{Timestamp, Timestamp, Timestamp, Timestamp, Timestamp}, func(t *testing.T, tb *Table) {
				want := ms("2024-01-02T03:04:05Z")
				if tb.Column("a").Times[0] != want || tb.Column("d").Times[0] != want {
					t.Errorf("a=%s d=%s", FormatTime(tb.Column("a").Times[0]), FormatTime(tb.Column("d").Times[0]))
				}
				if tb.Column("b").Times[0] != ms("2024-01-02T00:00:00Z") || tb.Column("e").Times[0] != ms("2024-01-02T03:04:00Z") {
					t.Error("date-only or minute timestamps wrong")
				}
			}},
		{"header spaces trimmed", " a , b \n1,2\n", []Type{Int, Int}, func(t *testing.T, tb *Table) {
			if tb.Columns[0].Name != "a" || tb.Columns[1].Name != "b" {
				t.Errorf("names %q %q", tb.Columns[0].Name, tb.Columns[1].Name)
			}
		}},
		{"quoted newline", "a,b\n\"x\ny\",1\n", []Type{String, Int}, nil},
		{"separator must repeat in the first data row", "\n|\n0\n", []Type{Int}, func(t *testing.T, tb *Table) {
			if tb.Columns[0].Name != "|" {
				t.Errorf("name = %q", tb.Columns[0].Name)
			}
		}},
		{"pipe separated", "a|b\n1|x\n", []Type{Int, String}, nil},
		{"quoted separators do not count", "\"a;b\",c\n\"1;2\",3\n", []Type{String, Int}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ReadCSV(context.Background(), strings.NewReader(tc.in), CSVOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(tb.Columns) != len(tc.types) {
				t.Fatalf("got %d columns, want %d", len(tb.Columns), len(tc.types))
			}
			for j, c := range tb.Columns {
				if c.Type != tc.types[j] {
					t.Errorf("column %q: type %s, want %s", c.Name, c.Type, tc.types[j])
				}
			}
			if err := tb.Validate(); err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, tb)
			}
		})
	}
}

// A byte-order mark repeated at the start of the file (saved twice with one) is not part of the
// first column's name, which would otherwise not survive a write and read back.
func TestReadCSVStrayByteOrderMark(t *testing.T) {
	tb, err := ReadCSV(context.Background(), strings.NewReader("\ufeff\ufeffa,b\n1,2\n"), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Columns[0].Name != "a" {
		t.Fatalf("first column %q, want \"a\"", tb.Columns[0].Name)
	}
}

func TestReadCSVErrors(t *testing.T) {
	many := "v\n" + strings.Repeat("1\n", 5) + "abc\n"
	tests := []struct {
		name string
		in   string
		opts CSVOptions
		msg  []string // all must appear in the error
	}{
		{"empty", "", CSVOptions{}, []string{"empty"}},
		{"only whitespace", " \n\n", CSVOptions{}, []string{"empty"}},
		{"header only", "a,b\n", CSVOptions{}, []string{"no data rows"}},
		{"missing header", "1,2.5,3\n4,5,6\n", CSVOptions{}, []string{"looks like data", "header"}},
		{"empty header name", "a,,c\n1,2,3\n", CSVOptions{}, []string{"column 2", "no name"}},
		{"header name that is only a byte-order mark", "\ufeff\ufeff,0\n,\n", CSVOptions{}, []string{"column 1", "no name"}},
		{"duplicate header", "a,b,a\n1,2,3\n", CSVOptions{}, []string{`"a"`, "twice", "columns 1 and 3"}},
		{"ragged row", "a,b\n1,2\n3\n", CSVOptions{}, []string{"row 2", "line 3", "1 fields", "header has 2"}},
		{"too many fields", "a,b\n1,2\n3,4,5\n", CSVOptions{}, []string{"row 2", "3 fields"}},
		{"bad number after the sample", many, CSVOptions{InferRows: 5}, []string{"row 6", "line 7", `column "v"`, `"abc"`, "not a whole number", "first 5"}},
		{"bad float after the sample", "v\n1.5\n2.5\nx1\n", CSVOptions{InferRows: 2}, []string{"row 3", `"x1"`, "not a number"}},
		{"bad bool", "v\ntrue\nfalse\nmaybe\n", CSVOptions{InferRows: 2}, []string{"row 3", "true or false"}},
		{"bad timestamp", "v\n2024-01-01\n2024-01-02\nsoon\n", CSVOptions{InferRows: 2}, []string{"row 3", "date/time"}},
		{"latin-1", "name,v\ncaf\xe9,1\n", CSVOptions{}, []string{"line 2", "not UTF-8"}},
		{"utf-16", "\xFF\xFEa\x00,\x00b\x00", CSVOptions{}, []string{"UTF-16"}},
		{"bare quote", "a,b\n1,x\"y\n", CSVOptions{}, []string{"line 2", "character 4"}},
		{"over the size limit", "a\n" + strings.Repeat("1\n", 100), CSVOptions{MaxBytes: 50}, []string{"larger than", "50 bytes"}},
		{"bad separator", "a\n1\n", CSVOptions{Comma: '"'}, []string{"separator"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCSV(context.Background(), strings.NewReader(tc.in), tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if apperr.KindOf(err) != apperr.KindBadInput {
				t.Errorf("kind = %s, want bad input (%v)", apperr.KindOf(err), err)
			}
			for _, m := range tc.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestReadCSVFileSizeCheckedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	// A sparse 2 GiB file: refusing it must not read (or allocate) anything.
	big := filepath.Join(dir, "big.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	start := time.Now()
	_, err = ReadCSVFile(context.Background(), big, CSVOptions{})
	if apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), "2.0 GiB") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing took %v; the size must be checked before reading", d)
	}
	if _, err := ReadCSVFile(context.Background(), filepath.Join(dir, "none.csv"), CSVOptions{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("missing file: err = %v", err)
	}
	ok := writeTemp(t, "ok.csv", "a,b\n1,x\n")
	tb, err := ReadCSVFile(context.Background(), ok, CSVOptions{})
	if err != nil || tb.NumRows() != 1 {
		t.Fatalf("ReadCSVFile = %v, %v", tb, err)
	}
}

func TestReadCSVCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := "a,b\n" + strings.Repeat("1,2\n", 10_000)
	if _, err := ReadCSV(ctx, strings.NewReader(in), CSVOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	want := sampleTable(t, 500)
	// CSV cannot tell an empty string from a null, nor keep units: compare without them.
	for i, s := range want.Column("regime").Strings {
		if s == "" && !want.Column("regime").IsNull(i) {
			want.Column("regime").SetNull(i)
		}
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCSV(context.Background(), &buf, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range want.Columns {
		c.Meta = Meta{}
	}
	assertTablesEqual(t, want, got)

	path := filepath.Join(t.TempDir(), "out.csv")
	if err := WriteCSVFile(path, want); err != nil {
		t.Fatal(err)
	}
	again, err := ReadCSVFile(context.Background(), path, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertTablesEqual(t, want, again)
}

// FuzzReadCSV feeds arbitrary bytes to ReadCSV. It must never panic; when it accepts the input,
// the table must be consistent, and writing it back as CSV and reading that again must give the
// same shape and column types.
func FuzzReadCSV(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,2.5,x\n3,,y\n",
		"temp;name\r\n1,5;a\r\n",
		"\xEF\xBB\xBFt,v\n2024-01-02T03:04:05Z,true\n2024-01-02 03:04:06,false\n",
		"a\n\"x\"\"y\"\n\"multi\nline\"\n",
		"a,b\n1\n",
		"1,2\n3,4\n",
		"v\n1\n2\n3.5\nNaN\n\n",
		"x\ty\n02.01.2024\t-1e10\n",
		"a,b\ncaf\xe9,1\n",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadCSV(context.Background(), bytes.NewReader(data), CSVOptions{InferRows: 3, MaxBytes: 1 << 16})
		if !checkDecoded(t, tb, err) {
			return
		}
		if tb.NumRows() == 0 || len(tb.Columns) == 0 {
			t.Fatalf("accepted a table with %d rows, %d columns", tb.NumRows(), len(tb.Columns))
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tb); err != nil {
			t.Fatalf("write back: %v", err)
		}
		again, err := ReadCSV(context.Background(), &buf, CSVOptions{InferRows: 3, MaxBytes: 1 << 20})
		if err != nil {
			t.Fatalf("cannot read back what we wrote: %v\n%q", err, buf.String())
		}
		if again.NumRows() != tb.NumRows() || len(again.Columns) != len(tb.Columns) {
			t.Fatalf("round trip changed the shape: %dx%d → %dx%d", tb.NumRows(), len(tb.Columns), again.NumRows(), len(again.Columns))
		}
		for j, c := range tb.Columns {
			if again.Columns[j].Type != c.Type || again.Columns[j].Name != c.Name {
				t.Fatalf("round trip changed column %d: %s %s → %s %s", j, c.Name, c.Type, again.Columns[j].Name, again.Columns[j].Type)
			}
		}
	})
}

// checkDecoded is what every parser fuzz target demands of a decode: a refusal is a bad-input
// error, an accepted table is consistent. It reports whether a table was accepted.
func checkDecoded(t *testing.T, tb *Table, err error) bool {
	t.Helper()
	if err != nil {
		if apperr.KindOf(err) != apperr.KindBadInput {
			t.Fatalf("error is not bad input: %v", err)
		}
		return false
	}
	if err := tb.Validate(); err != nil {
		t.Fatalf("inconsistent table: %v", err)
	}
	return true
}
