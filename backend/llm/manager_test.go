package llm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/llm/gguftest"
)

func TestManagerFindsLoadsAndUnloads(t *testing.T) {
	requireLlama(t)
	data, extra := t.TempDir(), t.TempDir()
	if _, err := gguftest.WriteTinyLlama(filepath.Join(data, "models", "tiny.gguf"), gguftest.TinyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := gguftest.WriteTinyLlama(filepath.Join(extra, "other.gguf"), gguftest.TinyOptions{Seed: 2, Name: "other", ChatTemplate: templateSamples[9].jinja}); err != nil {
		t.Fatal(err)
	}
	dup := gguftest.TinyLlama(gguftest.TinyOptions{})
	dup.Get("tokenizer.ggml.tokens").([]string)[295] = "▁pump" // would abort the process inside llama.cpp
	if err := dup.WriteFile(filepath.Join(extra, "duplicate-token.gguf")); err != nil {
		t.Fatal(err)
	}
	good, err := gguftest.TinyLlama(gguftest.TinyOptions{}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(extra, "truncated.gguf"), good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}

	m := NewManager(data)
	m.SetExtraDir(extra)
	if dirs := m.Dirs(); dirs[0] != filepath.Join(data, "models") || dirs[len(dirs)-1] != extra {
		t.Fatalf("Dirs = %v", dirs)
	}
	byName := map[string]ModelFile{}
	for _, f := range m.List() {
		byName[filepath.Base(f.Path)] = f
	}
	if byName["tiny.gguf"].Info == nil || byName["other.gguf"].Info == nil ||
		byName["duplicate-token.gguf"].Error == "" || byName["truncated.gguf"].Error == "" {
		t.Fatalf("List = %+v", byName)
	}
	if _, err := m.Resolve("missing"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("Resolve(missing) = %v", err)
	}
	if p, err := m.Resolve("tiny"); err != nil || p != filepath.Join(data, "models", "tiny.gguf") {
		t.Errorf("Resolve(tiny) = %q, %v", p, err)
	}
	if _, err := m.Require(); !errors.Is(err, ErrNoModel) {
		t.Errorf("Require with nothing loaded: %v", err)
	}

	s := testSettings(256, 8)
	st, err := m.Load("tiny", s)
	if err != nil || !st.Loaded || st.Model.Name != "pdmstudio-tiny-llama" || st.Template.Family != TemplateChatML || st.ContextSize != 256 {
		t.Fatalf("Load = %+v, %v", st, err)
	}
	first := m.Engine()
	if _, err := first.Chat(context.Background(), ChatRequest{Messages: []Message{{Role: RoleUser, Content: "hi"}}}, nil); err != nil {
		t.Fatal(err)
	}

	// Malformed files are refused before llama.cpp sees them, and the loaded model stays.
	for _, bad := range []string{"duplicate-token.gguf", "truncated.gguf"} {
		_, err := m.Load(filepath.Join(extra, bad), s)
		if !errors.Is(err, ErrInvalidModel) || apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), bad) {
			t.Errorf("Load(%s) = %v", bad, err)
		}
		if m.Engine() != first {
			t.Errorf("Load(%s) replaced the loaded model", bad)
		}
	}
	if _, err := OpenEngine(filepath.Join(extra, "duplicate-token.gguf"), s); !errors.Is(err, ErrInvalidModel) {
		t.Errorf("OpenEngine(duplicate token) = %v", err)
	}

	// The same file with other settings keeps the engine and takes the settings.
	s2 := s
	s2.Temperature, s2.ContextSize = 0.5, 128
	if st, err := m.Load("tiny.gguf", s2); err != nil || m.Engine() != first || st.Settings.Temperature != 0.5 || st.ContextSize != 128 {
		t.Fatalf("reload with settings: %+v, %v", st, err)
	}
	bad := s
	bad.MaxTokens = -1
	if _, err := m.Load("tiny", bad); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("bad settings: %v", err)
	}

	// Another file replaces the engine; the old one is closed.
	st, err = m.Load("other", s)
	if err != nil || st.Model.Name != "other" || st.Template.Family != TemplateGemma || m.Engine() == first {
		t.Fatalf("Load(other) = %+v, %v", st, err)
	}
	if _, err := first.Chat(context.Background(), ChatRequest{Messages: []Message{{Role: RoleUser, Content: "hi"}}}, nil); !errors.Is(err, ErrEngineClosed) {
		t.Errorf("old engine: %v", err)
	}
	if err := m.Unload(); err != nil || m.Status().Loaded || m.Engine() != nil {
		t.Fatalf("Unload: %v, %+v", err, m.Status())
	}
	if err := m.Unload(); err != nil {
		t.Errorf("second Unload: %v", err)
	}
}
