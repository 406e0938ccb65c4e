package llm

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	gguf "github.com/gpustack/gguf-parser-go"
)

// ErrInvalidModel is wrapped by [Inspect] errors for files that are not a usable GGUF model.
var ErrInvalidModel = errors.New("not a valid GGUF model")

// ModelInfo is what a GGUF file's header says about the model. JSON-friendly.
type ModelInfo struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	// Name is general.name (may be empty).
	Name string `json:"name,omitempty"`
	// Architecture is general.architecture, e.g. "llama", "qwen2", "phi3".
	Architecture string `json:"architecture"`
	// Parameters is the number of weights (the sum of the tensors' elements).
	Parameters uint64 `json:"parameters"`
	// ParametersText is Parameters in words, e.g. "1.54 B".
	ParametersText string `json:"parameters_text"`
	// FileType is the quantisation, e.g. "Q4_K_M", "F16", "F32".
	FileType string `json:"file_type"`
	// BitsPerWeight is the average storage per weight.
	BitsPerWeight float64 `json:"bits_per_weight"`
	// ContextLength is the context the model was trained for (<arch>.context_length).
	ContextLength   uint64 `json:"context_length"`
	EmbeddingLength uint64 `json:"embedding_length,omitempty"`
	Layers          uint64 `json:"layers,omitempty"`
	Heads           uint64 `json:"heads,omitempty"`
	// VocabSize is the number of tokenizer tokens.
	VocabSize int `json:"vocab_size"`
	// Tokenizer is tokenizer.ggml.model, e.g. "llama" (SentencePiece), "gpt2" (BPE).
	Tokenizer string `json:"tokenizer"`
	// ChatTemplate is tokenizer.chat_template (a Jinja template), if the file has one.
	ChatTemplate string `json:"chat_template,omitempty"`
	GGUFVersion  uint32 `json:"gguf_version"`
	Tensors      int    `json:"tensors"`
	// Warnings are oddities llama.cpp tolerates (e.g. a special token id out of range).
	Warnings []string `json:"warnings,omitempty"`
}

// Inspect reads a GGUF file's header and checks, in Go, everything known to make llama.cpp
// abort the whole process rather than fail cleanly — duplicate token strings, tensors
// beyond the end of the file, wrongly typed tokenizer arrays, bad alignment, zero-sized
// dimensions — and what makes the file useless as a language model (no tokenizer). Call it
// before handing any file to llama.cpp; [LoadModel] does.
//
// The error wraps [ErrInvalidModel] for a malformed file and names the file and the problem.
func Inspect(path string) (mi ModelInfo, err error) {
	mi.Path = path
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return mi, fmt.Errorf("model file %s does not exist", path)
		}
		return mi, fmt.Errorf("model file %s: %w", path, err)
	}
	if st.IsDir() {
		return mi, fmt.Errorf("model file %s is a folder", path)
	}
	mi.Size = st.Size()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("model file %s is %w: %s", path, ErrInvalidModel, fmt.Sprintf(format, args...))
	}
	if gguf.CompleteShardGGUFFilename(path) != nil {
		return mi, bad("it is one part of a split model; merge the parts into one file (llama-gguf-split --merge)")
	}
	defer func() {
		if r := recover(); r != nil {
			err = bad("%v", r)
		}
	}()
	gf, err := gguf.ParseGGUFFile(path)
	if err != nil {
		return mi, bad("%v", err)
	}
	if err := validate(gf, st.Size(), &mi); err != nil {
		return mi, bad("%v", err)
	}

	md := gf.Metadata()
	arch := gf.Architecture()
	mi.Name = md.Name
	mi.Architecture = md.Architecture
	mi.Parameters = uint64(gf.ModelParameters)
	mi.ParametersText = gf.ModelParameters.String()
	mi.FileType = fileTypeName(md.FileType)
	mi.BitsPerWeight = float64(gf.ModelBitsPerWeight)
	mi.ContextLength = arch.MaximumContextLength
	mi.EmbeddingLength = arch.EmbeddingLength
	mi.Layers = arch.BlockCount
	mi.Heads = arch.AttentionHeadCount
	mi.GGUFVersion = uint32(gf.Header.Version)
	mi.Tensors = len(gf.TensorInfos)
	if kv, ok := gf.Header.MetadataKV.Get("tokenizer.ggml.model"); ok && kv.ValueType == gguf.GGUFMetadataValueTypeString {
		mi.Tokenizer = kv.ValueString()
	}
	if kv, ok := gf.Header.MetadataKV.Get("tokenizer.chat_template"); ok && kv.ValueType == gguf.GGUFMetadataValueTypeString {
		mi.ChatTemplate = kv.ValueString()
	}
	return mi, nil
}

// fileTypeName turns gguf-parser's MOSTLY_Q4_K_M / ALL_F32 into Q4_K_M / F32.
func fileTypeName(t gguf.GGUFFileType) string {
	s := t.String()
	s = strings.TrimPrefix(s, "MOSTLY_")
	s = strings.TrimPrefix(s, "ALL_")
	if strings.HasPrefix(s, "GGUFFileType(") {
		return "unknown"
	}
	return s
}

// validate checks what gguf-parser-go does not; it fills mi.VocabSize and mi.Warnings.
func validate(gf *gguf.GGUFFile, size int64, mi *ModelInfo) error {
	h := gf.Header
	if h.Magic == gguf.GGUFMagicGGUFBe {
		return errors.New("it is a big-endian GGUF file; llama.cpp on this machine reads little-endian files")
	}
	if h.Version < gguf.GGUFVersionV2 {
		return fmt.Errorf("GGUF version %d is too old for llama.cpp (2 or 3 needed)", h.Version)
	}
	kvs := map[string]gguf.GGUFMetadataKV{}
	for _, kv := range h.MetadataKV {
		if kv.Key == "" {
			return errors.New("a metadata key is empty")
		}
		if _, dup := kvs[kv.Key]; dup {
			return fmt.Errorf("metadata key %q appears twice", kv.Key)
		}
		kvs[kv.Key] = kv
	}

	arch, ok := kvs["general.architecture"]
	if !ok || arch.ValueType != gguf.GGUFMetadataValueTypeString || arch.ValueString() == "" {
		return errors.New("general.architecture is missing or not a string")
	}
	if arch.ValueString() == "clip" {
		return errors.New("it is a multimodal projector (clip), not a language model")
	}

	alignment := uint64(32)
	if kv, ok := kvs["general.alignment"]; ok {
		if kv.ValueType != gguf.GGUFMetadataValueTypeUint32 {
			return fmt.Errorf("general.alignment is a %v, must be a uint32", kv.ValueType)
		}
		alignment = uint64(kv.ValueUint32())
		if alignment == 0 || alignment&(alignment-1) != 0 {
			return fmt.Errorf("general.alignment %d is not a power of two", alignment)
		}
	}

	n, err := validateTokenizer(kvs, mi)
	if err != nil {
		return err
	}
	mi.VocabSize = n

	if gf.TensorDataStartOffset < 0 || gf.TensorDataStartOffset > size {
		return fmt.Errorf("tensor data starts at %d, beyond the end of the file (%d bytes): the file is truncated", gf.TensorDataStartOffset, size)
	}
	dataSize := uint64(size - gf.TensorDataStartOffset)
	if len(gf.TensorInfos) == 0 {
		return errors.New("it holds no tensors (a vocabulary-only file?)")
	}
	names := map[string]bool{}
	for _, ti := range gf.TensorInfos {
		if ti.Name == "" {
			return errors.New("a tensor has no name")
		}
		if names[ti.Name] {
			return fmt.Errorf("tensor %q appears twice", ti.Name)
		}
		names[ti.Name] = true
		if ti.NDimensions == 0 || ti.NDimensions > gguf.GGMLMaxDims || int(ti.NDimensions) != len(ti.Dimensions) {
			return fmt.Errorf("tensor %q has %d dimensions (1 to %d allowed)", ti.Name, ti.NDimensions, gguf.GGMLMaxDims)
		}
		for _, d := range ti.Dimensions {
			if d == 0 || d > 1<<40 {
				return fmt.Errorf("tensor %q has dimension %d in shape %v", ti.Name, d, ti.Dimensions)
			}
		}
		tt, ok := ti.Type.Trait()
		if !ok || tt.BlockSize == 0 {
			return fmt.Errorf("tensor %q has unknown type %d", ti.Name, uint32(ti.Type))
		}
		if ti.Dimensions[0]%tt.BlockSize != 0 {
			return fmt.Errorf("tensor %q: row length %d is not a multiple of the %v block size %d", ti.Name, ti.Dimensions[0], ti.Type, tt.BlockSize)
		}
		if ti.Offset%alignment != 0 {
			return fmt.Errorf("tensor %q: data offset %d is not aligned to %d", ti.Name, ti.Offset, alignment)
		}
		nb := ti.Bytes()
		if ti.Offset > dataSize || nb > dataSize-ti.Offset {
			return fmt.Errorf("tensor %q: bytes %d..%d lie beyond the end of the data (%d bytes): the file is truncated or corrupt",
				ti.Name, ti.Offset, ti.Offset+nb, dataSize)
		}
		if ti.Name == "token_embd.weight" && len(ti.Dimensions) >= 2 && n > 0 && ti.Dimensions[1] != uint64(n) {
			return fmt.Errorf("token_embd.weight has %d rows but the tokenizer has %d tokens", ti.Dimensions[1], n)
		}
	}
	return nil
}

// validateTokenizer checks the tokenizer arrays as llama.cpp reads them and returns the
// number of tokens.
func validateTokenizer(kvs map[string]gguf.GGUFMetadataKV, mi *ModelInfo) (int, error) {
	model, ok := kvs["tokenizer.ggml.model"]
	if ok && model.ValueType != gguf.GGUFMetadataValueTypeString {
		return 0, fmt.Errorf("tokenizer.ggml.model is a %v, must be a string", model.ValueType)
	}
	if ok && model.ValueString() == "none" {
		return 0, errors.New("it has no tokenizer (tokenizer.ggml.model is \"none\")")
	}
	tk, ok := kvs["tokenizer.ggml.tokens"]
	if !ok {
		return 0, errors.New("it has no tokenizer vocabulary (tokenizer.ggml.tokens)")
	}
	arr, err := stringArray(tk)
	if err != nil {
		return 0, err
	}
	n := len(arr)
	if n == 0 {
		return 0, errors.New("tokenizer.ggml.tokens is empty")
	}
	if n > 1<<31-1 {
		return 0, fmt.Errorf("tokenizer.ggml.tokens has %d entries", n)
	}
	// llama.cpp renames an empty token to "[EMPTY_<id>]" and then asserts that all token
	// strings differ; a duplicate aborts the process.
	seen := make(map[string]int, n)
	for i, s := range arr {
		if s == "" {
			s = fmt.Sprintf("[EMPTY_%d]", i)
		}
		if j, dup := seen[s]; dup {
			return 0, fmt.Errorf("tokens %d and %d are the same string %q (llama.cpp would abort)", j, i, s)
		}
		seen[s] = i
	}
	if kv, ok := kvs["tokenizer.ggml.scores"]; ok {
		av, isArr := kv.Value.(gguf.GGUFMetadataKVArrayValue)
		if kv.ValueType != gguf.GGUFMetadataValueTypeArray || !isArr ||
			(av.Type != gguf.GGUFMetadataValueTypeFloat32 && av.Type != gguf.GGUFMetadataValueTypeInt32) {
			return 0, errors.New("tokenizer.ggml.scores must be an array of float32 or int32")
		}
		if av.Len < uint64(n) {
			return 0, fmt.Errorf("tokenizer.ggml.scores has %d entries for %d tokens", av.Len, n)
		}
	}
	if kv, ok := kvs["tokenizer.ggml.token_type"]; ok {
		av, isArr := kv.Value.(gguf.GGUFMetadataKVArrayValue)
		if kv.ValueType != gguf.GGUFMetadataValueTypeArray || !isArr || av.Type != gguf.GGUFMetadataValueTypeInt32 {
			return 0, errors.New("tokenizer.ggml.token_type must be an array of int32")
		}
		if av.Len < uint64(n) {
			return 0, fmt.Errorf("tokenizer.ggml.token_type has %d entries for %d tokens", av.Len, n)
		}
	}
	if kv, ok := kvs["tokenizer.ggml.merges"]; ok {
		if _, err := stringArray(kv); err != nil {
			return 0, err
		}
	}
	for key, kv := range kvs {
		if !strings.HasPrefix(key, "tokenizer.ggml.") || !strings.HasSuffix(key, "_token_id") {
			continue
		}
		if !kv.ValueType.IsNumeric() {
			return 0, fmt.Errorf("%s is a %v, must be a number", key, kv.ValueType)
		}
		if id := gguf.ValueNumeric[int64](kv); id < 0 || id >= int64(n) {
			mi.Warnings = append(mi.Warnings, fmt.Sprintf("%s = %d is outside the %d-token vocabulary; llama.cpp ignores it", key, id, n))
		}
	}
	return n, nil
}

func stringArray(kv gguf.GGUFMetadataKV) ([]string, error) {
	av, ok := kv.Value.(gguf.GGUFMetadataKVArrayValue)
	if kv.ValueType != gguf.GGUFMetadataValueTypeArray || !ok || av.Type != gguf.GGUFMetadataValueTypeString {
		return nil, fmt.Errorf("%s must be an array of strings", kv.Key)
	}
	if uint64(len(av.Array)) != av.Len {
		return nil, fmt.Errorf("%s: %d of %d entries could be read", kv.Key, len(av.Array), av.Len)
	}
	return av.ValuesString(), nil
}
