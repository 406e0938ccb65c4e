package tvae

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/nn"
)

// Model file layout (little-endian):
//
//	magic    8 bytes  "PDMSTVAE"
//	version  uint32   FormatVersion
//	length   uint64   body length in bytes
//	checksum 32 bytes SHA-256 of the body
//	body:    uint32 header length, header (JSON: options, transformer, loss history,
//	         training rows and metadata, parameter names and sizes), then every parameter's
//	         values in that order as float32 or float64.
//
// Nothing in the file depends on the time or the machine, so the same training gives the
// same bytes.
const (
	FormatVersion = 1
	magic         = "PDMSTVAE"
	prefixLen     = 8 + 4 + 8 + 32
	maxFileSize   = 1 << 30
)

type fileHeader struct {
	Options     Options           `json:"options"`
	Transformer *Transformer      `json:"transformer"`
	LossHistory []float64         `json:"loss_history"`
	TrainRows   int               `json:"train_rows"`
	TableMeta   map[string]string `json:"table_meta"`
	Params      []paramInfo       `json:"params"`
}

type paramInfo struct {
	Name string `json:"name"`
	Len  int    `json:"len"`
}

// Save writes the model to path atomically (a crash leaves the old file or none).
func (m *Model) Save(path string) error {
	f, err := atomicfile.Create(path)
	if err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	defer f.Abort()
	if err := m.Encode(f); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	return nil
}

// Encode writes the model file format (see FormatVersion) to w.
func (m *Model) Encode(w io.Writer) error {
	h := fileHeader{Options: m.Options, Transformer: m.Transformer, LossHistory: m.LossHistory,
		TrainRows: m.TrainRows, TableMeta: m.TableMeta}
	var weights bytes.Buffer
	if m.net64 != nil {
		h.Params = writeParams(&weights, m.net64.tensors())
	} else {
		h.Params = writeParams(&weights, m.net32.tensors())
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	body := make([]byte, 0, 4+len(hj)+weights.Len())
	body = binary.LittleEndian.AppendUint32(body, uint32(len(hj)))
	body = append(body, hj...)
	body = append(body, weights.Bytes()...)
	sum := sha256.Sum256(body)
	prefix := make([]byte, 0, prefixLen)
	prefix = append(prefix, magic...)
	prefix = binary.LittleEndian.AppendUint32(prefix, FormatVersion)
	prefix = binary.LittleEndian.AppendUint64(prefix, uint64(len(body)))
	prefix = append(prefix, sum[:]...)
	if _, err := w.Write(prefix); err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

func writeParams[T nn.Float](w *bytes.Buffer, ps []nn.Param[T]) []paramInfo {
	info := make([]paramInfo, len(ps))
	var b [8]byte
	for i, p := range ps {
		info[i] = paramInfo{p.Name, len(p.Value)}
		for _, v := range p.Value {
			switch x := any(v).(type) {
			case float32:
				binary.LittleEndian.PutUint32(b[:4], math.Float32bits(x))
				w.Write(b[:4])
			case float64:
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
				w.Write(b[:])
			}
		}
	}
	return info
}

// Load reads a model file written by Save. A missing file is a not-found error; a file that
// is not a model, comes from a newer format, is truncated or fails its checksum is a
// bad-input error naming the file and the problem.
func Load(path string) (*Model, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	m, err := Decode(data)
	if err != nil {
		return nil, apperr.As(fmt.Errorf("model file %s: %w", path, err))
	}
	return m, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.NotFoundf("model file %s not found", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open model file %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open model file %s: %w", path, err)
	}
	if st.Size() > maxFileSize {
		return nil, apperr.BadInputf("model file %s is %d bytes, more than a model can be (%d)", path, st.Size(), maxFileSize)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read model file %s: %w", path, err)
	}
	return data, nil
}

// Decode parses the model file format from data; errors are bad input and say what is wrong.
func Decode(data []byte) (*Model, error) {
	if len(data) == 0 {
		return nil, apperr.BadInputf("the file is empty")
	}
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		if len(data) < len(magic) && string(data) == magic[:len(data)] {
			return nil, apperr.BadInputf("truncated: %d bytes, a model file has at least %d", len(data), prefixLen)
		}
		return nil, apperr.BadInputf("not a PdM Studio TVAE model (the file does not start with %q)", magic)
	}
	if len(data) < prefixLen {
		return nil, apperr.BadInputf("truncated: %d bytes, a model file has at least %d", len(data), prefixLen)
	}
	version := binary.LittleEndian.Uint32(data[8:12])
	if version != FormatVersion {
		return nil, apperr.BadInputf("format version %d, this build reads version %d (was it written by a newer PdM Studio?)", version, FormatVersion)
	}
	bodyLen := binary.LittleEndian.Uint64(data[12:20])
	body := data[prefixLen:]
	switch {
	case uint64(len(body)) < bodyLen:
		return nil, apperr.BadInputf("truncated: the header announces %d bytes of model data, only %d are there", bodyLen, len(body))
	case uint64(len(body)) > bodyLen:
		return nil, apperr.BadInputf("corrupted: %d unexpected bytes after the model data", uint64(len(body))-bodyLen)
	}
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[20:52]) {
		return nil, apperr.BadInputf("corrupted: the checksum does not match the contents")
	}
	corrupt := func(format string, args ...any) error {
		return apperr.BadInputf("corrupted: "+format, args...)
	}
	if len(body) < 4 {
		return nil, corrupt("no header")
	}
	hl := uint64(binary.LittleEndian.Uint32(body[:4]))
	if hl > uint64(len(body)-4) {
		return nil, corrupt("header length %d beyond the data", hl)
	}
	var h fileHeader
	if err := json.Unmarshal(body[4:4+hl], &h); err != nil {
		return nil, corrupt("header: %v", err)
	}
	weights := body[4+hl:]
	o, err := h.Options.withDefaults()
	if err != nil {
		return nil, corrupt("options: %v", err)
	}
	if h.Transformer == nil || h.Transformer.Width < 1 {
		return nil, corrupt("no transformer")
	}
	if err := h.Transformer.check(); err != nil {
		return nil, corrupt("transformer: %v", err)
	}
	m := &Model{Options: o, Transformer: h.Transformer, LossHistory: h.LossHistory, TrainRows: h.TrainRows, TableMeta: h.TableMeta}
	rng := nn.NewRNG(0)
	if o.Precision == "float64" {
		m.net64 = newNetwork[float64](h.Transformer.Width, o, rng)
		err = readParams(weights, h.Params, m.net64.tensors())
		if err == nil {
			err = m.net64.checkMixture()
		}
	} else {
		m.net32 = newNetwork[float32](h.Transformer.Width, o, rng)
		err = readParams(weights, h.Params, m.net32.tensors())
		if err == nil {
			err = m.net32.checkMixture()
		}
	}
	if err != nil {
		return nil, corrupt("%v", err)
	}
	return m, nil
}

func readParams[T nn.Float](data []byte, info []paramInfo, ps []nn.Param[T]) error {
	if len(info) != len(ps) {
		return fmt.Errorf("%d parameter tensors, the architecture has %d", len(info), len(ps))
	}
	var zero T
	size := 4
	if _, ok := any(zero).(float64); ok {
		size = 8
	}
	for i, p := range ps {
		if info[i].Name != p.Name || info[i].Len != len(p.Value) {
			return fmt.Errorf("parameter %d is %s[%d], the architecture wants %s[%d]", i, info[i].Name, info[i].Len, p.Name, len(p.Value))
		}
		if len(data) < size*len(p.Value) {
			return fmt.Errorf("parameter %s: weights end early", p.Name)
		}
		for j := range p.Value {
			var v T
			if size == 4 {
				v = T(math.Float32frombits(binary.LittleEndian.Uint32(data[4*j:])))
			} else {
				v = T(math.Float64frombits(binary.LittleEndian.Uint64(data[8*j:])))
			}
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("parameter %s holds %v", p.Name, v)
			}
			p.Value[j] = v
		}
		data = data[size*len(p.Value):]
	}
	if len(data) != 0 {
		return fmt.Errorf("%d bytes after the last parameter", len(data))
	}
	return nil
}

// check verifies the transformer's internal consistency (spans cover the width, every
// column has what its kind needs), so that a crafted file cannot make sampling panic.
func (tr *Transformer) check() error {
	w := 0
	for _, s := range tr.Spans {
		if s.Start != w || s.Width < 1 || s.Column < 0 || s.Column >= len(tr.Columns) {
			return fmt.Errorf("bad span %+v", s)
		}
		w += s.Width
	}
	if w != tr.Width {
		return fmt.Errorf("spans cover %d of %d columns", w, tr.Width)
	}
	for i, cs := range tr.Columns {
		var kinds []SpanKind
		var widths []int
		for _, s := range tr.Spans {
			if s.Column == i {
				kinds, widths = append(kinds, s.Kind), append(widths, s.Width)
			}
		}
		if dv := cs.Derived; dv != nil && !dv.Modelled() {
			src := slices.IndexFunc(tr.Columns, func(c ColumnSpec) bool { return c.Name == dv.Source })
			bad := cs.Kind != KindDiscrete || len(kinds) != 0 || src < 0 || src == i
			if !bad {
				k, from := len(cs.Categories), tr.Columns[src]
				if dv.Map != nil {
					bad = from.Kind != KindDiscrete || len(dv.Map) != len(from.Categories)
					for _, v := range dv.Map {
						bad = bad || v < 0 || v >= k
					}
				} else {
					bad = from.Kind != KindContinuous || len(dv.Order) != k || len(dv.Bounds) != k-1
					for _, v := range dv.Order {
						bad = bad || v < 0 || v >= k
					}
				}
			}
			if bad {
				return fmt.Errorf("column %q: bad derivation", cs.Name)
			}
			continue
		}
		switch cs.Kind {
		case KindDiscrete:
			if len(kinds) != 1 || kinds[0] != SpanCategory || widths[0] != len(cs.Categories) || len(cs.Categories) == 0 {
				return fmt.Errorf("column %q: spans do not match its categories", cs.Name)
			}
		case KindContinuous:
			k := len(cs.Means)
			ok := k > 0 && len(cs.Stds) == k && cs.Mix != nil && len(cs.Mix.M) == k &&
				len(cs.Mix.PrecChol) == k && len(cs.Mix.LogConst) == k &&
				len(kinds) >= 2 && kinds[0] == SpanScalar && kinds[1] == SpanMode && widths[1] == k+len(cs.Atoms)
			if cs.Nullable {
				ok = ok && len(kinds) == 3 && kinds[2] == SpanNull && widths[2] == 2
			} else {
				ok = ok && len(kinds) == 2
			}
			if !ok {
				return fmt.Errorf("column %q: spans do not match its modes", cs.Name)
			}
		default:
			return fmt.Errorf("column %q: unknown kind %q", cs.Name, cs.Kind)
		}
	}
	return nil
}
