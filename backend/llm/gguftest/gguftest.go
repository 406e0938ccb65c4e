// Package gguftest writes small GGUF files for tests: a generic writer ([File]) and a tiny,
// randomly initialised llama-architecture language model ([TinyLlama]) that real llama.cpp
// loads and runs at hundreds of tokens per second. The output is gibberish, but every code
// path (load, tokenize, decode, sample, detokenize, chat template) is exercised.
//
// The GGUF layout (version 3, little-endian): magic "GGUF", version, tensor count, key/value
// count, the key/values, the tensor infos (name, dims innermost first, ggml type, offset into
// the data section), padding to the alignment, then the tensor data, each tensor aligned.
package gguftest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Value types of GGUF metadata.
const (
	TypeUint8   uint32 = 0
	TypeInt8    uint32 = 1
	TypeUint16  uint32 = 2
	TypeInt16   uint32 = 3
	TypeUint32  uint32 = 4
	TypeInt32   uint32 = 5
	TypeFloat32 uint32 = 6
	TypeBool    uint32 = 7
	TypeString  uint32 = 8
	TypeArray   uint32 = 9
	TypeUint64  uint32 = 10
	TypeInt64   uint32 = 11
	TypeFloat64 uint32 = 12
)

// GGML tensor types this writer can produce.
const (
	GGMLTypeF32 uint32 = 0
	GGMLTypeF16 uint32 = 1
)

// KV is one metadata entry. Value is one of: uint8, int8, uint16, int16, uint32, int32,
// float32, bool, string, uint64, int64, float64, or a slice of one of those ([]string,
// []float32, []int32, …) for an array.
type KV struct {
	Key   string
	Value any
}

// Tensor is one tensor: Dims innermost first (GGUF's ne[0] is the row length) and F32 data.
type Tensor struct {
	Name string
	Dims []uint64
	Data []float32
	// Type is GGMLTypeF32 (default) or GGMLTypeF16 (the data is converted when written).
	Type uint32
	// OffsetOverride, when non-zero, is written instead of the computed offset (for
	// malformed-file tests).
	OffsetOverride uint64
}

// File is a GGUF file in memory.
type File struct {
	KVs     []KV
	Tensors []Tensor
	// Alignment of the data section and of each tensor; 0 means 32 (GGUF's default).
	Alignment uint64
}

// Get returns the value of key, or nil.
func (f *File) Get(key string) any {
	for _, kv := range f.KVs {
		if kv.Key == key {
			return kv.Value
		}
	}
	return nil
}

// Set replaces the value of key, or appends it.
func (f *File) Set(key string, v any) {
	for i := range f.KVs {
		if f.KVs[i].Key == key {
			f.KVs[i].Value = v
			return
		}
	}
	f.KVs = append(f.KVs, KV{Key: key, Value: v})
}

type writer struct {
	b   bytes.Buffer
	err error
}

func (w *writer) u32(v uint32) { _ = binary.Write(&w.b, binary.LittleEndian, v) }
func (w *writer) u64(v uint64) { _ = binary.Write(&w.b, binary.LittleEndian, v) }
func (w *writer) str(s string) { w.u64(uint64(len(s))); w.b.WriteString(s) }

func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// scalarType returns the GGUF type of a scalar value.
func scalarType(v any) (uint32, bool) {
	switch v.(type) {
	case uint8:
		return TypeUint8, true
	case int8:
		return TypeInt8, true
	case uint16:
		return TypeUint16, true
	case int16:
		return TypeInt16, true
	case uint32:
		return TypeUint32, true
	case int32:
		return TypeInt32, true
	case float32:
		return TypeFloat32, true
	case bool:
		return TypeBool, true
	case string:
		return TypeString, true
	case uint64:
		return TypeUint64, true
	case int64:
		return TypeInt64, true
	case float64:
		return TypeFloat64, true
	}
	return 0, false
}

func (w *writer) scalar(v any) {
	switch x := v.(type) {
	case string:
		w.str(x)
	case bool:
		if x {
			w.b.WriteByte(1)
		} else {
			w.b.WriteByte(0)
		}
	default:
		_ = binary.Write(&w.b, binary.LittleEndian, x)
	}
}

func (w *writer) value(key string, v any) {
	if t, ok := scalarType(v); ok {
		w.u32(t)
		w.scalar(v)
		return
	}
	var elems []any
	switch x := v.(type) {
	case []string:
		for _, e := range x {
			elems = append(elems, e)
		}
	case []float32:
		for _, e := range x {
			elems = append(elems, e)
		}
	case []int32:
		for _, e := range x {
			elems = append(elems, e)
		}
	case []uint32:
		for _, e := range x {
			elems = append(elems, e)
		}
	case []int64:
		for _, e := range x {
			elems = append(elems, e)
		}
	case []any:
		elems = x
	default:
		w.fail(fmt.Errorf("gguf: key %q: unsupported value type %T", key, v))
		return
	}
	var et uint32
	switch v.(type) {
	case []string:
		et = TypeString
	case []float32:
		et = TypeFloat32
	case []int32:
		et = TypeInt32
	case []uint32:
		et = TypeUint32
	case []int64:
		et = TypeInt64
	default:
		if len(elems) > 0 {
			et, _ = scalarType(elems[0])
		}
	}
	w.u32(TypeArray)
	w.u32(et)
	w.u64(uint64(len(elems)))
	for _, e := range elems {
		w.scalar(e)
	}
}

func pad(n, align uint64) uint64 { return (n + align - 1) / align * align }

func tensorBytes(t Tensor) uint64 {
	n := uint64(len(t.Data))
	if t.Type == GGMLTypeF16 {
		return 2 * n
	}
	return 4 * n
}

// Marshal encodes the file as GGUF version 3.
func (f *File) Marshal() ([]byte, error) {
	align := f.Alignment
	if align == 0 {
		align = 32
	}
	w := &writer{}
	w.b.WriteString("GGUF")
	w.u32(3)
	w.u64(uint64(len(f.Tensors)))
	w.u64(uint64(len(f.KVs)))
	for _, kv := range f.KVs {
		w.str(kv.Key)
		w.value(kv.Key, kv.Value)
	}
	var offset uint64
	offsets := make([]uint64, len(f.Tensors))
	for i, t := range f.Tensors {
		n := uint64(1)
		for _, d := range t.Dims {
			n *= d
		}
		if n != uint64(len(t.Data)) {
			return nil, fmt.Errorf("gguf: tensor %q has dims %v but %d values", t.Name, t.Dims, len(t.Data))
		}
		w.str(t.Name)
		w.u32(uint32(len(t.Dims)))
		for _, d := range t.Dims {
			w.u64(d)
		}
		w.u32(t.Type)
		offsets[i] = offset
		if t.OffsetOverride != 0 {
			w.u64(t.OffsetOverride)
		} else {
			w.u64(offset)
		}
		offset = pad(offset+tensorBytes(t), align)
	}
	if w.err != nil {
		return nil, w.err
	}
	for uint64(w.b.Len())%align != 0 {
		w.b.WriteByte(0)
	}
	start := uint64(w.b.Len())
	for i, t := range f.Tensors {
		for uint64(w.b.Len()) < start+offsets[i] {
			w.b.WriteByte(0)
		}
		for _, v := range t.Data {
			if t.Type == GGMLTypeF16 {
				_ = binary.Write(&w.b, binary.LittleEndian, f32ToF16(v))
			} else {
				_ = binary.Write(&w.b, binary.LittleEndian, math.Float32bits(v))
			}
		}
	}
	for uint64(w.b.Len()) < start+offset {
		w.b.WriteByte(0)
	}
	return w.b.Bytes(), nil
}

// WriteFile marshals the file and writes it to path (creating the folder).
func (f *File) WriteFile(path string) error {
	data, err := f.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// f32ToF16 converts to IEEE half precision, rounding to nearest even (no NaN payloads).
func f32ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int((b>>23)&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case exp >= 31:
		return sign | 0x7c00
	case exp <= 0:
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint(14 - exp)
		half := uint16(mant >> shift)
		if (mant>>(shift-1))&1 != 0 && ((mant&((1<<(shift-1))-1)) != 0 || half&1 != 0) {
			half++
		}
		return sign | half
	}
	half := sign | uint16(exp)<<10 | uint16(mant>>13)
	if mant&0x1000 != 0 && (mant&0xfff != 0 || half&1 != 0) {
		half++
	}
	return half
}

// TinyOptions configure [TinyLlama]. Zero values take the defaults in brackets.
type TinyOptions struct {
	Seed          uint64 // random weights [1]
	Layers        int    // [2]
	Embedding     int    // [64]
	Heads         int    // [4]
	FeedForward   int    // [128]
	ContextLength int    // [256]
	// Words are extra vocabulary entries after the byte tokens [a few PdM words]; with the
	// 3 special tokens, 256 byte tokens and 2 chat tokens, the default vocabulary has 300 tokens.
	Words []string
	// ChatTemplate is stored as tokenizer.chat_template [a ChatML template]; "-" stores none.
	ChatTemplate string
	// Name is general.name ["pdmstudio-tiny-llama"].
	Name string
	// F16 stores the weight matrices as F16 instead of F32 (general.file_type 1).
	F16 bool
}

// DefaultChatTemplate is the ChatML Jinja template stored by default; llama.cpp recognises
// it as "chatml".
const DefaultChatTemplate = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

// defaultWords fill the vocabulary to 300 tokens. SentencePiece marks a leading space with ▁.
var defaultWords = []string{
	"▁", "▁the", "▁a", "▁is", "▁of", "▁and", "▁to", "▁in", "▁machine", "▁motor",
	"▁pump", "▁bearing", "▁fan", "▁compressor", "▁vibration", "▁temperature", "▁pressure", "▁current", "▁speed", "▁high",
	"▁low", "▁normal", "▁fault", "▁failure", "▁wear", "▁risk", "▁check", "▁replace", "▁soon", "▁hours",
	"▁days", "▁RUL", "▁anomaly", "▁health", "▁score", "▁.", ",", ".", "!",
}

// Vocabulary returns the token strings and llama.cpp token types TinyLlama uses for words:
// <unk>, <s>, </s>, the 256 byte tokens <0x00>…<0xFF>, <|im_start|>, <|im_end|>, then words.
func Vocabulary(words []string) (tokens []string, types []int32) {
	add := func(s string, t int32) {
		tokens = append(tokens, s)
		types = append(types, t)
	}
	add("<unk>", 2) // LLAMA_TOKEN_TYPE_UNKNOWN
	add("<s>", 3)   // CONTROL
	add("</s>", 3)
	for b := 0; b < 256; b++ {
		add(fmt.Sprintf("<0x%02X>", b), 6) // BYTE
	}
	add("<|im_start|>", 3)
	add("<|im_end|>", 3)
	for _, w := range words {
		add(w, 1) // NORMAL
	}
	return tokens, types
}

// TinyLlama returns a complete, loadable llama-architecture model with random weights. Its
// tensors and metadata follow llama.cpp's "llama" architecture; BOS is 1, EOS 2, UNK 0.
func TinyLlama(o TinyOptions) *File {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Layers, 2)
	def(&o.Embedding, 64)
	def(&o.Heads, 4)
	def(&o.FeedForward, 128)
	def(&o.ContextLength, 256)
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Words == nil {
		o.Words = defaultWords
	}
	if o.Name == "" {
		o.Name = "pdmstudio-tiny-llama"
	}
	if o.ChatTemplate == "" {
		o.ChatTemplate = DefaultChatTemplate
	}
	tokens, types := Vocabulary(o.Words)
	nVocab := uint64(len(tokens))
	scores := make([]float32, len(tokens))
	for i, t := range types {
		if t == 1 {
			scores[i] = -float32(i) / 1000 // earlier words merge first
		}
	}
	headDim := o.Embedding / o.Heads
	fileType := uint32(0) // ALL_F32
	if o.F16 {
		fileType = 1 // MOSTLY_F16
	}
	f := &File{KVs: []KV{
		{"general.architecture", "llama"},
		{"general.name", o.Name},
		{"general.file_type", fileType},
		{"general.quantization_version", uint32(2)},
		{"llama.context_length", uint32(o.ContextLength)},
		{"llama.embedding_length", uint32(o.Embedding)},
		{"llama.block_count", uint32(o.Layers)},
		{"llama.feed_forward_length", uint32(o.FeedForward)},
		{"llama.attention.head_count", uint32(o.Heads)},
		{"llama.attention.head_count_kv", uint32(o.Heads)},
		{"llama.rope.dimension_count", uint32(headDim)},
		{"llama.rope.freq_base", float32(10000)},
		{"llama.attention.layer_norm_rms_epsilon", float32(1e-5)},
		{"llama.vocab_size", uint32(nVocab)},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.tokens", tokens},
		{"tokenizer.ggml.scores", scores},
		{"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.unknown_token_id", uint32(0)},
		{"tokenizer.ggml.bos_token_id", uint32(1)},
		{"tokenizer.ggml.eos_token_id", uint32(2)},
		{"tokenizer.ggml.add_bos_token", true},
		{"tokenizer.ggml.add_eos_token", false},
	}}
	if o.ChatTemplate != "-" {
		f.KVs = append(f.KVs, KV{"tokenizer.chat_template", o.ChatTemplate})
	}

	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	matType := GGMLTypeF32
	if o.F16 {
		matType = GGMLTypeF16
	}
	randn := func(n int, std float64) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(r.NormFloat64() * std)
		}
		return d
	}
	ones := func(n int) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = 1
		}
		return d
	}
	E, F := uint64(o.Embedding), uint64(o.FeedForward)
	mat := func(name string, in, out uint64, std float64) Tensor {
		return Tensor{Name: name, Dims: []uint64{in, out}, Data: randn(int(in*out), std), Type: matType}
	}
	f.Tensors = append(f.Tensors,
		mat("token_embd.weight", E, nVocab, 1),
		Tensor{Name: "output_norm.weight", Dims: []uint64{E}, Data: ones(int(E))},
		mat("output.weight", E, nVocab, 1/math.Sqrt(float64(E))),
	)
	std := 1 / math.Sqrt(float64(E))
	for l := 0; l < o.Layers; l++ {
		p := fmt.Sprintf("blk.%d.", l)
		f.Tensors = append(f.Tensors,
			Tensor{Name: p + "attn_norm.weight", Dims: []uint64{E}, Data: ones(int(E))},
			mat(p+"attn_q.weight", E, E, std),
			mat(p+"attn_k.weight", E, E, std),
			mat(p+"attn_v.weight", E, E, std),
			mat(p+"attn_output.weight", E, E, std),
			Tensor{Name: p + "ffn_norm.weight", Dims: []uint64{E}, Data: ones(int(E))},
			mat(p+"ffn_gate.weight", E, F, std),
			mat(p+"ffn_up.weight", E, F, std),
			mat(p+"ffn_down.weight", F, E, 1/math.Sqrt(float64(F))),
		)
	}
	return f
}

// WriteTinyLlama writes [TinyLlama] to path and returns the path.
func WriteTinyLlama(path string, o TinyOptions) (string, error) {
	return path, TinyLlama(o).WriteFile(path)
}
