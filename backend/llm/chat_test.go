package llm

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/llm/gguftest"
)

// testSettings run one thread (the test machines are shared) and greedy decoding.
func testSettings(ctxSize, maxTokens int) Settings {
	s := DefaultSettings()
	s.GPULayers, s.Threads, s.Temperature, s.ContextSize, s.MaxTokens = 0, 1, 0, ctxSize, maxTokens
	return s
}

func openTiny(t testing.TB, o gguftest.TinyOptions, s Settings) *Engine {
	t.Helper()
	requireLlama(t)
	e, err := OpenEngine(writeTiny(t, o), s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func f32(v float32) *float32 { return &v }

func TestSettingsValidate(t *testing.T) {
	if err := DefaultSettings().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultSettings()
	bad.GPULayers, bad.ContextSize, bad.Threads, bad.Temperature, bad.MaxTokens, bad.TopP = -2, 10, -1, 3, 0, 2
	err := bad.Validate()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindBadInput || len(ae.Fields) != 6 {
		t.Fatalf("Validate = %#v", err)
	}
}

func TestEngineStreamsAndReusesThePrompt(t *testing.T) {
	e := openTiny(t, gguftest.TinyOptions{}, testSettings(256, 24))
	if e.Template().Family != TemplateChatML || !e.Template().Recognised || e.ContextSize() != 256 {
		t.Fatalf("template %+v, context %d", e.Template(), e.ContextSize())
	}
	msgs := []Message{
		{Role: RoleSystem, Content: "You are a maintenance assistant."},
		{Role: RoleUser, Content: "Is the pump bearing ok?"},
	}
	var pieces []string
	req := ChatRequest{Messages: msgs, IgnoreEOS: true}
	res, err := e.Chat(context.Background(), req, func(p string) error {
		pieces = append(pieces, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tokens != 24 || res.StopReason != StopMaxTokens || strings.Join(pieces, "") != res.Text || res.FirstToken <= 0 ||
		res.CachedTokens != 0 || res.Template != TemplateChatML || res.AnswerBudget != 24 {
		t.Fatalf("first: %+v, streamed %q", res, strings.Join(pieces, ""))
	}
	t.Logf("%d prompt tokens, %d tokens at %.0f tokens/s, first piece after %v: %q", res.PromptTokens, res.Tokens, res.TokensPerSecond, res.FirstToken, res.Text)

	// The same conversation again: the prompt comes from the cache and greedy decoding
	// gives the same text.
	again, err := e.Chat(context.Background(), req, nil)
	if err != nil || again.Text != res.Text || again.CachedTokens != res.PromptTokens-1 {
		t.Fatalf("again: %+v, %v", again, err)
	}
	// A follow-up turn reuses the earlier turns and matches a fresh engine's answer.
	follow := append(append([]Message{}, msgs...), Message{Role: RoleAssistant, Content: res.Text}, Message{Role: RoleUser, Content: "And the motor?"})
	cached, err := e.Chat(context.Background(), ChatRequest{Messages: follow, IgnoreEOS: true}, nil)
	if err != nil || cached.CachedTokens < res.PromptTokens-1 {
		t.Fatalf("follow-up: %+v, %v", cached, err)
	}
	fresh := openTiny(t, gguftest.TinyOptions{}, testSettings(256, 24))
	want, err := fresh.Chat(context.Background(), ChatRequest{Messages: follow, IgnoreEOS: true}, nil)
	if err != nil || want.Text != cached.Text || want.CachedTokens != 0 {
		t.Fatalf("fresh engine: %q (%v); cached engine: %q", want.Text, err, cached.Text)
	}

	// Stopping: the callback's error, and a cancelled context.
	stop := errors.New("enough")
	n := 0
	part, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, MaxTokens: 100, IgnoreEOS: true}, func(string) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || part.StopReason != StopCancelled || part.Tokens > 10 {
		t.Errorf("callback stop: %+v, %v", part, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Chat(ctx, req, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}

	// Sampling with a seed is reproducible.
	s1, err1 := e.Chat(context.Background(), ChatRequest{Messages: msgs, Temperature: f32(0.9), Seed: 42, IgnoreEOS: true}, nil)
	s2, err2 := e.Chat(context.Background(), ChatRequest{Messages: msgs, Temperature: f32(0.9), Seed: 42, IgnoreEOS: true}, nil)
	if err1 != nil || err2 != nil || s1.Text != s2.Text {
		t.Errorf("seeded sampling: %q / %q (%v, %v)", s1.Text, s2.Text, err1, err2)
	}

	// Bad conversations.
	for _, bad := range [][]Message{nil, {{Role: "robot", Content: "x"}}} {
		_, err := e.Chat(context.Background(), ChatRequest{Messages: bad}, nil)
		if apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("messages %v: %v", bad, err)
		}
	}
}

// TestEngineGrammarOutputParses: even random weights produce JSON with the schema's keys when
// the grammar constrains them, greedy or sampled.
func TestEngineGrammarOutputParses(t *testing.T) {
	e := openTiny(t, gguftest.TinyOptions{ContextLength: 4096}, testSettings(4096, 512))
	grammar, err := testSchema.Grammar()
	if err != nil {
		t.Fatal(err)
	}
	msgs := []Message{{Role: RoleUser, Content: "Explain the pump's risk as JSON."}}
	for i, temp := range []float32{0, 0.7, 1.2, 1.2} {
		res, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, Grammar: grammar, MaxTokens: testSchema.MaxBytes(),
			Temperature: f32(temp), Seed: uint32(i + 1)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Summary     *string   `json:"summary"`
			RiskFactors *[]string `json:"risk_factors"`
			Actions     []struct {
				Action   string `json:"action"`
				Priority string `json:"priority"`
			} `json:"actions"`
			Score  *float64 `json:"score"`
			Urgent *bool    `json:"urgent"`
			Count  *int64   `json:"count"`
		}
		dec := json.NewDecoder(strings.NewReader(res.Text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("temperature %g: %v in %q (%+v)", temp, err, res.Text, res.Result)
		}
		if res.StopReason != StopEOS || doc.Summary == nil || doc.RiskFactors == nil || len(doc.Actions) == 0 || doc.Score == nil || doc.Urgent == nil || doc.Count == nil {
			t.Fatalf("temperature %g: stop %s, %q", temp, res.StopReason, res.Text)
		}
		for _, a := range doc.Actions {
			if a.Action == "" || (a.Priority != "high" && a.Priority != "medium" && a.Priority != "low") {
				t.Errorf("action %+v", a)
			}
		}
		t.Logf("temperature %g: %d tokens in %v: %s", temp, res.Tokens, res.Duration, res.Text)
	}
	if _, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, Grammar: "root ::= nothing-defined"}, nil); !errors.Is(err, ErrGrammar) {
		t.Errorf("bad grammar: %v", err)
	}
	// The engine still works after a refused grammar.
	if _, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, MaxTokens: 4}, nil); err != nil {
		t.Error(err)
	}
}

func TestEngineTrimsHistoryToFit(t *testing.T) {
	e := openTiny(t, gguftest.TinyOptions{}, testSettings(256, 32))
	system := Message{Role: RoleSystem, Content: "You are a maintenance assistant."}
	msgs := []Message{system}
	for i := 0; i < 8; i++ {
		msgs = append(msgs,
			Message{Role: RoleUser, Content: "the motor bearing temperature is high and the vibration is high"},
			Message{Role: RoleAssistant, Content: "check the bearing and replace the bearing soon"})
	}
	last := Message{Role: RoleUser, Content: "what is the RUL of the pump?"}
	msgs = append(msgs, last)

	e.model.mu.RLock()
	tokens, answer, trimmed, err := e.fit(msgs, 256, 32)
	e.model.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	if trimmed == 0 || trimmed%2 != 0 || len(tokens)+answer > 256 || answer != 32 {
		t.Fatalf("fit: %d tokens, answer %d, trimmed %d", len(tokens), answer, trimmed)
	}
	kept := append([]Message{system}, msgs[1+trimmed:]...)
	if want := e.template.Render(kept, true); len(tokens) != e.CountTokens(want)+1 { // +1: BOS
		t.Errorf("fit kept something else than the system prompt and the newest turns")
	}
	// The oldest turns went: the prompt still starts with the system prompt and ends with the question.
	res, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, IgnoreEOS: true}, nil)
	if err != nil || res.Trimmed != trimmed || res.PromptTokens+res.Tokens > 256 || res.Tokens != 32 {
		t.Fatalf("Chat: %+v, %v", res, err)
	}
	t.Logf("%d of %d messages dropped; prompt %d tokens + answer %d", res.Trimmed, len(msgs), res.PromptTokens, res.Tokens)

	// Only the system prompt and a long question: the answer gets what is left.
	base := e.CountTokens(e.template.Render([]Message{system, {Role: RoleUser, Content: ""}}, true)) + 1
	unit := e.CountTokens(strings.Repeat("the pump ", 10)) / 10
	long := []Message{system, {Role: RoleUser, Content: strings.Repeat("the pump ", (256-base-44)/unit)}}
	res, err = e.Chat(context.Background(), ChatRequest{Messages: long, MaxTokens: 64, IgnoreEOS: true}, nil)
	// The answer gets at least min(64, 256/8) tokens.
	if err != nil || res.AnswerBudget >= 64 || res.AnswerBudget < 32 || res.PromptTokens+res.AnswerBudget != 256 {
		t.Fatalf("long question: %+v, %v", res, err)
	}
	// A question that cannot fit is refused with a clear bad-input error.
	huge := []Message{system, {Role: RoleUser, Content: strings.Repeat("the pump ", 400)}}
	_, err = e.Chat(context.Background(), ChatRequest{Messages: huge}, nil)
	if !errors.Is(err, ErrPromptTooLong) || apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), "context holds 256") {
		t.Fatalf("huge question: %v", err)
	}
}

// TestEngineQueue: one generation at a time, in arrival order; cancelling a queued request
// removes it without running; cancelling the running one lets the next start; closing fails
// the queue.
func TestEngineQueue(t *testing.T) {
	e := openTiny(t, gguftest.TinyOptions{}, testSettings(256, 8))
	msgs := []Message{{Role: RoleUser, Content: "the pump"}}
	var mu sync.Mutex
	var order []string
	started := func(name string) { mu.Lock(); order = append(order, name); mu.Unlock() }
	waitQueued := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); e.Queued() != n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("queue length %d, want %d", e.Queued(), n)
			}
		}
	}

	// A runs and holds the engine until released.
	release := make(chan struct{})
	running := make(chan struct{})
	aDone := make(chan error, 1)
	go func() {
		first := true
		_, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, IgnoreEOS: true}, func(string) error {
			if first {
				first = false
				started("A")
				close(running)
				<-release
			}
			return nil
		})
		aDone <- err
	}()
	<-running

	// B, C, D queue up behind A in that order.
	type outcome struct {
		name string
		res  ChatResult
		err  error
	}
	results := make(chan outcome, 3)
	ctxB, cancelB := context.WithCancel(context.Background())
	launch := func(ctx context.Context, name string) {
		go func() {
			first := true
			res, err := e.Chat(ctx, ChatRequest{Messages: msgs, IgnoreEOS: true}, func(string) error {
				if first {
					first = false
					started(name)
				}
				return nil
			})
			results <- outcome{name, res, err}
		}()
	}
	launch(ctxB, "B")
	waitQueued(1)
	launch(context.Background(), "C")
	waitQueued(2)
	launch(context.Background(), "D")
	waitQueued(3)

	// Cancelling B while it waits returns at once, without running.
	t0 := time.Now()
	cancelB()
	b := <-results
	if b.name != "B" || !errors.Is(b.err, context.Canceled) || b.res.Tokens != 0 || time.Since(t0) > 2*time.Second {
		t.Fatalf("cancelled while queued: %+v after %v", b, time.Since(t0))
	}
	waitQueued(2)

	close(release)
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if r := <-results; r.err != nil || r.res.Tokens != 8 || r.res.QueueWait <= 0 {
			t.Errorf("%s: %+v", r.name, r)
		}
	}
	mu.Lock()
	if strings.Join(order, "") != "ACD" {
		t.Errorf("run order %v, want A C D", order)
	}
	mu.Unlock()

	// Cancelling the running request stops it at the next token and frees the engine.
	ctxE, cancelE := context.WithCancel(context.Background())
	n := 0
	res, err := e.Chat(ctxE, ChatRequest{Messages: msgs, MaxTokens: 200, IgnoreEOS: true}, func(string) error {
		if n++; n == 5 {
			cancelE()
		}
		return nil
	})
	// Pieces lag tokens by an incomplete UTF-8 character at most (byte tokens).
	if !errors.Is(err, context.Canceled) || res.StopReason != StopCancelled || res.Tokens > 9 {
		t.Fatalf("cancelled while running: %+v, %v", res, err)
	}
	if res, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, MaxTokens: 3}, nil); err != nil || res.Tokens == 0 {
		t.Fatalf("after a cancel: %+v, %v", res, err)
	}

	// Close: the queued request fails, the running one finishes.
	release2 := make(chan struct{})
	running2 := make(chan struct{})
	go func() {
		first := true
		_, err := e.Chat(context.Background(), ChatRequest{Messages: msgs, IgnoreEOS: true}, func(string) error {
			if first {
				first = false
				close(running2)
				<-release2
			}
			return nil
		})
		aDone <- err
	}()
	<-running2
	launch(context.Background(), "F")
	waitQueued(1)
	closed := make(chan error, 1)
	go func() { closed <- e.Close() }()
	if f := <-results; !errors.Is(f.err, ErrEngineClosed) {
		t.Errorf("queued at close: %v", f.err)
	}
	close(release2)
	if err := <-aDone; err != nil {
		t.Errorf("running at close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Error(err)
	}
	if _, err := e.Chat(context.Background(), ChatRequest{Messages: msgs}, nil); !errors.Is(err, ErrEngineClosed) {
		t.Errorf("after close: %v", err)
	}
}
