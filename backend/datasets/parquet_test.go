package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

// sampleTable returns a table with every column type, nulls in each, tricky values and
// metadata. n ≥ 8.
func sampleTable(t testing.TB, n int) *Table {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	ts := make([]int64, n)
	fl := make([]float64, n)
	in := make([]int64, n)
	st := make([]string, n)
	bo := make([]bool, n)
	words := []string{"idle", "full_load", "°C über Ölstand", "", "quote \" and, comma", "new\nline"}
	for i := 0; i < n; i++ {
		ts[i] = -86_400_000 + int64(i)*60_000 // starts before 1970
		fl[i] = rng.NormFloat64() * 100
		in[i] = rng.Int64N(2000) - 1000
		st[i] = words[i%len(words)]
		bo[i] = i%3 == 0
	}
	fl[1], fl[2], fl[3] = 0.1, 1e-300, math.MaxFloat64
	in[1], in[2] = math.MaxInt64, math.MinInt64
	cols := []*Column{
		NewTimestamp("timestamp", ts, Meta{Role: RoleTime}),
		NewInt("unit", in, Meta{Role: RoleID, Description: "episode"}),
		NewFloat("bearing_temp", fl, Meta{Unit: "°C", Kind: "temperature", Role: RoleSensor}),
		NewString("regime", st, Meta{Role: RoleLabel}),
		NewBool("outlier", bo, Meta{Role: RoleFlag}),
	}
	for k, c := range cols {
		c.SetNull(4 + k%3)
		c.SetNull(n - 1 - k)
	}
	tb, err := NewTable(cols...)
	if err != nil {
		t.Fatal(err)
	}
	tb.Meta = map[string]string{"generator": "test", "seed": "42"}
	return tb
}

func assertTablesEqual(t *testing.T, want, got *Table) {
	t.Helper()
	if len(want.Columns) != len(got.Columns) {
		t.Fatalf("got %d columns, want %d", len(got.Columns), len(want.Columns))
	}
	if want.NumRows() != got.NumRows() {
		t.Fatalf("got %d rows, want %d", got.NumRows(), want.NumRows())
	}
	for j, wc := range want.Columns {
		gc := got.Columns[j]
		if wc.Name != gc.Name || wc.Type != gc.Type || wc.Meta != gc.Meta {
			t.Fatalf("column %d: got %s %s %+v, want %s %s %+v", j, gc.Name, gc.Type, gc.Meta, wc.Name, wc.Type, wc.Meta)
		}
		for i := 0; i < wc.Len(); i++ {
			if wc.IsNull(i) != gc.IsNull(i) {
				t.Fatalf("column %s row %d: null %v, want %v", wc.Name, i, gc.IsNull(i), wc.IsNull(i))
			}
			if wv, gv := wc.Value(i), gc.Value(i); wv != gv {
				t.Fatalf("column %s row %d: got %#v, want %#v", wc.Name, i, gv, wv)
			}
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	for _, n := range []int{8, 1000, rowGroupRows + 1234} { // the last spans two row groups
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			want := sampleTable(t, n)
			path := filepath.Join(t.TempDir(), "seed.parquet")
			if err := WriteParquet(path, want); err != nil {
				t.Fatal(err)
			}
			got, err := ReadParquet(path)
			if err != nil {
				t.Fatal(err)
			}
			assertTablesEqual(t, want, got)
			if got.Meta["generator"] != "test" || got.Meta["seed"] != "42" || len(got.Meta) != 2 {
				t.Errorf("table metadata = %v", got.Meta)
			}
			info, err := InspectParquet(path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Rows != int64(n) || len(info.Columns) != 5 || info.Columns[2].Meta.Unit != "°C" {
				t.Errorf("InspectParquet = %+v", info)
			}
		})
	}
}

func TestReadParquetProjection(t *testing.T) {
	want := sampleTable(t, 100)
	path := filepath.Join(t.TempDir(), "p.parquet")
	if err := WriteParquet(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(path, "outlier", "bearing_temp")
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := NewTable(want.Column("outlier"), want.Column("bearing_temp"))
	assertTablesEqual(t, sub, got)

	tests := []struct {
		name string
		path string
		cols []string
		kind apperr.Kind
		msg  string
	}{
		{"unknown column", path, []string{"nope"}, apperr.KindBadInput, `no column "nope"`},
		{"column twice", path, []string{"unit", "unit"}, apperr.KindBadInput, "twice"},
		{"missing file", filepath.Join(t.TempDir(), "none.parquet"), nil, apperr.KindNotFound, "does not exist"},
		{"directory", t.TempDir(), nil, apperr.KindBadInput, "directory"},
		{"not parquet", writeTemp(t, "x.parquet", "a,b\n1,2\n"), nil, apperr.KindBadInput, "not a readable Parquet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadParquet(tc.path, tc.cols...)
			if err == nil || apperr.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v (%s), want %s containing %q", err, apperr.KindOf(err), tc.kind, tc.msg)
			}
		})
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteParquetRejectsBadTables(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		tb   *Table
	}{
		{"no columns", &Table{}},
		{"ragged", &Table{Columns: []*Column{NewInt("a", []int64{1, 2}, Meta{}), NewInt("b", []int64{1}, Meta{})}}},
		{"duplicate", &Table{Columns: []*Column{NewInt("a", []int64{1}, Meta{}), NewInt("a", []int64{1}, Meta{})}}},
		{"empty name", &Table{Columns: []*Column{NewInt("", []int64{1}, Meta{})}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteParquet(filepath.Join(dir, "x.parquet"), tc.tb)
			if apperr.KindOf(err) != apperr.KindBadInput {
				t.Fatalf("err = %v, want bad input", err)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left files behind: %v", ents)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.parquet")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := writeFileAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(bytes.Repeat([]byte("x"), 3<<20)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("existing file changed to %d bytes", len(b))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary file left behind: %v", ents)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file = %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary file left behind: %v", ents)
	}
	if err := WriteParquet(filepath.Join(dir, "missing", "x.parquet"), sampleTable(t, 8)); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}

func TestDecodeParquetLimits(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeParquet(&buf, sampleTable(t, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeParquet(bytes.NewReader(buf.Bytes()), MaxParquetBytes+1); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("oversized file: err = %v", err)
	}
	// A truncated file is bad input, not a panic.
	b := buf.Bytes()[:buf.Len()-20]
	if _, err := DecodeParquet(bytes.NewReader(b), int64(len(b))); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("truncated file: err = %v", err)
	}
}

// TestParquetInteropHyparquet checks that an independent Parquet implementation (hyparquet,
// pure JavaScript) reads what we write with identical values, types, order and metadata.
func TestParquetInteropHyparquet(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("testdata", "interop"))
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "hyparquet", "package.json"))
	}
	if err != nil {
		if os.Getenv("PDMSTUDIO_REQUIRE_RUNTIMES") == "" {
			t.Skipf("node or hyparquet missing (%v); run npm ci in %s", err, dir)
		}
		t.Fatalf("PDMSTUDIO_REQUIRE_RUNTIMES is set but node/hyparquet is missing: %v (run npm ci in %s)", err, dir)
	}
	want := sampleTable(t, 5000)
	path := filepath.Join(t.TempDir(), "interop.parquet")
	if err := WriteParquet(path, want); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "read.mjs"), path)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got struct {
		NumRows int `json:"num_rows"`
		Columns []struct {
			Name, Type, Repetition string
			Logical                *string
		} `json:"columns"`
		Codecs []string                     `json:"codecs"`
		KV     map[string]string            `json:"kv"`
		Rows   []map[string]json.RawMessage `json:"rows"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode node output: %v", err)
	}
	if got.NumRows != want.NumRows() || len(got.Rows) != want.NumRows() {
		t.Fatalf("hyparquet read %d/%d rows, want %d", got.NumRows, len(got.Rows), want.NumRows())
	}
	if len(got.Codecs) != 1 || got.Codecs[0] != "ZSTD" {
		t.Errorf("codecs = %v, want [ZSTD]", got.Codecs)
	}
	wantTypes := map[string][2]string{
		"timestamp": {"INT64", "TIMESTAMP"}, "unit": {"INT64", "INTEGER"}, "bearing_temp": {"DOUBLE", ""},
		"regime": {"BYTE_ARRAY", "STRING"}, "outlier": {"BOOLEAN", ""},
	}
	for j, c := range got.Columns {
		if c.Name != want.Columns[j].Name {
			t.Errorf("column %d is %q, want %q (order must be kept)", j, c.Name, want.Columns[j].Name)
		}
		lt := ""
		if c.Logical != nil {
			lt = *c.Logical
		}
		if w := wantTypes[c.Name]; c.Type != w[0] || lt != w[1] || c.Repetition != "OPTIONAL" {
			t.Errorf("column %s: %s %s %s, want %v OPTIONAL", c.Name, c.Type, lt, c.Repetition, w)
		}
	}
	var hdr []columnHeader
	if err := json.Unmarshal([]byte(got.KV[MetaKeyColumns]), &hdr); err != nil || len(hdr) != 5 || hdr[2].Meta.Unit != "°C" {
		t.Errorf("column metadata seen by hyparquet = %q (%v)", got.KV[MetaKeyColumns], err)
	}
	if got.KV["seed"] != "42" {
		t.Errorf("kv = %v", got.KV)
	}
	for i, row := range got.Rows {
		for _, c := range want.Columns {
			raw := row[c.Name]
			if err := sameValue(c, i, raw); err != nil {
				t.Fatalf("row %d column %s: %v", i, c.Name, err)
			}
		}
	}
}

// sameValue compares our value with hyparquet's JSON rendering of it.
func sameValue(c *Column, i int, raw json.RawMessage) error {
	mismatch := func() error { return errors.New("hyparquet has " + string(raw) + ", we have " + c.Text(i)) }
	if c.IsNull(i) {
		if string(raw) != "null" {
			return mismatch()
		}
		return nil
	}
	switch c.Type {
	case Float:
		v, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || v != c.Floats[i] {
			return mismatch()
		}
	case Int, Timestamp:
		var tagged struct {
			Int string
			Ms  *int64
		}
		if err := json.Unmarshal(raw, &tagged); err != nil {
			return mismatch()
		}
		if c.Type == Int && tagged.Int != strconv.FormatInt(c.Ints[i], 10) {
			return mismatch()
		}
		if c.Type == Timestamp && (tagged.Ms == nil || *tagged.Ms != c.Times[i]) {
			return mismatch()
		}
	case String:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s != c.Strings[i] {
			return mismatch()
		}
	case Bool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil || b != c.Bools[i] {
			return mismatch()
		}
	}
	return nil
}
