package llm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/hybridgroup/yzma/pkg/llama"
)

// ModelOptions configure [LoadModel].
type ModelOptions struct {
	// GPULayers is how many layers to offload to a GPU backend: -1 all (default when a GPU
	// device exists), 0 none.
	GPULayers *int
}

// Model is a GGUF model loaded into llama.cpp. It is safe for concurrent use: every
// [Model.Generate] call works in its own llama.cpp context.
type Model struct {
	mu    sync.RWMutex
	info  ModelInfo
	model llama.Model
	vocab llama.Vocab
}

// LoadModel checks the file with [Inspect] and loads it. [Init] must have succeeded.
func LoadModel(path string, opts ModelOptions) (*Model, error) {
	if !Initialized() {
		return nil, fmt.Errorf("loading %s: %w", path, ErrNotInitialized)
	}
	info, err := Inspect(path)
	if err != nil {
		return nil, err
	}
	p := llama.ModelDefaultParams()
	switch {
	case opts.GPULayers != nil:
		p.NGpuLayers = int32(*opts.GPULayers)
	case Current().GPUOffload:
		p.NGpuLayers = -1
	default:
		p.NGpuLayers = 0
	}
	m, err := llama.ModelLoadFromFile(path, p)
	if err != nil || m == 0 {
		return nil, fmt.Errorf("llama.cpp could not load model file %s (see the log for its reason): %v", path, err)
	}
	return &Model{info: info, model: m, vocab: llama.ModelGetVocab(m)}, nil
}

// Info returns what [Inspect] found.
func (m *Model) Info() ModelInfo { return m.info }

// Close frees the model; it waits for running Generate calls.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.model == 0 {
		return nil
	}
	err := llama.ModelFree(m.model)
	m.model = 0
	return err
}

// GenerateOptions tune [Model.Generate]. Zero values take the defaults in brackets.
type GenerateOptions struct {
	MaxTokens int // tokens to generate at most [256]
	// ContextSize is the llama.cpp context (prompt + answer) [min(4096, trained context)].
	ContextSize int
	// Temperature 0 means greedy decoding (deterministic) [0].
	Temperature float32
	TopK        int     // with Temperature > 0 [40]
	TopP        float32 // with Temperature > 0 [0.95]
	Seed        uint32  // with Temperature > 0 [random]
	Threads     int     // CPU threads [DefaultThreads()]
	// ParseSpecial lets special-token text in the prompt (e.g. "<|im_start|>") become the
	// special tokens; set it for prompts built from a chat template.
	ParseSpecial bool
	// NoBOS leaves out the BOS token the model may want at the start.
	NoBOS bool
	// IgnoreEOS keeps generating past end-of-generation tokens (for tests and benchmarks).
	IgnoreEOS bool
}

// Stop reasons in [Result.StopReason].
const (
	StopEOS       = "eos"        // the model ended its answer
	StopMaxTokens = "max_tokens" // MaxTokens reached
	StopContext   = "context"    // the context is full
	StopCancelled = "cancelled"  // ctx was cancelled or the callback returned an error
)

// Result summarises a [Model.Generate] call.
type Result struct {
	Text            string        `json:"text"`
	PromptTokens    int           `json:"prompt_tokens"`
	Tokens          int           `json:"tokens"`
	StopReason      string        `json:"stop_reason"`
	PromptDuration  time.Duration `json:"prompt_duration"`
	Duration        time.Duration `json:"duration"`
	TokensPerSecond float64       `json:"tokens_per_second"`
}

// Generate continues prompt and calls onPiece (may be nil) with each new piece of text as it
// is produced; pieces are whole UTF-8 characters. It stops at end-of-generation, MaxTokens, a
// full context, ctx cancellation or an onPiece error (returned, with the partial Result).
func (m *Model) Generate(ctx context.Context, prompt string, o GenerateOptions, onPiece func(string) error) (Result, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var res Result
	if m.model == 0 {
		return res, errors.New("model is closed")
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = 256
	}
	if o.ContextSize <= 0 {
		o.ContextSize = 4096
		if t := int(m.info.ContextLength); t > 0 && t < o.ContextSize {
			o.ContextSize = t
		}
	}
	start := time.Now()
	tokens := llama.Tokenize(m.vocab, prompt, !o.NoBOS, o.ParseSpecial)
	res.PromptTokens = len(tokens)
	if len(tokens) == 0 {
		return res, errors.New("the prompt is empty")
	}
	if len(tokens) >= o.ContextSize {
		return res, fmt.Errorf("the prompt has %d tokens; the context holds %d", len(tokens), o.ContextSize)
	}

	cp := llama.ContextDefaultParams()
	cp.NCtx = uint32(o.ContextSize)
	cp.NBatch = uint32(min(o.ContextSize, 512))
	cp.NUbatch = cp.NBatch
	cp.NSeqMax = 1
	threads := o.Threads
	if threads <= 0 {
		threads = DefaultThreads()
	}
	cp.NThreads, cp.NThreadsBatch = int32(threads), int32(threads)
	lctx, err := llama.InitFromModel(m.model, cp)
	if err != nil || lctx == 0 {
		return res, fmt.Errorf("creating a llama.cpp context of %d tokens: %v", o.ContextSize, err)
	}
	defer llama.Free(lctx)

	sampler := newSampler(o)
	defer llama.SamplerFree(sampler)

	// The prompt goes in chunks of at most NBatch tokens.
	for i := 0; i < len(tokens); i += int(cp.NBatch) {
		if err := ctx.Err(); err != nil {
			res.StopReason = StopCancelled
			return res, err
		}
		chunk := tokens[i:min(i+int(cp.NBatch), len(tokens))]
		if _, err := llama.Decode(lctx, llama.BatchGetOne(chunk)); err != nil {
			return res, fmt.Errorf("evaluating the prompt: %w", err)
		}
		runtime.KeepAlive(chunk)
	}
	res.PromptDuration = time.Since(start)
	genStart := time.Now()

	var text []byte
	var pending []byte // bytes of an incomplete UTF-8 character
	buf := make([]byte, 256)
	pos := len(tokens)
	for {
		if err := ctx.Err(); err != nil {
			res.StopReason = StopCancelled
			break
		}
		tok := llama.SamplerSample(sampler, lctx, -1)
		if !o.IgnoreEOS && llama.VocabIsEOG(m.vocab, tok) {
			res.StopReason = StopEOS
			break
		}
		n := llama.TokenToPiece(m.vocab, tok, buf, 0, false)
		if n < 0 {
			buf = make([]byte, -n)
			n = llama.TokenToPiece(m.vocab, tok, buf, 0, false)
		}
		res.Tokens++
		if n > 0 {
			pending = append(pending, buf[:n]...)
			k := completeUTF8(pending)
			if k > 0 {
				piece := string(pending[:k])
				text = append(text, pending[:k]...)
				pending = append(pending[:0], pending[k:]...)
				if onPiece != nil {
					if err := onPiece(piece); err != nil {
						res.StopReason = StopCancelled
						res.Text = string(text)
						res.Duration = time.Since(start)
						return res, err
					}
				}
			}
		}
		if res.Tokens >= o.MaxTokens {
			res.StopReason = StopMaxTokens
			break
		}
		if pos+1 >= o.ContextSize {
			res.StopReason = StopContext
			break
		}
		next := []llama.Token{tok}
		if _, err := llama.Decode(lctx, llama.BatchGetOne(next)); err != nil {
			res.Text = string(text)
			return res, fmt.Errorf("decoding token %d: %w", res.Tokens, err)
		}
		runtime.KeepAlive(next)
		pos++
	}
	if len(pending) > 0 {
		text = append(text, pending...)
		if onPiece != nil {
			_ = onPiece(string(pending))
		}
	}
	res.Text = string(text)
	res.Duration = time.Since(start)
	if d := time.Since(genStart).Seconds(); d > 0 {
		res.TokensPerSecond = float64(res.Tokens) / d
	}
	if res.StopReason == StopCancelled {
		return res, ctx.Err()
	}
	return res, nil
}

// completeUTF8 returns the length of the longest prefix of b that does not end inside a
// UTF-8 character. Invalid bytes count as complete, so they never hold text back.
func completeUTF8(b []byte) int {
	for back := 1; back <= 3 && back <= len(b); back++ {
		c := b[len(b)-back]
		if c&0xC0 != 0x80 { // the start byte of the last character
			need := 0
			switch {
			case c&0xE0 == 0xC0:
				need = 2
			case c&0xF0 == 0xE0:
				need = 3
			case c&0xF8 == 0xF0:
				need = 4
			}
			if need > back {
				return len(b) - back
			}
			return len(b)
		}
	}
	return len(b) // only continuation bytes at the end: invalid, pass them on
}

// DefaultThreads is the CPU thread count Generate uses unless told otherwise: the machine's
// performance cores, but at most one less than the logical CPUs and at least 1. llama.cpp's
// threads spin at barriers; when they outnumber the free cores (a 2-core machine with the UI
// and other jobs running) decoding slows down by orders of magnitude — measured on a busy
// 2-core VM: 1 thread ≈ 7000 tokens/s, 2 threads ≈ 6 tokens/s on the tiny test model.
func DefaultThreads() int {
	n := int(llama.Threads())
	if c := runtime.NumCPU() - 1; c < n {
		n = c
	}
	return max(n, 1)
}

func newSampler(o GenerateOptions) llama.Sampler {
	chain := llama.SamplerChainInit(llama.SamplerChainDefaultParams())
	if o.Temperature <= 0 {
		llama.SamplerChainAdd(chain, llama.SamplerInitGreedy())
		return chain
	}
	topK, topP := o.TopK, o.TopP
	if topK <= 0 {
		topK = 40
	}
	if topP <= 0 || topP > 1 {
		topP = 0.95
	}
	seed := o.Seed
	if seed == 0 {
		seed = uint32(time.Now().UnixNano())
	}
	llama.SamplerChainAdd(chain, llama.SamplerInitTopK(int32(topK)))
	llama.SamplerChainAdd(chain, llama.SamplerInitTopP(topP, 1))
	llama.SamplerChainAdd(chain, llama.SamplerInitTemp(o.Temperature))
	llama.SamplerChainAdd(chain, llama.SamplerInitDist(seed))
	return chain
}
