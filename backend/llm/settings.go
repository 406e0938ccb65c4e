package llm

import (
	"fmt"

	"pdmstudio/backend/apperr"
)

// Settings are the user-facing knobs of a loaded model. Get a filled-in value from
// [DefaultSettings] and change what you need; every zero value is meaningful (0 GPU layers =
// CPU only, temperature 0 = greedy), so a zero Settings is not "the defaults".
type Settings struct {
	// GPULayers is how many layers to offload to a GPU backend: -1 all, 0 none (CPU only).
	// It takes effect when the model is (re)loaded.
	GPULayers int `json:"gpu_layers"`
	// ContextSize is the llama.cpp context in tokens (prompt + history + answer); 0 picks
	// min(4096, the model's trained context). Larger contexts cost memory (the KV cache) and
	// prompt time; longer chats are trimmed to fit (the oldest turns go first).
	ContextSize int `json:"context_size"`
	// Threads is the CPU thread count for decoding; 0 picks [DefaultThreads].
	Threads int `json:"threads"`
	// Temperature is the sampling temperature, 0 (greedy, deterministic) to 2.
	Temperature float32 `json:"temperature"`
	// MaxTokens caps the length of one answer, in tokens.
	MaxTokens int `json:"max_tokens"`
	// TopK and TopP bound sampling when Temperature > 0.
	TopK int     `json:"top_k"`
	TopP float32 `json:"top_p"`
}

// Limits of [Settings.Validate].
const (
	MaxContextSize = 131072 // tokens
	MaxThreads     = 256
	MaxAnswer      = 8192 // tokens
)

// DefaultSettings returns the settings a fresh installation uses: all layers on a GPU when
// llama.cpp has a GPU backend (else CPU), an automatic context size and thread count, a low
// temperature (factual answers) and answers of up to 512 tokens.
func DefaultSettings() Settings {
	s := Settings{GPULayers: 0, Temperature: 0.2, MaxTokens: 512, TopK: 40, TopP: 0.95}
	if Current().GPUOffload {
		s.GPULayers = -1
	}
	return s
}

// Validate checks every field and names the bad ones (an [apperr] bad-input error).
func (s Settings) Validate() error {
	var fields []apperr.FieldError
	bad := func(field, format string, args ...any) {
		fields = append(fields, apperr.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if s.GPULayers < -1 || s.GPULayers > 10000 {
		bad("gpu_layers", "must be -1 (all), 0 (none) or a layer count, got %d", s.GPULayers)
	}
	if s.ContextSize != 0 && (s.ContextSize < 64 || s.ContextSize > MaxContextSize) {
		bad("context_size", "must be 0 (automatic) or 64 to %d tokens, got %d", MaxContextSize, s.ContextSize)
	}
	if s.Threads < 0 || s.Threads > MaxThreads {
		bad("threads", "must be 0 (automatic) or 1 to %d, got %d", MaxThreads, s.Threads)
	}
	if !(s.Temperature >= 0 && s.Temperature <= 2) { // also rejects NaN
		bad("temperature", "must be 0 to 2, got %g", s.Temperature)
	}
	if s.MaxTokens < 1 || s.MaxTokens > MaxAnswer {
		bad("max_tokens", "must be 1 to %d, got %d", MaxAnswer, s.MaxTokens)
	}
	if s.TopK < 0 {
		bad("top_k", "must be 0 (off) or more, got %d", s.TopK)
	}
	if !(s.TopP >= 0 && s.TopP <= 1) {
		bad("top_p", "must be 0 to 1, got %g", s.TopP)
	}
	if len(fields) > 0 {
		return apperr.BadInput("invalid language model settings", fields...)
	}
	return nil
}

// contextFor returns the context size to use with a model trained for trained tokens.
func (s Settings) contextFor(trained uint64) int {
	if s.ContextSize > 0 {
		return s.ContextSize
	}
	n := 4096
	if trained > 0 && trained < uint64(n) {
		n = int(trained)
	}
	return n
}

func (s Settings) threads() int {
	if s.Threads > 0 {
		return s.Threads
	}
	return DefaultThreads()
}
