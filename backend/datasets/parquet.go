package datasets

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"pdmstudio/backend/apperr"
)

// Sanity limits applied when reading and writing. They protect the desktop app from files
// that would exhaust memory; they are far above what the product produces (≤ 100,000 rows).
const (
	// MaxParquetBytes is the largest Parquet file ReadParquet opens.
	MaxParquetBytes int64 = 2 << 30
	// MaxRows is the largest number of rows a Table read from a file may have.
	MaxRows = 20_000_000
	// MaxColumns is the largest number of columns a Table read from a file may have.
	MaxColumns = 4096
	// MaxCells bounds rows × columns of a table read from a file (about 1.6 GB of float64).
	MaxCells = 200_000_000
)

// Parquet key-value metadata keys written by this package.
const (
	// MetaKeyColumns holds a JSON array [{"name","type","meta"}...] in table order: column
	// order, units, kinds and roles. Parquet-go cannot write column-chunk key-value metadata,
	// so the per-column metadata lives here, in the file footer.
	MetaKeyColumns = "pdmstudio.columns"
	// MetaKeyFormat holds the layout version of MetaKeyColumns ("1").
	MetaKeyFormat = "pdmstudio.format"
)

// rowGroupRows is the number of rows per Parquet row group; writeBatch the number of values
// handed to the Parquet writer at once.
const (
	rowGroupRows = 1 << 17
	writeBatch   = 4096
)

type columnHeader struct {
	Name string `json:"name"`
	Type Type   `json:"type"`
	Meta Meta   `json:"meta"`
}

// WriteParquet writes t to path atomically (temporary file in the same directory, fsync,
// rename; the temporary file is removed on any error). See EncodeParquet for the layout.
func WriteParquet(path string, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return EncodeParquet(w, t) })
}

// EncodeParquet writes t as a Parquet file to w: one optional leaf column per table column, in
// table order, zstd-compressed; float → DOUBLE, int → INT64, string → BYTE_ARRAY (STRING,
// dictionary-encoded), bool → BOOLEAN, timestamp → INT64 TIMESTAMP(MILLIS, UTC). Column
// metadata (unit, kind, role, description) and order are stored as key-value metadata under
// MetaKeyColumns; t.Meta entries are stored as key-value metadata as given.
func EncodeParquet(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if len(t.Columns) == 0 {
		return apperr.BadInputf("cannot write a dataset without columns")
	}
	fields := make([]parquet.Field, len(t.Columns))
	headers := make([]columnHeader, len(t.Columns))
	for i, c := range t.Columns {
		var n parquet.Node
		switch c.Type {
		case Float:
			n = parquet.Leaf(parquet.DoubleType)
		case Int:
			n = parquet.Int(64)
		case String:
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		case Bool:
			n = parquet.Leaf(parquet.BooleanType)
		case Timestamp:
			n = parquet.Timestamp(parquet.Millisecond)
		}
		fields[i] = &namedField{Node: parquet.Optional(n), name: c.Name}
		headers[i] = columnHeader{Name: c.Name, Type: c.Type, Meta: c.Meta}
	}
	hdr, err := json.Marshal(headers)
	if err != nil {
		return fmt.Errorf("encode column metadata: %w", err)
	}
	opts := []parquet.WriterOption{
		parquet.NewSchema("pdmstudio", &orderedGroup{fields: fields}),
		parquet.Compression(&parquet.Zstd),
		parquet.CreatedBy("pdmstudio", "1", ""),
		parquet.KeyValueMetadata(MetaKeyFormat, "1"),
		parquet.KeyValueMetadata(MetaKeyColumns, string(hdr)),
	}
	keys := make([]string, 0, len(t.Meta))
	for k := range t.Meta {
		if !strings.HasPrefix(k, "pdmstudio.") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		opts = append(opts, parquet.KeyValueMetadata(k, t.Meta[k]))
	}
	pw := parquet.NewWriter(w, opts...)
	n := t.NumRows()
	buf := make([]parquet.Value, 0, min(n, writeBatch))
	writers := pw.ColumnWriters()
	for start := 0; start < n; start += rowGroupRows {
		end := min(start+rowGroupRows, n)
		for ci, c := range t.Columns {
			// Hand values over in batches: the writer cuts pages only between calls, and its
			// buffers grow slowly past a page's size.
			for from := start; from < end; from += writeBatch {
				buf = appendValues(buf[:0], c, ci, from, min(from+writeBatch, end))
				if _, err := writers[ci].WriteRowValues(buf); err != nil {
					return fmt.Errorf("write column %q: %w", c.Name, err)
				}
			}
		}
		if err := pw.Flush(); err != nil {
			return fmt.Errorf("write row group: %w", err)
		}
		writers = pw.ColumnWriters()
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("finish parquet file: %w", err)
	}
	return nil
}

// appendValues appends rows [start,end) of column c (leaf index ci) as optional Parquet values.
func appendValues(dst []parquet.Value, c *Column, ci, start, end int) []parquet.Value {
	for i := start; i < end; i++ {
		var v parquet.Value
		if c.IsNull(i) || (c.Type == Float && math.IsNaN(c.Floats[i])) {
			dst = append(dst, v.Level(0, 0, ci))
			continue
		}
		switch c.Type {
		case Float:
			v = parquet.DoubleValue(c.Floats[i])
		case Int:
			v = parquet.Int64Value(c.Ints[i])
		case String:
			v = parquet.ByteArrayValue([]byte(c.Strings[i]))
		case Bool:
			v = parquet.BooleanValue(c.Bools[i])
		case Timestamp:
			v = parquet.Int64Value(c.Times[i])
		}
		dst = append(dst, v.Level(0, 1, ci))
	}
	return dst
}

// ReadParquet reads the Parquet file at path into a Table. With columns given, only those
// columns are read (in the order given); an unknown name is a bad-input error. A missing file
// is a not-found error; a file over MaxParquetBytes, or with more than MaxRows rows, is refused
// before its data is read.
func ReadParquet(path string, columns ...string) (*Table, error) {
	f, size, err := openLimited(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := DecodeParquet(f, size, columns...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return t, nil
}

// checkFooter checks a Parquet file's frame before parquet-go reads it: the magic bytes at both
// ends, and a footer length that fits in the file. parquet-go allocates the footer's buffer from
// that length before comparing it with the file size, so one damaged byte there made a small
// file allocate up to 4 GiB (found by FuzzDecodeParquet).
func checkFooter(r io.ReaderAt, size int64) error {
	if size < 12 {
		return apperr.BadInputf("not a readable Parquet file: %d bytes is too small", size)
	}
	var head [4]byte
	var tail [8]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return apperr.BadInputf("not a readable Parquet file: %v", err)
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return apperr.BadInputf("not a readable Parquet file: %v", err)
	}
	if string(head[:]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return apperr.BadInputf("not a readable Parquet file: the PAR1 marks at its start and end are missing (truncated, or another format)")
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n == 0 || n > size-12 {
		return apperr.BadInputf("not a readable Parquet file (damaged): its footer claims %d bytes, the file has %d", n, size)
	}
	return nil
}

// maxPageBytes bounds one page's size before and after decompression. Our writer's pages are a
// few MiB at most (pyarrow and Spark default to 1 MiB); parquet-go allocates what a page header
// claims before checking it.
const maxPageBytes = 64 << 20

// checkPages walks the page headers of every column chunk and checks that each page lies inside
// its chunk and the chunk inside the file, and that no page claims more than maxPageBytes:
// parquet-go allocates a page's buffer from its header (up to 2 GiB for one damaged header, and
// keeps it in a pool) before finding out that the bytes are not there.
func checkPages(r io.ReaderAt, size int64, pf *parquet.File) error {
	proto := &thrift.CompactProtocol{}
	var buf []byte
	for g, rg := range pf.Metadata().RowGroups {
		for c, cc := range rg.Columns {
			md := cc.MetaData
			// parquet-go v0.32's LZ4 decoder doubles its output buffer for as long as a block
			// fails to decode, so one damaged LZ4 page takes all the memory there is.
			if md.Codec == format.Lz4 || md.Codec == format.Lz4Raw {
				return apperr.BadInputf("Parquet files compressed with LZ4 cannot be read (column chunk %d of row group %d); save the file with Snappy, Zstandard or Gzip compression", c, g)
			}
			start := md.DataPageOffset
			if md.DictionaryPageOffset > 0 && md.DictionaryPageOffset < start {
				start = md.DictionaryPageOffset
			}
			end := start + md.TotalCompressedSize
			if start < 4 || md.TotalCompressedSize < 0 || end > size-8 || end < start {
				return apperr.BadInputf("not a readable Parquet file (damaged): column chunk %d of row group %d lies outside the file", c, g)
			}
			for off := start; off < end; {
				h, n, err := readPageHeader(r, off, end, proto, &buf)
				if err != nil {
					return apperr.BadInputf("not a readable Parquet file (damaged): a page header of column chunk %d of row group %d: %v", c, g, err)
				}
				next := off + n + int64(h.CompressedPageSize)
				if h.CompressedPageSize < 0 || next > end {
					return apperr.BadInputf("not a readable Parquet file (damaged): a page of column chunk %d of row group %d runs past its chunk", c, g)
				}
				if h.CompressedPageSize > maxPageBytes || h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxPageBytes {
					return apperr.BadInputf("not a readable Parquet file (damaged): a page of column chunk %d of row group %d claims %d bytes (at most %d MiB)", c, g, h.UncompressedPageSize, maxPageBytes>>20)
				}
				off = next
			}
		}
	}
	return nil
}

// readPageHeader decodes the page header at off (the chunk ends at end) and returns it with its
// length in bytes. It reads the file in one window (4 KiB, doubled up to 1 MiB for headers
// with large statistics) instead of the decoder's many small reads; buf is reused.
func readPageHeader(r io.ReaderAt, off, end int64, proto *thrift.CompactProtocol, buf *[]byte) (format.PageHeader, int64, error) {
	for window := int64(4 << 10); ; window *= 2 {
		w := min(window, end-off)
		if int64(cap(*buf)) < w {
			*buf = make([]byte, w)
		}
		b := (*buf)[:w]
		if _, err := r.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
			return format.PageHeader{}, 0, err
		}
		br := bytes.NewReader(b)
		var h format.PageHeader
		err := thrift.NewDecoder(proto.NewReader(br)).Decode(&h)
		if err == nil {
			return h, w - int64(br.Len()), nil
		}
		if w == end-off || window >= 1<<20 || !(errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
			return format.PageHeader{}, 0, err
		}
	}
}

// FileInfo describes a Parquet file without reading its data.
type FileInfo struct {
	Rows    int64             `json:"rows"`
	Bytes   int64             `json:"bytes"`
	Columns []ColumnInfo      `json:"columns"` // Nulls is -1: not known without reading the data
	Meta    map[string]string `json:"meta,omitempty"`
}

// InspectParquet returns the schema, row count and metadata of the Parquet file at path,
// reading only its footer.
func InspectParquet(path string) (*FileInfo, error) {
	f, size, err := openLimited(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := checkFooter(f, size); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, apperr.BadInputf("%s is not a readable Parquet file: %v", path, err)
	}
	plan, meta, err := planColumns(pf, nil)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	info := &FileInfo{Rows: pf.NumRows(), Bytes: size, Meta: meta}
	for _, p := range plan {
		info.Columns = append(info.Columns, ColumnInfo{Name: p.name, Type: p.typ, Meta: p.meta, Nulls: -1})
	}
	return info, nil
}

func openLimited(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, apperr.NotFoundf("dataset file %s does not exist", path)
		}
		return nil, 0, fmt.Errorf("open %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("stat %s: %w", path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, apperr.BadInputf("%s is a directory, not a dataset file", path)
	}
	if st.Size() > MaxParquetBytes {
		f.Close()
		return nil, 0, apperr.BadInputf("%s is %d MiB; the limit is %d MiB", path, st.Size()>>20, MaxParquetBytes>>20)
	}
	return f, st.Size(), nil
}

// DecodeParquet reads a Parquet file of the given size from r; see ReadParquet. Files written
// by other tools are accepted when every top-level column is a flat (non-nested) leaf of a
// supported type: BOOLEAN; INT32/INT64 (DATE and TIMESTAMP become timestamps, DECIMAL becomes
// float); INT96 (legacy timestamps); FLOAT/DOUBLE; BYTE_ARRAY (as string).
func DecodeParquet(r io.ReaderAt, size int64, columns ...string) (t *Table, err error) {
	defer func() {
		// A corrupt file must not take the app down; parquet-go validates most of what it reads,
		// this is the safety net for what it does not.
		if p := recover(); p != nil {
			t, err = nil, apperr.BadInputf("corrupt Parquet file: %v", p)
		}
	}()
	if size > MaxParquetBytes {
		return nil, apperr.BadInputf("the file is %d MiB; the limit is %d MiB", size>>20, MaxParquetBytes>>20)
	}
	if err := checkFooter(r, size); err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, apperr.BadInputf("not a readable Parquet file: %v", err)
	}
	if err := checkPages(r, size, pf); err != nil {
		return nil, err
	}
	plan, meta, err := planColumns(pf, columns)
	if err != nil {
		return nil, err
	}
	rows := pf.NumRows()
	if rows > MaxRows || rows < 0 {
		return nil, apperr.BadInputf("the file has %d rows; the limit is %d", rows, MaxRows)
	}
	if rows*int64(len(plan)) > MaxCells {
		return nil, apperr.BadInputf("the file has %d rows × %d columns; the limit is %d cells", rows, len(plan), MaxCells)
	}
	t = &Table{Meta: meta}
	for _, p := range plan {
		c, err := readColumn(p, int(rows))
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", p.name, err)
		}
		t.Columns = append(t.Columns, c)
	}
	return t, nil
}

// columnPlan says how to read one leaf column of a file.
type columnPlan struct {
	name string
	typ  Type
	meta Meta
	col  *parquet.Column
	conv valueConv
}

type valueConv int

const (
	convDouble valueConv = iota
	convFloat32
	convInt64
	convInt32
	convBool
	convBytes
	convTimeScale // int64 timestamp divided by scale to reach ms
	convDate      // int32 days since epoch
	convInt96
	convDecimal32
	convDecimal64
)

func planColumns(pf *parquet.File, want []string) ([]columnPlan, map[string]string, error) {
	top := pf.Root().Columns()
	if len(top) > MaxColumns {
		return nil, nil, apperr.BadInputf("the file has %d columns; the limit is %d", len(top), MaxColumns)
	}
	var headers []columnHeader
	meta := map[string]string{}
	for _, kv := range pf.Metadata().KeyValueMetadata {
		switch {
		case kv.Key == MetaKeyColumns:
			_ = json.Unmarshal([]byte(kv.Value), &headers) // unreadable metadata only loses units
		case strings.HasPrefix(kv.Key, "pdmstudio."), kv.Key == "ARROW:schema", kv.Key == "pandas":
		default:
			meta[kv.Key] = kv.Value
		}
	}
	if len(meta) == 0 {
		meta = nil
	}
	byName := make(map[string]*parquet.Column, len(top))
	order := make([]string, 0, len(top))
	for _, c := range top {
		byName[c.Name()] = c
		order = append(order, c.Name())
	}
	hdrByName := make(map[string]columnHeader, len(headers))
	if len(headers) == len(top) {
		ok := true
		for _, h := range headers {
			if byName[h.Name] == nil {
				ok = false
			}
			hdrByName[h.Name] = h
		}
		if ok { // the table's own column order, not the file's
			order = order[:0]
			for _, h := range headers {
				order = append(order, h.Name)
			}
		}
	}
	if len(want) > 0 {
		seen := map[string]bool{}
		for _, name := range want {
			if byName[name] == nil {
				return nil, nil, apperr.BadInput(fmt.Sprintf("no column %q in the file", name),
					apperr.FieldError{Field: "columns", Message: fmt.Sprintf("unknown column %q; the file has %s", name, strings.Join(order, ", "))})
			}
			if seen[name] {
				return nil, nil, apperr.BadInputf("column %q is asked for twice", name)
			}
			seen[name] = true
		}
		order = want
	}
	plan := make([]columnPlan, 0, len(order))
	for _, name := range order {
		c := byName[name]
		p := columnPlan{name: name, col: c, meta: hdrByName[name].Meta}
		if err := p.resolve(); err != nil {
			return nil, nil, err
		}
		plan = append(plan, p)
	}
	return plan, meta, nil
}

func (p *columnPlan) resolve() error {
	c := p.col
	if !c.Leaf() || c.Repeated() {
		return apperr.BadInputf("column %q is nested or repeated; only flat columns are supported", p.name)
	}
	typ := c.Type()
	lt := typ.LogicalType()
	ct := typ.ConvertedType()
	unsupported := func() error {
		return apperr.BadInputf("column %q has unsupported Parquet type %s", p.name, typ)
	}
	switch typ.Kind() {
	case parquet.Boolean:
		p.typ, p.conv = Bool, convBool
	case parquet.Float:
		p.typ, p.conv = Float, convFloat32
	case parquet.Double:
		p.typ, p.conv = Float, convDouble
	case parquet.Int96:
		p.typ, p.conv = Timestamp, convInt96
	case parquet.ByteArray:
		if lt != nil {
			if _, ok := lt.Value.(*format.DecimalType); ok {
				return unsupported()
			}
		}
		p.typ, p.conv = String, convBytes
	case parquet.Int32, parquet.Int64:
		is64 := typ.Kind() == parquet.Int64
		p.typ, p.conv = Int, convInt32
		if is64 {
			p.conv = convInt64
		}
		var lv format.LogicalTypeValue
		if lt != nil {
			lv = lt.Value
		}
		switch v := lv.(type) {
		case *format.TimestampType:
			if !is64 {
				return unsupported()
			}
			p.typ, p.conv = Timestamp, convTimeScale
			switch v.Unit.Value.(type) {
			case *format.MilliSeconds:
				p.conv = convInt64 // already ms
			case *format.MicroSeconds, *format.NanoSeconds:
			default:
				return unsupported()
			}
		case *format.DateType:
			p.typ, p.conv = Timestamp, convDate
		case *format.DecimalType:
			p.typ, p.conv = Float, convDecimal32
			if is64 {
				p.conv = convDecimal64
			}
		case nil:
			if ct != nil {
				switch *ct {
				case deprecated.TimestampMillis:
					p.typ, p.conv = Timestamp, convInt64
				case deprecated.TimestampMicros:
					p.typ, p.conv = Timestamp, convTimeScale
				case deprecated.Date:
					p.typ, p.conv = Timestamp, convDate
				}
			}
		}
	default:
		return unsupported()
	}
	return nil
}

// timeScale returns the divisor that turns the column's int64 timestamps into milliseconds.
func (p *columnPlan) timeScale() int64 {
	if lt := p.col.Type().LogicalType(); lt != nil {
		if ts, ok := lt.Value.(*format.TimestampType); ok {
			if _, ok := ts.Unit.Value.(*format.NanoSeconds); ok {
				return 1_000_000
			}
		}
	}
	return 1000
}

func (p *columnPlan) decimalScale() float64 {
	if lt := p.col.Type().LogicalType(); lt != nil {
		if d, ok := lt.Value.(*format.DecimalType); ok {
			return math.Pow10(int(d.Scale))
		}
	}
	return 1
}

func readColumn(p columnPlan, rows int) (*Column, error) {
	// Room grows with the values really decoded, not with the row count the footer claims: a
	// damaged footer must not make a small file allocate gigabytes.
	c := newEmpty(p.name, p.typ, min(rows, 1<<16))
	c.Meta = p.meta
	pages := p.col.Pages()
	defer pages.Close()
	buf := make([]parquet.Value, 4096)
	scale := p.timeScale()
	dscale := p.decimalScale()
	row := 0
	for {
		page, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apperr.BadInputf("corrupt page: %v", err)
		}
		vr := page.Values()
		for {
			n, err := vr.ReadValues(buf)
			if row+n > rows {
				parquet.Release(page)
				return nil, apperr.BadInputf("more values than the %d rows the footer declares", rows)
			}
			if have := c.Len(); row+n > have {
				c.resize(min(rows, max(2*have, row+n)))
			}
			for _, v := range buf[:n] {
				if v.IsNull() {
					c.SetNull(row)
					row++
					continue
				}
				switch p.conv {
				case convDouble:
					c.Floats[row] = v.Double()
					if math.IsNaN(c.Floats[row]) {
						c.SetNull(row)
					}
				case convFloat32:
					c.Floats[row] = float64(v.Float())
					if math.IsNaN(c.Floats[row]) {
						c.SetNull(row)
					}
				case convInt64:
					if p.typ == Timestamp {
						c.Times[row] = v.Int64()
					} else {
						c.Ints[row] = v.Int64()
					}
				case convInt32:
					c.Ints[row] = int64(v.Int32())
				case convBool:
					c.Bools[row] = v.Boolean()
				case convBytes:
					c.Strings[row] = string(v.ByteArray())
				case convTimeScale:
					c.Times[row] = floorDiv(v.Int64(), scale)
				case convDate:
					c.Times[row] = int64(v.Int32()) * 86_400_000
				case convInt96:
					c.Times[row] = int96Millis(v.Int96())
				case convDecimal32:
					c.Floats[row] = float64(v.Int32()) / dscale
				case convDecimal64:
					c.Floats[row] = float64(v.Int64()) / dscale
				}
				row++
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				parquet.Release(page)
				return nil, apperr.BadInputf("corrupt page: %v", err)
			}
		}
		parquet.Release(page)
	}
	if row != rows {
		return nil, apperr.BadInputf("%d values for the %d rows the footer declares", row, rows)
	}
	return c, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// int96Millis converts a legacy INT96 timestamp (nanoseconds of day, Julian day) to Unix ms.
func int96Millis(v deprecated.Int96) int64 {
	nanos := int64(uint64(v[1])<<32 | uint64(v[0]))
	day := int64(v[2])
	return (day-2_440_588)*86_400_000 + nanos/1_000_000
}

// orderedGroup is a Parquet group node whose fields keep the order given (parquet.Group is a
// map and sorts its fields by name; a dataset's column order matters to people).
type orderedGroup struct{ fields []parquet.Field }

func (g *orderedGroup) asGroup() parquet.Group {
	m := make(parquet.Group, len(g.fields))
	for _, f := range g.fields {
		m[f.Name()] = f
	}
	return m
}

func (g *orderedGroup) ID() int                     { return 0 }
func (g *orderedGroup) String() string              { return g.asGroup().String() }
func (g *orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g *orderedGroup) Optional() bool              { return false }
func (g *orderedGroup) Repeated() bool              { return false }
func (g *orderedGroup) Required() bool              { return true }
func (g *orderedGroup) Leaf() bool                  { return false }
func (g *orderedGroup) Fields() []parquet.Field     { return g.fields }
func (g *orderedGroup) Encoding() encoding.Encoding { return nil }
func (g *orderedGroup) Compression() compress.Codec { return nil }
func (g *orderedGroup) GoType() reflect.Type        { return g.asGroup().GoType() }

// namedField gives a node a name inside an orderedGroup.
type namedField struct {
	parquet.Node
	name string
}

func (f *namedField) Name() string { return f.name }

// Value is only used by reflection-based writers, which this package does not use.
func (f *namedField) Value(reflect.Value) reflect.Value { return reflect.Value{} }
