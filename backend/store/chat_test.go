package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "pdmstudio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func addMachine(t *testing.T, s *Store, id string) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ts := Now()
	if err := InsertMachine(ctx, tx, MachineRow{ID: id + "-uuid", MachineID: id, MachineType: "motor", CreatedAt: ts, UpdatedAt: ts}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestChatSessionsAndMessages(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	addMachine(t, s, "motor_001")
	mid := "motor_001"

	general, err := s.CreateChatSession(ctx, ChatSession{Title: "General"})
	if err != nil || general.ID == "" || general.CreatedAt == "" {
		t.Fatalf("create: %+v, %v", general, err)
	}
	about, err := s.CreateChatSession(ctx, ChatSession{MachineID: &mid, Title: "Motor bearing"})
	if err != nil {
		t.Fatal(err)
	}
	nope := "no_such_machine"
	if _, err := s.CreateChatSession(ctx, ChatSession{MachineID: &nope}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown machine: %v", err)
	}

	src := json.RawMessage(`[{"document":"Electric motor maintenance manual","section":"Failure modes > Bearing wear (bearing_wear)"}]`)
	if _, err := s.AddChatMessages(ctx, about.ID,
		ChatMessage{Role: "user", Content: "Why is the bearing hot?"},
		ChatMessage{Role: "assistant", Content: "Likely bearing wear.", Sources: src}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddChatMessages(ctx, about.ID, ChatMessage{Role: "user", Content: "What now?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddChatMessages(ctx, about.ID, ChatMessage{Role: "robot", Content: "x"}); err == nil {
		t.Error("a bad role was stored")
	}
	if _, err := s.AddChatMessages(ctx, "missing", ChatMessage{Role: "user", Content: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}

	msgs, err := s.ChatMessages(ctx, about.ID, 0)
	if err != nil || len(msgs) != 3 {
		t.Fatalf("messages: %+v, %v", msgs, err)
	}
	var contents []string
	for _, m := range msgs {
		contents = append(contents, m.Content)
	}
	if !slices.Equal(contents, []string{"Why is the bearing hot?", "Likely bearing wear.", "What now?"}) ||
		string(msgs[1].Sources) != string(src) || string(msgs[0].Sources) != "[]" {
		t.Errorf("messages = %+v", msgs)
	}
	if last2, err := s.ChatMessages(ctx, about.ID, 2); err != nil || len(last2) != 2 || last2[0].Content != "Likely bearing wear." || last2[1].Content != "What now?" {
		t.Errorf("newest 2 = %+v, %v", last2, err)
	}

	list, err := s.ListChatSessions(ctx, "", 0)
	if err != nil || len(list) != 2 || list[0].ID != about.ID || list[0].Messages != 3 || *list[0].MachineID != mid || list[1].MachineID != nil {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if only, _ := s.ListChatSessions(ctx, mid, 0); len(only) != 1 || only[0].ID != about.ID {
		t.Errorf("list for machine = %+v", only)
	}
	if err := s.RenameChatSession(ctx, general.ID, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetChatSession(ctx, general.ID); err != nil || got.Title != "Renamed" {
		t.Errorf("get = %+v, %v", got, err)
	}

	// Deleting the session deletes its messages; deleting the machine deletes its sessions.
	if err := s.DeleteChatSession(ctx, general.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteChatSession(ctx, general.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM machines WHERE machine_id = ?`, mid); err != nil {
		t.Fatal(err)
	}
	var n int
	s.DB.QueryRow(`SELECT count(*) FROM chat_messages`).Scan(&n)
	if _, err := s.GetChatSession(ctx, about.ID); !errors.Is(err, ErrNotFound) || n != 0 {
		t.Errorf("after machine delete: %v, %d messages left", err, n)
	}
}

func TestExplanations(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	addMachine(t, s, "pump_001")
	mid := "pump_001"
	rec := json.RawMessage(`[{"action":"Clean the strainer","priority":"high","rationale":"suction low"}]`)
	first, err := s.SaveExplanation(ctx, ExplanationRow{MachineID: &mid, Text: "Cavitation likely.", Recommendations: rec,
		Generator: "structured (no language model loaded)"})
	if err != nil || first.ID == "" || string(first.Sources) != "[]" {
		t.Fatalf("save: %+v, %v", first, err)
	}
	second, err := s.SaveExplanation(ctx, ExplanationRow{MachineID: &mid, Text: "Second.", RiskFactors: json.RawMessage(`["x"]`)})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListExplanations(ctx, mid, 0)
	if err != nil || len(list) != 2 || list[0].ID != second.ID || string(list[1].Recommendations) != string(rec) || list[1].Generator == "" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if got, err := s.GetExplanation(ctx, first.ID); err != nil || got.Text != "Cavitation likely." || *got.MachineID != mid {
		t.Errorf("get = %+v, %v", got, err)
	}
	if _, err := s.GetExplanation(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	nope := "nope_001"
	if _, err := s.SaveExplanation(ctx, ExplanationRow{MachineID: &nope, Text: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown machine: %v", err)
	}
}

// TestAssistantMigrationDown: the assistant migration can be rolled back and applied again.
func TestAssistantMigrationDown(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	p, err := s.provider()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	tables, _ := s.Tables(ctx)
	if slices.Contains(tables, "chat_sessions") || slices.Contains(tables, "chat_messages") {
		t.Errorf("after down: %v", tables)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateChatSession(ctx, ChatSession{Title: "again"}); err != nil {
		t.Error(err)
	}
}
