package llm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/hybridgroup/yzma/pkg/llama"

	"pdmstudio/backend/apperr"
)

// Engine serves chat requests on one loaded model: it renders conversations with the model's
// chat template, trims history that does not fit the context, runs one generation at a time
// in arrival order (a FIFO queue; a caller whose ctx ends while queued leaves without
// running, one whose ctx ends while running stops at the next token), can constrain the
// answer with a GBNF grammar, and streams the answer piece by piece.
//
// The engine keeps one llama.cpp context for the model and remembers which tokens its KV
// cache holds: a request that starts with the same tokens as the previous one (the same
// system prompt, a chat's earlier turns) evaluates only the new part.
type Engine struct {
	model    *Model
	owned    bool
	template ChatTemplate
	queue    fifo

	setMu    sync.Mutex
	settings Settings

	// run is held while a generation runs (uncontended thanks to the queue) and by Close.
	run      sync.Mutex
	closed   bool
	lctx     llama.Context
	lctxSize int
	cached   []llama.Token // tokens whose keys/values the context's memory holds, in order
}

// NewEngine serves m with settings s (validated). The caller keeps ownership of m: close the
// engine before closing the model.
func NewEngine(m *Model, s Settings) (*Engine, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Engine{model: m, template: TemplateFor(m.Info()), settings: s}, nil
}

// OpenEngine loads the model file at path (checked with [Inspect] first, so a malformed file
// never reaches llama.cpp) with s.GPULayers, and serves it; closing the engine frees the
// model. Errors: [ErrNotInitialized] before [Init], a bad-input [apperr] error wrapping
// [ErrInvalidModel] for a malformed file.
func OpenEngine(path string, s Settings) (*Engine, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	layers := s.GPULayers
	m, err := LoadModel(path, ModelOptions{GPULayers: &layers})
	if err != nil {
		if errors.Is(err, ErrInvalidModel) {
			return nil, badInput(err)
		}
		return nil, err
	}
	e, err := NewEngine(m, s)
	if err != nil {
		m.Close()
		return nil, err
	}
	e.owned = true
	return e, nil
}

// Info describes the served model.
func (e *Engine) Info() ModelInfo { return e.model.Info() }

// Template is the chat template the engine renders conversations with.
func (e *Engine) Template() ChatTemplate { return e.template }

// Settings returns the current settings.
func (e *Engine) Settings() Settings {
	e.setMu.Lock()
	defer e.setMu.Unlock()
	return e.settings
}

// SetSettings changes the settings for the next requests. GPULayers only takes effect when
// the model is loaded again ([Manager.Load] does that when it changes).
func (e *Engine) SetSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	e.setMu.Lock()
	defer e.setMu.Unlock()
	e.settings = s
	return nil
}

// ContextSize is the context, in tokens, the next request gets.
func (e *Engine) ContextSize() int { return e.Settings().contextFor(e.Info().ContextLength) }

// Queued is the number of requests waiting behind the running one.
func (e *Engine) Queued() int { return e.queue.waiting() }

// CountTokens is the number of tokens text becomes (special-token text parsed, no BOS).
func (e *Engine) CountTokens(text string) int {
	e.model.mu.RLock()
	defer e.model.mu.RUnlock()
	if e.model.model == 0 {
		return 0
	}
	return len(llama.Tokenize(e.model.vocab, text, false, true))
}

// Close fails queued requests with [ErrEngineClosed], waits for the running one, and frees
// the llama.cpp context (and the model, when the engine loaded it).
func (e *Engine) Close() error {
	e.queue.close()
	e.run.Lock()
	defer e.run.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	e.freeContext()
	if e.owned {
		return e.model.Close()
	}
	return nil
}

// ChatRequest is one generation on an [Engine].
type ChatRequest struct {
	// Messages is the conversation: optional system messages first, then alternating user
	// and assistant turns, usually ending with the user's question.
	Messages []Message `json:"messages"`
	// MaxTokens caps the answer [Settings.MaxTokens]. When the conversation leaves less room
	// in the context, the oldest turns are dropped until it does (down to the system
	// messages and the last message), then the answer gets what remains.
	MaxTokens int `json:"max_tokens,omitempty"`
	// Grammar is a GBNF grammar (root rule "root", e.g. from [Schema.Grammar]) the answer
	// must follow; "" leaves the answer free.
	Grammar string `json:"-"`
	// Temperature overrides [Settings.Temperature] when not nil (0 = greedy).
	Temperature *float32 `json:"temperature,omitempty"`
	// Seed makes sampling reproducible when not 0.
	Seed uint32 `json:"seed,omitempty"`
	// IgnoreEOS keeps generating past end-of-generation tokens (benchmarks and tests).
	IgnoreEOS bool `json:"-"`
}

// ChatResult summarises a [Engine.Chat] call. Result.Duration runs from the start of the
// generation (after the queue), PromptDuration covers the prompt evaluation.
type ChatResult struct {
	Result
	// Template is the chat template family used.
	Template string `json:"template"`
	// Trimmed is how many of the request's messages were left out to fit the context.
	Trimmed int `json:"trimmed"`
	// AnswerBudget is the most tokens the answer could have had after fitting.
	AnswerBudget int `json:"answer_budget"`
	// CachedTokens is how many prompt tokens were reused from the previous request.
	CachedTokens int `json:"cached_tokens"`
	// QueueWait is how long the request waited for earlier ones.
	QueueWait time.Duration `json:"queue_wait"`
	// FirstToken is the time from the call to the first streamed piece (queue, template,
	// prompt evaluation included); 0 when nothing was streamed.
	FirstToken time.Duration `json:"first_token"`
}

// ErrPromptTooLong is wrapped by [Engine.Chat] errors when even the system messages and the
// last message do not fit the context.
var ErrPromptTooLong = errors.New("the prompt does not fit the model's context")

// Chat renders req.Messages with the model's template, fits them into the context, waits for
// its turn and generates the answer, calling onPiece (may be nil) with each piece of text
// (whole UTF-8 characters) as it comes. It returns when the model ends its answer, the
// budget or the context is used up, ctx ends (error ctx.Err(), with the partial result) or
// onPiece returns an error (that error). Errors: bad input for an empty or malformed
// conversation, [ErrPromptTooLong], [ErrEngineClosed], [ErrGrammar].
func (e *Engine) Chat(ctx context.Context, req ChatRequest, onPiece func(string) error) (ChatResult, error) {
	start := time.Now()
	res := ChatResult{Template: e.template.Family}
	if err := checkMessages(req.Messages); err != nil {
		return res, err
	}
	if err := e.queue.acquire(ctx); err != nil {
		return res, err
	}
	defer e.queue.release()
	res.QueueWait = time.Since(start)
	e.run.Lock()
	defer e.run.Unlock()
	if e.closed {
		return res, ErrEngineClosed
	}
	e.model.mu.RLock()
	defer e.model.mu.RUnlock()
	if e.model.model == 0 {
		return res, ErrEngineClosed
	}

	s := e.Settings()
	nctx := s.contextFor(e.model.info.ContextLength)
	want := req.MaxTokens
	if want <= 0 {
		want = s.MaxTokens
	}
	tokens, answer, trimmed, err := e.fit(req.Messages, nctx, want)
	res.Trimmed, res.AnswerBudget = trimmed, answer
	if err != nil {
		return res, err
	}
	temp := s.Temperature
	if req.Temperature != nil {
		temp = *req.Temperature
	}
	p := genParams{nctx: nctx, threads: s.threads(), maxTokens: answer, temp: temp, topK: s.TopK, topP: s.TopP,
		seed: req.Seed, grammar: req.Grammar, ignoreEOS: req.IgnoreEOS}
	wrapped := onPiece
	if onPiece != nil {
		wrapped = func(piece string) error {
			if res.FirstToken == 0 {
				res.FirstToken = time.Since(start)
			}
			return onPiece(piece)
		}
	}
	err = e.generate(ctx, tokens, p, wrapped, &res)
	return res, err
}

// checkMessages refuses an empty conversation and unknown roles.
func checkMessages(msgs []Message) error {
	if len(msgs) == 0 {
		return apperr.BadInput("the conversation is empty", apperr.FieldError{Field: "messages", Message: "at least one message is needed"})
	}
	var fields []apperr.FieldError
	for i, m := range msgs {
		switch m.Role {
		case RoleSystem, RoleUser, RoleAssistant:
		default:
			fields = append(fields, apperr.FieldError{Field: fmt.Sprintf("messages[%d].role", i),
				Message: fmt.Sprintf("must be system, user or assistant, got %q", m.Role)})
		}
	}
	if len(fields) > 0 {
		return apperr.BadInput("invalid conversation", fields...)
	}
	return nil
}

// fit renders msgs and drops the oldest turns (a user message and the replies after it)
// until the prompt plus want answer tokens fit nctx; the system messages and the last
// message always stay. When only those are left and still crowd the answer, the answer gets
// what remains, but at least min(want, max(16, nctx/8)) tokens; otherwise ErrPromptTooLong.
func (e *Engine) fit(msgs []Message, nctx, want int) (tokens []llama.Token, answer, trimmed int, err error) {
	minAnswer := min(want, max(16, nctx/8))
	kept := msgs
	for {
		prompt := e.template.Render(kept, true)
		tokens = llama.Tokenize(e.model.vocab, prompt, true, true)
		n := len(tokens)
		if n == 0 {
			return nil, 0, trimmed, apperr.BadInput("the conversation renders to an empty prompt")
		}
		if n+want <= nctx {
			return tokens, want, trimmed, nil
		}
		// Drop the oldest turn that is neither a system message nor the last message.
		last := len(kept) - 1
		i := 0
		for i < last && kept[i].Role == RoleSystem {
			i++
		}
		if i >= last {
			if n+minAnswer <= nctx {
				return tokens, nctx - n, trimmed, nil
			}
			return nil, 0, trimmed, badInputWrap(ErrPromptTooLong, fmt.Sprintf(
				"the question and its context need %d tokens, but the model's context holds %d (with %d kept for the answer): shorten the question or raise the context size",
				n, nctx, minAnswer))
		}
		j := i + 1
		for j < last && kept[j].Role != RoleUser {
			j++
		}
		next := make([]Message, 0, len(kept)-(j-i))
		next = append(next, kept[:i]...)
		next = append(next, kept[j:]...)
		trimmed += j - i
		kept = next
	}
}

type genParams struct {
	nctx, threads, maxTokens int
	temp                     float32
	topK                     int
	topP                     float32
	seed                     uint32
	grammar                  string
	ignoreEOS                bool
}

// ensureContext makes the engine's llama.cpp context match nctx tokens and threads.
func (e *Engine) ensureContext(nctx, threads int) error {
	if e.lctx != 0 && e.lctxSize == nctx {
		llama.SetNThreads(e.lctx, int32(threads), int32(threads))
		return nil
	}
	e.freeContext()
	cp := llama.ContextDefaultParams()
	cp.NCtx = uint32(nctx)
	cp.NBatch = uint32(min(nctx, 512))
	cp.NUbatch = cp.NBatch
	cp.NSeqMax = 1
	cp.NThreads, cp.NThreadsBatch = int32(threads), int32(threads)
	lctx, err := llama.InitFromModel(e.model.model, cp)
	if err != nil || lctx == 0 {
		return fmt.Errorf("creating a llama.cpp context of %d tokens (lower the context size?): %v", nctx, err)
	}
	e.lctx, e.lctxSize, e.cached = lctx, nctx, e.cached[:0]
	return nil
}

func (e *Engine) freeContext() {
	if e.lctx != 0 {
		llama.Free(e.lctx)
		e.lctx, e.lctxSize, e.cached = 0, 0, nil
	}
}

// forget empties the context's memory after a failure, so the next request starts clean.
func (e *Engine) forget() {
	e.cached = e.cached[:0]
	if mem, err := llama.GetMemory(e.lctx); err == nil {
		_ = llama.MemoryClear(mem, true)
	}
}

// generate evaluates the part of tokens not already in the context's memory, then samples
// the answer. The caller holds e.run and e.model.mu (read).
func (e *Engine) generate(ctx context.Context, tokens []llama.Token, p genParams, onPiece func(string) error, res *ChatResult) error {
	start := time.Now()
	res.PromptTokens = len(tokens)
	if err := e.ensureContext(p.nctx, p.threads); err != nil {
		return err
	}
	mem, err := llama.GetMemory(e.lctx)
	if err != nil {
		return err
	}
	// Reuse the common prefix; at least the last prompt token is evaluated again for its logits.
	n := 0
	for n < len(e.cached) && n < len(tokens) && e.cached[n] == tokens[n] {
		n++
	}
	n = min(n, len(tokens)-1)
	if n < len(e.cached) {
		if ok, err := llama.MemorySeqRm(mem, 0, llama.Pos(n), -1); err != nil || !ok {
			_ = llama.MemoryClear(mem, true)
			n = 0
		}
		e.cached = e.cached[:n]
	}
	res.CachedTokens = n

	sampler, err := e.newSampler(p)
	if err != nil {
		return err
	}
	defer llama.SamplerFree(sampler)

	batch := int(min(p.nctx, 512))
	for i := n; i < len(tokens); i += batch {
		if err := ctx.Err(); err != nil {
			res.StopReason = StopCancelled
			return err
		}
		chunk := tokens[i:min(i+batch, len(tokens))]
		rc, err := llama.Decode(e.lctx, llama.BatchGetOne(chunk))
		runtime.KeepAlive(chunk)
		if err != nil || rc != 0 {
			e.forget()
			return fmt.Errorf("evaluating the prompt (llama_decode returned %d): %v", rc, err)
		}
		e.cached = append(e.cached, chunk...)
	}
	res.PromptDuration = time.Since(start)
	genStart := time.Now()

	var text, pending []byte
	buf := make([]byte, 256)
	next := make([]llama.Token, 1)
	finish := func() {
		res.Text = string(text)
		res.Duration = time.Since(start)
		if d := time.Since(genStart).Seconds(); d > 0 {
			res.TokensPerSecond = float64(res.Tokens) / d
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			res.StopReason = StopCancelled
			break
		}
		tok := llama.SamplerSample(sampler, e.lctx, -1)
		if !p.ignoreEOS && llama.VocabIsEOG(e.model.vocab, tok) {
			res.StopReason = StopEOS
			break
		}
		k := llama.TokenToPiece(e.model.vocab, tok, buf, 0, false)
		if k < 0 {
			buf = make([]byte, -k)
			k = llama.TokenToPiece(e.model.vocab, tok, buf, 0, false)
		}
		res.Tokens++
		if k > 0 {
			pending = append(pending, buf[:k]...)
			if c := completeUTF8(pending); c > 0 {
				piece := string(pending[:c])
				text = append(text, pending[:c]...)
				pending = append(pending[:0], pending[c:]...)
				if onPiece != nil {
					if err := onPiece(piece); err != nil {
						res.StopReason = StopCancelled
						finish()
						return err
					}
				}
			}
		}
		if res.Tokens >= p.maxTokens {
			res.StopReason = StopMaxTokens
			break
		}
		if len(e.cached)+1 >= p.nctx {
			res.StopReason = StopContext
			break
		}
		next[0] = tok
		rc, err := llama.Decode(e.lctx, llama.BatchGetOne(next))
		if err != nil || rc != 0 {
			e.forget()
			finish()
			return fmt.Errorf("decoding token %d (llama_decode returned %d): %v", res.Tokens, rc, err)
		}
		e.cached = append(e.cached, tok)
	}
	if len(pending) > 0 {
		text = append(text, pending...)
		if onPiece != nil && res.StopReason != StopCancelled {
			_ = onPiece(string(pending))
		}
	}
	finish()
	if res.StopReason == StopCancelled {
		return ctx.Err()
	}
	return nil
}

// newSampler builds the sampler chain: the grammar first (when given), then greedy or
// top-k → top-p → temperature → random draw.
func (e *Engine) newSampler(p genParams) (llama.Sampler, error) {
	chain := llama.SamplerChainInit(llama.SamplerChainDefaultParams())
	if p.grammar != "" {
		g := llama.SamplerInitGrammar(e.model.vocab, p.grammar, "root")
		if g == 0 {
			llama.SamplerFree(chain)
			return 0, fmt.Errorf("%w (see the log for the parse error)", ErrGrammar)
		}
		llama.SamplerChainAdd(chain, g)
	}
	if p.temp <= 0 {
		llama.SamplerChainAdd(chain, llama.SamplerInitGreedy())
		return chain, nil
	}
	if p.topK > 0 {
		llama.SamplerChainAdd(chain, llama.SamplerInitTopK(int32(p.topK)))
	}
	if p.topP > 0 && p.topP < 1 {
		llama.SamplerChainAdd(chain, llama.SamplerInitTopP(p.topP, 1))
	}
	llama.SamplerChainAdd(chain, llama.SamplerInitTemp(p.temp))
	seed := p.seed
	if seed == 0 {
		seed = uint32(time.Now().UnixNano())
	}
	llama.SamplerChainAdd(chain, llama.SamplerInitDist(seed))
	return chain, nil
}

// inputError is a bad-input [apperr.Error] that also wraps its cause, so both
// errors.As(err, **apperr.Error) and errors.Is(err, cause) hold.
type inputError struct {
	ae    *apperr.Error
	cause error
}

func (e *inputError) Error() string   { return e.ae.Error() }
func (e *inputError) Unwrap() []error { return []error{e.ae, e.cause} }

// badInput makes err a bad-input error with err's text.
func badInput(err error) error {
	return &inputError{ae: apperr.BadInput(err.Error()), cause: err}
}

// badInputWrap is a bad-input error with msg that wraps sentinel.
func badInputWrap(sentinel error, msg string) error {
	return &inputError{ae: apperr.BadInput(msg), cause: sentinel}
}
