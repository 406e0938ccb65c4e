package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/explain"
	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/llm"
	"pdmstudio/backend/llm/gguftest"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

func ptr[T any](v T) *T { return &v }

// newAssistant opens a fresh data directory with the given fleet machines in the database.
func newAssistant(t *testing.T, machines ...string) (*Assistant, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "pdmstudio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, id := range machines {
		p, err := profiles.FleetProfile(id)
		if err != nil {
			t.Fatal(err)
		}
		data, err := profiles.Encode(p, profiles.FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		tx, _ := st.DB.BeginTx(ctx, nil)
		if err := store.InsertMachine(ctx, tx, store.MachineRow{ID: id + "-u", MachineID: id, MachineType: p.MachineType,
			ProfileJSON: string(data), CreatedAt: store.Now(), UpdatedAt: store.Now()}); err != nil {
			t.Fatal(err)
		}
		tx.Commit()
	}
	a := New(st, dir)
	t.Cleanup(func() { a.Models.Unload() })
	return a, dir
}

// bearingWear is the Prediction hook of a fleet whose motor has a worn drive-end bearing,
// whose pump is healthy, and whose other machines have no prediction.
func bearingWear(_ context.Context, machineID string) (*explain.Input, error) {
	switch machineID {
	case "motor_siemens_1la7_001":
		return &explain.Input{HealthState: ptr(2), Confidence: ptr(0.8), RUL: ptr(150.0),
			TopFactors: []explain.Factor{{Sensor: "vibration_de", Value: 4.6, Contribution: 0.5}, {Sensor: "bearing_temp_de", Value: 77, Contribution: 0.3}}}, nil
	case "pump_ksb_etanorm_005":
		return &explain.Input{HealthState: ptr(0), Confidence: ptr(0.95), Readings: map[string]float64{"vibration": 1.1}}, nil
	}
	return nil, nil
}

func TestChatWithoutModel(t *testing.T) {
	ctx := context.Background()
	a, _ := newAssistant(t, "motor_siemens_1la7_001")
	a.Prediction = bearingWear
	var streamed strings.Builder
	ans, err := a.Chat(ctx, ChatRequest{MachineID: "motor_siemens_1la7_001", Question: "Why is the drive-end bearing temperature rising?"},
		func(s string) error { streamed.WriteString(s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	t.Log(ans.Answer)
	if ans.Generator != GeneratorRetrieval || !strings.HasPrefix(ans.Answer, "No language model is loaded") || streamed.String() != ans.Answer {
		t.Fatalf("answer %+v", ans)
	}
	for _, want := range []string{"**Current condition**", "bearing wear (bearing_wear)", "[1] Electric motor maintenance manual › "} {
		if !strings.Contains(ans.Answer, want) {
			t.Errorf("answer lacks %q", want)
		}
	}
	if len(ans.Sources) == 0 || ans.Sources[0].Document != "Electric motor maintenance manual" {
		t.Errorf("sources %v", ans.Sources)
	}
	sess, err := a.Session(ctx, ans.SessionID)
	if err != nil || len(sess.Messages) != 2 || sess.Messages[1].ID != ans.MessageID || *sess.MachineID != "motor_siemens_1la7_001" ||
		sess.Title != "Why is the drive-end bearing temperature rising?" || !strings.Contains(string(sess.Messages[1].Sources), "Electric motor") {
		t.Fatalf("session %+v, %v", sess, err)
	}

	// A follow-up in the same session; a general session; bad requests.
	if _, err := a.Chat(ctx, ChatRequest{SessionID: ans.SessionID, Question: "How do I regrease it?"}, nil); err != nil {
		t.Fatal(err)
	}
	general, err := a.Chat(ctx, ChatRequest{Question: "What does ISO 10816 zone C mean?"}, nil)
	if err != nil || !strings.Contains(general.Answer, "Condition monitoring basics › Vibration analysis > ISO 10816") || strings.Contains(general.Answer, "Current condition") {
		t.Fatalf("general: %+v, %v", general, err)
	}
	list, _ := a.Sessions(ctx, "", 0)
	if len(list) != 2 || list[0].ID != general.SessionID || list[1].Messages != 4 {
		t.Errorf("sessions %+v", list)
	}
	for _, tc := range []struct {
		req  ChatRequest
		kind apperr.Kind
	}{
		{ChatRequest{Question: "  "}, apperr.KindBadInput},
		{ChatRequest{Question: strings.Repeat("x", MaxQuestion+1)}, apperr.KindBadInput},
		{ChatRequest{SessionID: "nope", Question: "hi"}, apperr.KindNotFound},
		{ChatRequest{MachineID: "no_such_machine", Question: "hi"}, apperr.KindNotFound},
	} {
		if _, err := a.Chat(ctx, tc.req, nil); apperr.KindOf(err) != tc.kind {
			t.Errorf("%+v: %v, want %s", tc.req, err, tc.kind)
		}
	}
	if err := a.RenameSession(ctx, general.SessionID, "ISO zones"); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteSession(ctx, general.SessionID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session(ctx, general.SessionID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("deleted session: %v", err)
	}
	if got := title(strings.Repeat("bearing ", 20)); len([]rune(got)) > titleChars+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("title %q", got)
	}
}

func TestExplainAndFleetWithoutModel(t *testing.T) {
	ctx := context.Background()
	a, _ := newAssistant(t, "motor_siemens_1la7_001", "pump_ksb_etanorm_005", "fan_systemair_axc800_009")
	a.Prediction = bearingWear
	e, err := a.Explain(ctx, "motor_siemens_1la7_001", ExplainOptions{}, nil)
	if err != nil || e.ID == "" || e.Generator != explain.GeneratorStructured || e.LikelyCauses[0] != "bearing_wear" {
		t.Fatalf("Explain = %+v, %v", e, err)
	}
	if _, err := a.Explain(ctx, "nope_001", ExplainOptions{}, nil); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("unknown machine: %v", err)
	}
	var fracs []float64
	res, err := a.AnalyzeFleet(ctx, nil, ExplainOptions{}, progressFunc(func(_ string, f float64, _ map[string]any) { fracs = append(fracs, f) }))
	if err != nil || res.Machines != 3 || !slices.Equal(res.AtRisk, []string{"motor_siemens_1la7_001"}) || len(res.Explanations) != 1 {
		t.Fatalf("AnalyzeFleet = %+v, %v", res, err)
	}
	if !slices.Equal(fracs, []float64{0, 1}) {
		t.Errorf("progress %v", fracs)
	}
	stored, err := a.Explanations(ctx, "motor_siemens_1la7_001", 0)
	if err != nil || len(stored) != 2 || stored[0].Summary != res.Explanations[0].Summary {
		t.Errorf("stored explanations %+v, %v", stored, err)
	}
}

type progressFunc func(string, float64, map[string]any)

func (f progressFunc) Report(s string, x float64, m map[string]any) { f(s, x, m) }

func TestSettingsPersist(t *testing.T) {
	ctx := context.Background()
	a, dir := newAssistant(t)
	s, err := a.Settings(ctx)
	if err != nil || s != llm.DefaultSettings() {
		t.Fatalf("defaults: %+v, %v", s, err)
	}
	s.Temperature, s.ContextSize, s.Threads = 0.5, 2048, 1
	if _, err := a.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Settings(ctx); got != s {
		t.Errorf("saved %+v, read %+v", s, got)
	}
	bad := s
	bad.Temperature = 9
	if _, err := a.SaveSettings(ctx, bad); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("bad settings: %v", err)
	}
	extra := filepath.Join(dir, "elsewhere")
	if err := a.SetModelDir(ctx, extra); err != nil {
		t.Fatal(err)
	}
	info, err := a.Info(ctx)
	if err != nil || info.ModelDir != extra || !slices.Contains(info.Dirs, extra) || info.Saved != s || len(info.Documents) != 11 || info.Loaded {
		t.Fatalf("Info = %+v, %v", info, err)
	}
	// A fresh assistant on the same database restores the folder.
	b := New(a.Store, dir)
	if err := b.Restore(ctx); err != nil || !slices.Contains(b.Models.Dirs(), extra) {
		t.Errorf("Restore: %v, dirs %v", err, b.Models.Dirs())
	}
}

var (
	llamaOnce sync.Once
	llamaErr  error
)

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

// writeTinyModel writes a tiny random-weight model into the data directory's models/ whose
// vocabulary holds the words of the motor manual, the general document and the motor's
// profile, so the test's prompts tokenize into words
// (the default tiny vocabulary spends a byte token per character).
func writeTinyModel(t *testing.T, dataDir string) string {
	t.Helper()
	var text strings.Builder
	for _, id := range []string{"motor", "condition-monitoring"} { // what the motor questions retrieve
		doc, _ := knowledge.Default().Document(id)
		text.WriteString(doc.Markdown + "\n")
	}
	p, _ := profiles.FleetProfile("motor_siemens_1la7_001")
	text.WriteString(explain.ProfileSummary(p) + "\n" + chatSystem)
	seen := map[string]bool{"<s>": true, "</s>": true, "<unk>": true, "<|im_start|>": true, "<|im_end|>": true}
	var words []string
	add := func(s string) {
		if !seen[s] && !strings.HasPrefix(s, "<0x") {
			seen[s] = true
			words = append(words, s)
		}
	}
	add("▁")
	for _, r := range text.String() {
		if unicode.IsPrint(r) && r != ' ' {
			add(string(r))
		}
	}
	for _, w := range strings.Fields(text.String()) {
		rs := []rune("▁" + w)
		for k := 2; k <= len(rs) && k <= 12; k++ {
			add(string(rs[:k]))
		}
	}
	path, err := gguftest.WriteTinyLlama(filepath.Join(dataDir, "models", "tiny.gguf"), gguftest.TinyOptions{ContextLength: 8192, Words: words})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestChatAndExplainWithModel(t *testing.T) {
	requireLlama(t)
	ctx := context.Background()
	a, dir := newAssistant(t, "motor_siemens_1la7_001")
	a.Prediction = bearingWear
	writeTinyModel(t, dir)
	s := llm.DefaultSettings()
	s.GPULayers, s.Threads, s.ContextSize, s.MaxTokens = 0, 1, 4096, 48
	if _, err := a.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}

	// --model loads the file by name before answering.
	var pieces []string
	ans, err := a.Chat(ctx, ChatRequest{Model: "tiny", MachineID: "motor_siemens_1la7_001", Question: "Why is the bearing temperature rising?"},
		func(p string) error { pieces = append(pieces, p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if ans.Generator != "language model pdmstudio-tiny-llama (tiny.gguf)" || ans.Tokens == 0 || ans.FirstTokenMS <= 0 ||
		len(pieces) == 0 || strings.TrimSpace(strings.Join(pieces, "")) != ans.Answer || len(ans.Sources) == 0 {
		t.Fatalf("answer %+v (%d pieces)", ans, len(pieces))
	}
	t.Logf("%d tokens at %.0f tokens/s, first after %.1f ms", ans.Tokens, ans.TokensPerSecond, ans.FirstTokenMS)

	// The session's history goes into the next prompt; cancelling mid-answer stores the part.
	cctx, cancel := context.WithCancel(ctx)
	n := 0
	part, err := a.Chat(cctx, ChatRequest{SessionID: ans.SessionID, Question: "And what should I do first?"}, func(string) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || !part.Stopped || !strings.HasSuffix(part.Answer, stoppedMarker) {
		t.Fatalf("cancelled: %+v, %v", part, err)
	}
	sess, _ := a.Session(ctx, ans.SessionID)
	if len(sess.Messages) != 4 || !strings.HasSuffix(sess.Messages[3].Content, stoppedMarker) {
		t.Errorf("session after cancel: %+v", sess.Messages)
	}

	// Explanations use the model under the JSON grammar; Structured forces the rules.
	e, err := a.Explain(ctx, "motor_siemens_1la7_001", ExplainOptions{}, nil)
	if err != nil || !strings.HasPrefix(e.Generator, "language model") || e.Summary == "" || len(e.Recommendations) == 0 || len(e.Sources) == 0 {
		t.Fatalf("Explain with model: %+v, %v", e, err)
	}
	if e, err := a.Explain(ctx, "motor_siemens_1la7_001", ExplainOptions{Structured: true}, nil); err != nil || e.Generator != explain.GeneratorStructured {
		t.Errorf("structured: %+v, %v", e, err)
	}

	// A model loaded through LoadModel (not a one-off --model) is remembered and restored by
	// a fresh assistant.
	if v, _, _ := a.Store.GetSetting(ctx, SettingModel); v != "" {
		t.Errorf("a --model load was remembered: %q", v)
	}
	if _, err := a.LoadModel(ctx, "tiny"); err != nil {
		t.Fatal(err)
	}
	info, _ := a.Info(ctx)
	if !info.Loaded || info.Model.Name != "pdmstudio-tiny-llama" {
		t.Fatalf("info %+v", info)
	}
	a.Models.Unload()
	b := New(a.Store, dir)
	t.Cleanup(func() { b.Models.Unload() })
	if err := b.Restore(ctx); err != nil || !b.Models.Status().Loaded {
		t.Errorf("Restore: %v, %+v", err, b.Models.Status())
	}
	if err := b.UnloadModel(ctx); err != nil || b.Models.Status().Loaded {
		t.Errorf("UnloadModel: %v", err)
	}
	if v, _, _ := a.Store.GetSetting(ctx, SettingModel); v != "" {
		t.Errorf("model still remembered: %q", v)
	}
}

func TestStreamEventJSON(t *testing.T) {
	for _, tc := range []struct {
		ev   StreamEvent
		want string
	}{
		{TokenEvent("Hi"), `{"type":"token","text":"Hi"}`},
		{DoneEvent(ChatAnswer{SessionID: "s", Answer: "A", Sources: []knowledge.Source{{Document: "D", Section: "S"}}, Generator: "g"}),
			`{"type":"done","session_id":"s","message_id":"","answer":"A","sources":[{"document":"D","section":"S"}],"generator":"g","tokens":0,"tokens_per_second":0,"first_token_ms":0,"trimmed":0}`},
		{ErrorEvent(apperr.BadInput("invalid question")), `{"type":"error","error":{"code":"bad_input","message":"invalid question"}}`},
	} {
		got, err := jsonString(tc.ev)
		if err != nil || got != tc.want {
			t.Errorf("got  %s\nwant %s (%v)", got, tc.want, err)
		}
	}
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
