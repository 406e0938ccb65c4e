package llm

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/hybridgroup/yzma/pkg/llama"

	"pdmstudio/backend/llm/gguftest"
)

// benchTokens is the answer length of every iteration.
const benchTokens = 128

// BenchmarkStreamingOverhead compares the engine's streaming path (FIFO queue, chat template,
// context fitting, UTF-8-safe pieces, callback) with a plain yzma decode loop over the same
// tiny model, library, prompt length, thread count (1) and greedy sampler, in one run:
//
//	yzma          plain loop: clear memory, tokenize, decode the prompt, sample/decode 128 tokens
//	engine/cold   Engine.Chat with a different system prompt each time (no prompt reuse)
//	engine/warm   Engine.Chat with the same conversation each time (prompt reused from the KV cache)
//
// Metrics: tokens/s over the whole call, and ttft-µs, the time from the call to the first
// piece of text. interleaved alternates yzma and engine/cold calls and reports the engine's
// median overhead; the target is ≤ 5 %.
func BenchmarkStreamingOverhead(b *testing.B) {
	requireLlama(b)
	path := writeTiny(b, gguftest.TinyOptions{ContextLength: 1024})
	s := testSettings(512, benchTokens)
	e, err := OpenEngine(path, s)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	question := "What do high bearing temperature and rising vibration on the motor mean?"
	// The system prompt differs from the previous one in its first character, so engine/cold
	// reuses only the ten tokens of "<s><|im_start|>system\n" (the tiny vocabulary spells
	// "system" in bytes).
	system := func(i int) string {
		return fmt.Sprintf("%c%c%c You are a maintenance assistant for the pump and motor fleet.", 'A'+i%26, 'A'+i/26%26, 'A'+i/676%26)
	}
	sink := 0
	onPiece := func(p string) error { sink += len(p); return nil }

	b.Run("yzma", func(b *testing.B) {
		// The plain loop gets its own context of the same size, as an application would.
		cp := llama.ContextDefaultParams()
		cp.NCtx, cp.NBatch, cp.NUbatch, cp.NSeqMax, cp.NThreads, cp.NThreadsBatch = 512, 512, 512, 1, 1, 1
		lctx, err := llama.InitFromModel(e.model.model, cp)
		if err != nil {
			b.Fatal(err)
		}
		defer llama.Free(lctx)
		var ttft time.Duration
		i := 0
		for b.Loop() {
			prompt := FormatChat(TemplateChatML, []Message{{Role: RoleSystem, Content: system(i)}, {Role: RoleUser, Content: question}}, true)
			i++
			ttft += plainDecode(b, e.model, lctx, prompt, benchTokens, func(p string) { sink += len(p) })
		}
		report(b, ttft)
	})
	b.Run("engine/cold", func(b *testing.B) {
		var ttft time.Duration
		i := 0
		for b.Loop() {
			msgs := []Message{{Role: RoleSystem, Content: system(i)}, {Role: RoleUser, Content: question}}
			i++
			res, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, IgnoreEOS: true}, onPiece)
			if err != nil || res.Tokens != benchTokens || res.CachedTokens > 12 {
				b.Fatalf("%+v, %v", res, err)
			}
			ttft += res.FirstToken
		}
		report(b, ttft)
	})
	b.Run("engine/warm", func(b *testing.B) {
		msgs := []Message{{Role: RoleSystem, Content: system(0)}, {Role: RoleUser, Content: question}}
		var ttft time.Duration
		for b.Loop() {
			res, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, IgnoreEOS: true}, onPiece)
			if err != nil || res.Tokens != benchTokens {
				b.Fatalf("%+v, %v", res, err)
			}
			ttft += res.FirstToken
		}
		report(b, ttft)
	})
	// interleaved runs one plain-loop call and one engine/cold call per iteration, in
	// alternating order, so both see the same load on a busy machine. overhead-% is the
	// median over iterations of the engine's time relative to the plain loop's (robust to
	// the bursts of other processes); ttft-overhead-µs the median difference of the times to
	// the first piece.
	b.Run("interleaved", func(b *testing.B) {
		cp := llama.ContextDefaultParams()
		cp.NCtx, cp.NBatch, cp.NUbatch, cp.NSeqMax, cp.NThreads, cp.NThreadsBatch = 512, 512, 512, 1, 1, 1
		lctx, err := llama.InitFromModel(e.model.model, cp)
		if err != nil {
			b.Fatal(err)
		}
		defer llama.Free(lctx)
		var plain, engine time.Duration
		var ratios, ttftDiffs, plainTTFT []float64
		i := 0
		for b.Loop() {
			msgs := []Message{{Role: RoleSystem, Content: system(i)}, {Role: RoleUser, Content: question}}
			var tp, te, fp, fe time.Duration
			runPlain := func() {
				t0 := time.Now()
				fp = plainDecode(b, e.model, lctx, FormatChat(TemplateChatML, msgs, true), benchTokens, func(p string) { sink += len(p) })
				tp = time.Since(t0)
			}
			runEngine := func() {
				t0 := time.Now()
				res, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, IgnoreEOS: true}, onPiece)
				te = time.Since(t0)
				if err != nil || res.Tokens != benchTokens {
					b.Fatalf("%+v, %v", res, err)
				}
				fe = res.FirstToken
			}
			if i%2 == 0 {
				runPlain()
				runEngine()
			} else {
				runEngine()
				runPlain()
			}
			i++
			plain += tp
			engine += te
			ratios = append(ratios, te.Seconds()/tp.Seconds())
			ttftDiffs = append(ttftDiffs, float64((fe - fp).Microseconds()))
			plainTTFT = append(plainTTFT, float64(fp.Microseconds()))
		}
		n := float64(b.N * benchTokens)
		b.ReportMetric(n/plain.Seconds(), "yzma-tokens/s")
		b.ReportMetric(n/engine.Seconds(), "engine-tokens/s")
		b.ReportMetric(100*(median(ratios)-1), "overhead-%")
		b.ReportMetric(median(ttftDiffs), "ttft-overhead-µs")
		b.ReportMetric(median(plainTTFT), "yzma-ttft-µs")
	})
	runtime.KeepAlive(sink)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func report(b *testing.B, ttft time.Duration) {
	b.ReportMetric(float64(b.N*benchTokens)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(ttft.Microseconds())/float64(b.N), "ttft-µs")
}

// plainDecode is the loop of PLATFORM-NOTES.md written straight against yzma, with the UTF-8
// hold-back every streaming loop needs; it returns the time to the first piece of text.
func plainDecode(b *testing.B, m *Model, lctx llama.Context, prompt string, n int, onPiece func(string)) time.Duration {
	start := time.Now()
	mem, _ := llama.GetMemory(lctx)
	_ = llama.MemoryClear(mem, true)
	tokens := llama.Tokenize(m.vocab, prompt, true, true)
	if rc, err := llama.Decode(lctx, llama.BatchGetOne(tokens)); err != nil || rc != 0 {
		b.Fatalf("decode prompt: %d, %v", rc, err)
	}
	sampler := llama.SamplerChainInit(llama.SamplerChainDefaultParams())
	llama.SamplerChainAdd(sampler, llama.SamplerInitGreedy())
	defer llama.SamplerFree(sampler)
	var ttft time.Duration
	buf := make([]byte, 256)
	var pending []byte
	next := make([]llama.Token, 1)
	for i := 0; i < n; i++ {
		tok := llama.SamplerSample(sampler, lctx, -1)
		k := llama.TokenToPiece(m.vocab, tok, buf, 0, false)
		// Text for a UI must be valid UTF-8: hold back an incomplete character, as any
		// streaming loop has to (the tiny model often emits byte tokens).
		pending = append(pending, buf[:max(k, 0)]...)
		if c := completeUTF8(pending); c > 0 {
			onPiece(string(pending[:c]))
			pending = append(pending[:0], pending[c:]...)
			if ttft == 0 {
				ttft = time.Since(start)
			}
		}
		next[0] = tok
		if rc, err := llama.Decode(lctx, llama.BatchGetOne(next)); err != nil || rc != 0 {
			b.Fatalf("decode: %d, %v", rc, err)
		}
	}
	runtime.KeepAlive(tokens)
	return ttft
}
