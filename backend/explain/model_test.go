package explain

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode"

	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/llm"
	"pdmstudio/backend/llm/gguftest"
)

var (
	llamaOnce sync.Once
	llamaErr  error
)

// requireLlama loads the real llama.cpp from the usual places or the repository's
// models/llama/<platform>; it skips when absent unless PDMSTUDIO_REQUIRE_RUNTIMES is set.
func requireLlama(t testing.TB) {
	t.Helper()
	llamaOnce.Do(func() {
		dirs := llm.DefaultLibraryDirs()
		if wd, err := os.Getwd(); err == nil && os.Getenv(llm.EnvLibrary) == "" {
			dirs = append(dirs, filepath.Join(wd, "..", "..", "models", "llama", llm.PlatformDir()))
		}
		dir, err := llm.FindLibrary(dirs...)
		if err == nil {
			_, err = llm.InitFrom(dir)
		}
		llamaErr = err
	})
	if llamaErr != nil {
		if os.Getenv("PDMSTUDIO_REQUIRE_RUNTIMES") != "" {
			t.Fatalf("llama.cpp is required: %v", llamaErr)
		}
		t.Skipf("llama.cpp not available: %v", llamaErr)
	}
}

// vocabulary returns word tokens for the tiny model so that text tokenizes into words (the
// default tiny vocabulary spends one byte token per character, which makes a 6000-character
// prompt 10 000 tokens): every character, and every prefix of every "▁word" (SentencePiece
// builds a word by merging adjacent pieces that are themselves tokens).
func vocabulary(text string) []string {
	seen := map[string]bool{"<s>": true, "</s>": true, "<unk>": true, "<|im_start|>": true, "<|im_end|>": true}
	var out []string
	add := func(s string) {
		if !seen[s] && !strings.HasPrefix(s, "<0x") {
			seen[s] = true
			out = append(out, s)
		}
	}
	add("▁")
	for _, r := range text {
		if unicode.IsPrint(r) && r != ' ' {
			add(string(r))
		}
	}
	for _, w := range strings.Fields(text) {
		rs := []rune("▁" + w)
		for k := 2; k <= len(rs); k++ {
			add(string(rs[:k]))
		}
	}
	return out
}

// tinyEngine serves a tiny random-weight model whose vocabulary holds the words of text.
func tinyEngine(t testing.TB, ctxSize int, text string) *llm.Engine {
	t.Helper()
	requireLlama(t)
	path, err := gguftest.WriteTinyLlama(filepath.Join(t.TempDir(), "tiny.gguf"), gguftest.TinyOptions{ContextLength: ctxSize, Words: vocabulary(text)})
	if err != nil {
		t.Fatal(err)
	}
	s := llm.DefaultSettings()
	s.GPULayers, s.Threads, s.ContextSize = 0, 1, ctxSize
	e, err := llm.OpenEngine(path, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// promptText is the text of the explanation prompt for in.
func promptText(in Input) string {
	a := Analyze(in)
	var b strings.Builder
	for _, m := range Prompt(in, a, gather(in, a, knowledge.Default(), 4)) {
		b.WriteString(m.Content + "\n")
	}
	return b.String()
}

// TestExplainWithModel: even a random-weight model yields a parsed explanation under the JSON
// grammar; the sources come from retrieval, not from the model.
func TestExplainWithModel(t *testing.T) {
	in := bearingWearInput(t)
	eng := tinyEngine(t, 8192, promptText(in))
	var raw strings.Builder
	e, err := Explain(context.Background(), in, Options{Engine: eng, OnPiece: func(p string) error { raw.WriteString(p); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generator %q\nsummary %q\nrisk %q\nrecommendations %+v\nsources %v", e.Generator, e.Summary, e.RiskFactors, e.Recommendations, e.Sources)
	if !strings.HasPrefix(e.Generator, "language model pdmstudio-tiny-llama (tiny.gguf)") {
		t.Fatalf("generator %q (the answer should parse under the grammar)", e.Generator)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw.String()), &doc); err != nil {
		t.Fatalf("streamed answer is not JSON: %v", err)
	}
	for _, k := range []string{"summary", "risk_factors", "recommendations"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	if e.Summary == "" || len(e.Recommendations) == 0 || len(e.Sources) == 0 || e.LikelyCauses[0] != "bearing_wear" {
		t.Fatalf("explanation %+v", e)
	}
	for _, r := range e.Recommendations {
		if r.Priority != "high" && r.Priority != "medium" && r.Priority != "low" {
			t.Errorf("priority %q", r.Priority)
		}
	}
	checkSources(t, e.Sources)
	if e.Sources[0] != (knowledge.Source{Document: "Electric motor maintenance manual", Section: "Failure modes > Bearing wear (bearing_wear)"}) {
		t.Errorf("first source %v", e.Sources[0])
	}
}

// TestExplainFallsBackWhenTheModelCannot: a context too small for the facts gives the
// structured explanation, labelled as such.
func TestExplainFallsBackWhenTheModelCannot(t *testing.T) {
	eng := tinyEngine(t, 256, "")
	e, err := Explain(context.Background(), bearingWearInput(t), Options{Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.Generator, "structured (the language model's answer was not usable: the facts alone do not fit") ||
		len(e.LikelyCauses) == 0 || e.LikelyCauses[0] != "bearing_wear" || len(e.Recommendations) == 0 {
		t.Errorf("fallback %+v", e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Explain(ctx, bearingWearInput(t), Options{Engine: eng}); err == nil {
		t.Error("a cancelled explanation succeeded")
	}
}
