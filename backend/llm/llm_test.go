package llm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"pdmstudio/backend/llm/gguftest"
)

const envRequireRuntimes = "PDMSTUDIO_REQUIRE_RUNTIMES"

var (
	testInitOnce sync.Once
	testInfo     Info
	testInitErr  error
)

// repoLibraryDir walks up to the module root and returns its models/llama/<platform>.
func repoLibraryDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "models", "llama", PlatformDir())
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// requireLlama loads the real llama.cpp once per test binary. It skips when the libraries
// are absent, unless PDMSTUDIO_REQUIRE_RUNTIMES is set, in which case it fails.
func requireLlama(tb testing.TB) Info {
	tb.Helper()
	testInitOnce.Do(func() {
		dirs := DefaultLibraryDirs()
		if os.Getenv(EnvLibrary) == "" {
			dirs = append(dirs, repoLibraryDir())
		}
		dir, err := FindLibrary(dirs...)
		if err != nil {
			testInitErr = err
			return
		}
		testInfo, testInitErr = InitFrom(dir)
	})
	if testInitErr != nil {
		if os.Getenv(envRequireRuntimes) != "" {
			tb.Fatalf("llama.cpp is required (%s is set): %v", envRequireRuntimes, testInitErr)
		}
		tb.Skipf("llama.cpp libraries not available, skipping (run scripts/fetch-runtimes.sh models; set %s=1 to fail instead): %v",
			envRequireRuntimes, testInitErr)
	}
	return testInfo
}

func writeTiny(t testing.TB, o gguftest.TinyOptions) string {
	t.Helper()
	p, err := gguftest.WriteTinyLlama(filepath.Join(t.TempDir(), "tiny.gguf"), o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFindLibrary(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	partial := filepath.Join(dir, "partial")
	for _, d := range []string{good, partial} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, short := range requiredLibraries {
		if err := os.WriteFile(libraryFile(good, short), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(libraryFile(partial, "llama"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FindLibrary(partial, good); err != nil || got != good {
		t.Errorf("FindLibrary = %q, %v; want %q", got, err, good)
	}
	_, err := FindLibrary(partial, filepath.Join(dir, "none"))
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), partial) {
		t.Errorf("err = %v", err)
	}
	t.Setenv(EnvLibrary, "/opt/llama")
	if got := DefaultLibraryDirs(); !slices.Equal(got, []string{"/opt/llama"}) {
		t.Errorf("with %s: %v", EnvLibrary, got)
	}
}

func TestInspectTinyModel(t *testing.T) {
	for _, f16 := range []bool{false, true} {
		path := writeTiny(t, gguftest.TinyOptions{F16: f16})
		mi, err := Inspect(path)
		if err != nil {
			t.Fatal(err)
		}
		wantType := "F32"
		if f16 {
			wantType = "F16"
		}
		// 300×64 embeddings + output, 2 layers × (4×64×64 + 3×64×128 + 2×64), output norm 64.
		wantParams := uint64(2*300*64 + 2*(4*64*64+3*64*128+2*64) + 64)
		if mi.Architecture != "llama" || mi.Name != "pdmstudio-tiny-llama" || mi.VocabSize != 300 ||
			mi.Layers != 2 || mi.EmbeddingLength != 64 || mi.Heads != 4 || mi.ContextLength != 256 ||
			mi.FileType != wantType || mi.Parameters != wantParams || mi.Tokenizer != "llama" ||
			mi.ChatTemplate != gguftest.DefaultChatTemplate || mi.GGUFVersion != 3 || mi.Tensors != 21 {
			t.Errorf("Inspect = %+v", mi)
		}
		if !f16 && (mi.Size < 400_000 || mi.Size > 700_000) {
			t.Errorf("tiny F32 model is %d bytes, want about 0.5 MB", mi.Size)
		}
		t.Logf("%s: %d bytes, %s parameters, %.1f bits/weight", wantType, mi.Size, mi.ParametersText, mi.BitsPerWeight)
	}
}

func TestInspectRejectsMalformedFiles(t *testing.T) {
	dir := t.TempDir()
	good, err := gguftest.TinyLlama(gguftest.TinyOptions{}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(fn func(f *gguftest.File)) []byte {
		f := gguftest.TinyLlama(gguftest.TinyOptions{})
		fn(f)
		b, err := f.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tokens := func(f *gguftest.File) []string { return f.Get("tokenizer.ggml.tokens").([]string) }
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"duplicate token", mutate(func(f *gguftest.File) { tokens(f)[290] = "▁motor" }), "are the same string"},
		{"empty token clashing", mutate(func(f *gguftest.File) { tokens(f)[290] = ""; tokens(f)[291] = "[EMPTY_290]" }), "are the same string"},
		{"truncated data", good[:len(good)-1000], "only 481560 follow the header"},
		{"truncated header", good[:200], "not a valid GGUF model"},
		{"not gguf", []byte("this is not a gguf file, just some text that is long enough"), "not a valid GGUF model"},
		{"empty", nil, "not a valid GGUF model"},
		{"short scores", mutate(func(f *gguftest.File) { f.Set("tokenizer.ggml.scores", make([]float32, 10)) }), "scores has 10 entries"},
		{"scores of strings", mutate(func(f *gguftest.File) { f.Set("tokenizer.ggml.scores", []string{"a"}) }), "scores must be an array"},
		{"token types short", mutate(func(f *gguftest.File) { f.Set("tokenizer.ggml.token_type", []int32{1}) }), "token_type has 1 entries"},
		{"tokens not strings", mutate(func(f *gguftest.File) { f.Set("tokenizer.ggml.tokens", []int32{1, 2, 3}) }), "must be an array of strings"},
		{"no tokenizer", mutate(func(f *gguftest.File) {
			f.KVs = slices.DeleteFunc(f.KVs, func(kv gguftest.KV) bool { return kv.Key == "tokenizer.ggml.tokens" })
		}), "no tokenizer vocabulary"},
		{"no architecture", mutate(func(f *gguftest.File) {
			f.KVs = slices.DeleteFunc(f.KVs, func(kv gguftest.KV) bool { return kv.Key == "general.architecture" })
		}), "general.architecture"},
		{"bad alignment", mutate(func(f *gguftest.File) { f.Set("general.alignment", uint32(24)); f.Alignment = 24 }), "not a power of two"},
		{"alignment wrong type", mutate(func(f *gguftest.File) { f.Set("general.alignment", "32") }), ""},
		{"duplicate tensor", mutate(func(f *gguftest.File) { f.Tensors[3].Name = f.Tensors[4].Name }), "appears twice"},
		{"misaligned tensor", mutate(func(f *gguftest.File) { f.Tensors[2].OffsetOverride = 7 }), "not aligned"},
		{"tensor beyond end", mutate(func(f *gguftest.File) { f.Tensors[5].OffsetOverride = 1 << 30 }), "beyond the end"},
		{"zero dimension", mutate(func(f *gguftest.File) {
			f.Tensors[1].Dims = []uint64{64, 0}
			f.Tensors[1].Data = nil
		}), "dimension 0"},
		{"embedding rows", mutate(func(f *gguftest.File) {
			f.Tensors[0].Dims = []uint64{64, 299}
			f.Tensors[0].Data = f.Tensors[0].Data[:64*299]
		}), "299 rows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".gguf")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Inspect(path)
			if err == nil {
				t.Fatal("Inspect accepted the file")
			}
			if !errors.Is(err, ErrInvalidModel) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want ErrInvalidModel naming the file and saying %q", err, tc.want)
			}
			t.Log(err)
		})
	}
	if _, err := Inspect(filepath.Join(dir, "missing.gguf")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: %v", err)
	}
	split := filepath.Join(dir, "model-00001-of-00002.gguf")
	if err := os.WriteFile(split, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(split); err == nil || !strings.Contains(err.Error(), "split model") {
		t.Errorf("split part: %v", err)
	}
	// A special token id out of range is tolerated by llama.cpp: a warning, not an error.
	oob := filepath.Join(dir, "oob.gguf")
	f := gguftest.TinyLlama(gguftest.TinyOptions{})
	f.Set("tokenizer.ggml.padding_token_id", uint32(5000))
	if err := f.WriteFile(oob); err != nil {
		t.Fatal(err)
	}
	if mi, err := Inspect(oob); err != nil || len(mi.Warnings) != 1 {
		t.Errorf("out-of-range pad id: %+v, %v", mi.Warnings, err)
	}
}

func TestInitAndProbe(t *testing.T) {
	info := requireLlama(t)
	if !info.Loaded || info.Version == "" || !slices.Contains(info.Backends, "CPU") || len(info.Devices) == 0 {
		t.Fatalf("Info = %+v", info)
	}
	t.Logf("llama.cpp %s (%s) at %s; backends %v; devices %+v; GPU offload %v; %s",
		info.Version, info.Package, info.Path, info.Backends, info.Devices, info.GPUOffload, info.SystemInfo)
	if p := Probe(); !p.Loaded || p.Path != info.Path || p.Version != info.Version {
		t.Errorf("Probe() = %+v", p)
	}
	if again, err := Init(); err != nil || again.Path != info.Path {
		t.Errorf("Init again = %+v, %v", again, err)
	}
}

func TestGenerateWithTinyModel(t *testing.T) {
	requireLlama(t)
	m, err := LoadModel(writeTiny(t, gguftest.TinyOptions{}), ModelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Info().VocabSize != 300 {
		t.Errorf("Info = %+v", m.Info())
	}

	var pieces []string
	opts := GenerateOptions{MaxTokens: 20, IgnoreEOS: true, ContextSize: 128, Threads: 1}
	res, err := m.Generate(context.Background(), "the motor bearing temperature is", opts, func(p string) error {
		pieces = append(pieces, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tokens != 20 || res.StopReason != StopMaxTokens || res.PromptTokens < 2 {
		t.Errorf("Result = %+v", res)
	}
	if strings.Join(pieces, "") != res.Text {
		t.Errorf("streamed %q, result %q", strings.Join(pieces, ""), res.Text)
	}
	t.Logf("greedy: %d prompt tokens, %d tokens at %.0f tokens/s: %q", res.PromptTokens, res.Tokens, res.TokensPerSecond, res.Text)

	// Greedy decoding is deterministic.
	again, err := m.Generate(context.Background(), "the motor bearing temperature is", opts, nil)
	if err != nil || again.Text != res.Text {
		t.Errorf("second greedy run: %q, %v; first %q", again.Text, err, res.Text)
	}

	// A chat-template prompt with special tokens, sampled, stopping at EOS or 30 tokens.
	prompt := "<|im_start|>user\nIs the pump ok?<|im_end|>\n<|im_start|>assistant\n"
	sampled, err := m.Generate(context.Background(), prompt, GenerateOptions{MaxTokens: 30, Temperature: 0.8, Seed: 7, ParseSpecial: true, Threads: 1}, nil)
	if err != nil || sampled.Tokens == 0 || (sampled.StopReason != StopEOS && sampled.StopReason != StopMaxTokens) {
		t.Errorf("sampled = %+v, %v", sampled, err)
	}
	literal, err := m.Generate(context.Background(), prompt, GenerateOptions{MaxTokens: 1, Threads: 1}, nil)
	// Three special tokens of 10 to 12 characters each: parsed, they save about 30 tokens.
	if err != nil || literal.PromptTokens < sampled.PromptTokens+25 {
		t.Errorf("prompt is %d tokens with special tokens parsed, %d without (%v)", sampled.PromptTokens, literal.PromptTokens, err)
	}

	// The callback can stop generation.
	stop := errors.New("enough")
	n := 0
	part, err := m.Generate(context.Background(), "the pump", GenerateOptions{MaxTokens: 50, IgnoreEOS: true, Threads: 1}, func(string) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || part.StopReason != StopCancelled || part.Tokens > 10 {
		t.Errorf("stopped run: %+v, %v", part, err)
	}

	// So can the context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Generate(ctx, "the pump", opts, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := m.Generate(context.Background(), strings.Repeat("the pump ", 100), GenerateOptions{ContextSize: 64, Threads: 1}, nil); err == nil {
		t.Error("a prompt longer than the context was accepted")
	}
}

func TestLoadModelRefusesMalformedFileBeforeLlama(t *testing.T) {
	requireLlama(t)
	f := gguftest.TinyLlama(gguftest.TinyOptions{})
	f.Get("tokenizer.ggml.tokens").([]string)[295] = "▁pump" // would abort the process inside llama.cpp
	path := filepath.Join(t.TempDir(), "dup.gguf")
	if err := f.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadModel(path, ModelOptions{}); !errors.Is(err, ErrInvalidModel) {
		t.Fatalf("LoadModel = %v, want ErrInvalidModel", err)
	}
}

func TestCompleteUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"abc", 3}, {"a\xc3", 1}, {"a\xc3\xa9", 3}, {"\xe2\x82", 0}, {"\xe2\x82\xac", 3},
		{"x\xf0\x9f\x98", 1}, {"\xf0\x9f\x98\x80", 4}, {"\x80\x80\x80\x80", 4}, {"", 0},
	} {
		if got := completeUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("completeUTF8(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// BenchmarkGenerateTiny measures decoding speed on the tiny test model (not a real model's).
func BenchmarkGenerateTiny(b *testing.B) {
	requireLlama(b)
	m, err := LoadModel(writeTiny(b, gguftest.TinyOptions{}), ModelOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	for _, threads := range []int{1, 0} {
		name := "threads=default"
		if threads > 0 {
			name = "threads=1"
		}
		b.Run(name, func(b *testing.B) {
			opts := GenerateOptions{MaxTokens: 64, IgnoreEOS: true, ContextSize: 128, Threads: threads}
			var tokens int
			for b.Loop() {
				res, err := m.Generate(context.Background(), "the motor", opts, nil)
				if err != nil {
					b.Fatal(err)
				}
				tokens += res.Tokens
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

func TestFindModels(t *testing.T) {
	data := t.TempDir()
	if dirs := ModelDirs(data); dirs[0] != filepath.Join(data, "models") {
		t.Errorf("ModelDirs = %v", dirs)
	}
	dir := filepath.Join(data, "models")
	if _, err := gguftest.WriteTinyLlama(filepath.Join(dir, "b-tiny.gguf"), gguftest.TinyOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a-broken.gguf"), []byte("GGUF broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := FindModels(dir, dir, filepath.Join(data, "missing"))
	if len(got) != 2 || got[0].Error == "" || got[0].Info != nil || got[1].Info == nil || got[1].Info.VocabSize != 300 {
		t.Fatalf("FindModels = %+v", got)
	}
}
