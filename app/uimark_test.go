package app

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

func TestUIMarkLogsMilestonesAndRefusesBadInput(t *testing.T) {
	c := openTestCore(t)
	d := c.Dispatcher()
	call := func(args ...any) error {
		raw := make([]json.RawMessage, len(args))
		for i, a := range args {
			raw[i], _ = json.Marshal(a)
		}
		_, err := d.Invoke(context.Background(), Caller{User: "v", Role: RoleViewer}, "System", "UIMark", raw)
		return err
	}
	if err := call("dashboard-ready", 812.5); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]any{{"", 1.0}, {"Dashboard Ready", 1.0}, {strings.Repeat("a", 65), 1.0}, {"ok", -1.0}, {"ok", 1e12}} {
		if err := call(bad...); apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("UIMark%v: %v, want bad input", bad, err)
		}
	}
	b, err := os.ReadFile(c.Dir.LogFile())
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	if !strings.Contains(log, `"msg":"ui mark","name":"dashboard-ready","since_process_start_ms":`) || !strings.Contains(log, `"page_ms":812`) {
		t.Fatalf("log lacks the mark:\n%s", log)
	}
	if strings.Count(log, "ui mark") != 1 {
		t.Fatalf("refused marks were logged:\n%s", log)
	}
}
