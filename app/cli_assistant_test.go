package app

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pdmstudio/backend/llm/gguftest"
)

// Chat and explain through the CLI, without a model (grounded, labelled) and with the real
// llama.cpp library on a tiny model the test writes.
func TestAssistantViaCLI(t *testing.T) {
	dir := t.TempDir()
	id := "fan_systemair_axc800_009"
	runCLI(t, "--data-dir", dir, "fleet", "init")
	// Without a prediction there is honestly nothing to explain.
	code, out, _ := runCLI(t, "--data-dir", dir, "explain", id, "--json")
	if code != 0 || !strings.Contains(out, "nothing to explain") {
		t.Fatalf("explain before any prediction: %s", out)
	}
	runCLI(t, "--data-dir", dir, "seed", id, "--samples", "2000")
	if code, _, errs := runCLI(t, "--data-dir", dir, "models", "train", id, "--tasks", "classification,anomaly"); code != 0 {
		t.Fatalf("models: %s", errs)
	}

	code, out, errs := runCLI(t, "--data-dir", dir, "explain", id, "--json")
	var e struct {
		Summary   string `json:"summary"`
		Sources   []any  `json:"sources"`
		Generator string `json:"generator"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e.Summary == "" || len(e.Sources) == 0 || !strings.Contains(e.Generator, "no language model") {
		t.Fatalf("explain without a model: %d %s %s", code, out, errs)
	}

	code, out, errs = runCLI(t, "--data-dir", dir, "chat", "--machine", id, "how do I check the fan belt tension?", "--json")
	lines := jsonLines(t, out)
	if code != 0 || len(lines) < 2 || lines[0]["type"] != "token" || lines[len(lines)-1]["type"] != "done" {
		t.Fatalf("chat without a model: %d %s %s", code, out, errs)
	}

	model := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := gguftest.TinyLlama(gguftest.TinyOptions{Seed: 3, ContextLength: 4096}).WriteFile(model); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "--data-dir", dir, "chat", "--model", model, "--machine", id, "status?", "--json")
	lines = jsonLines(t, out)
	if code != 0 || len(lines) < 2 || lines[len(lines)-1]["type"] != "done" {
		t.Fatalf("chat with the tiny model: %d %s %s", code, out, errs)
	}
	if g, _ := lines[len(lines)-1]["generator"].(string); !strings.Contains(g, "language model") || strings.Contains(g, "no language model") {
		t.Fatalf("generator with a model: %q", g)
	}
	// A malformed model file is refused with a clear error before llama.cpp sees it.
	bad := filepath.Join(t.TempDir(), "bad.gguf")
	os.WriteFile(bad, []byte("GGUF\x03\x00\x00\x00truncated"), 0o644)
	code, out, _ = runCLI(t, "--data-dir", dir, "chat", "--model", bad, "hello", "--json")
	if code != 2 || !strings.Contains(out, `"type":"error"`) {
		t.Fatalf("bad model: exit %d, %s", code, out)
	}
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}
