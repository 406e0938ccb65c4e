package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/telemetry"
)

func TestFleetLiveServices(t *testing.T) {
	c := openTestCore(t)
	d := c.Dispatcher()
	ctx := context.Background()
	call := func(svc, method string, args ...any) (any, error) {
		raw := make([]json.RawMessage, len(args))
		for i, a := range args {
			raw[i], _ = json.Marshal(a)
		}
		return d.Invoke(ctx, LocalAdmin, svc, method, raw)
	}
	if _, err := call("Fleet", "Init"); err != nil {
		t.Fatal(err)
	}
	res, err := call("Fleet", "Overview")
	if err != nil {
		t.Fatal(err)
	}
	ov := res.(*telemetry.Overview)
	if len(ov.Machines) != 26 || ov.Counts.Unknown != 26 || ov.Machines[0].Ready {
		t.Fatalf("overview of a fleet without models: %d machines, counts %+v", len(ov.Machines), ov.Counts)
	}
	for _, c := range []struct {
		svc, method string
		args        []any
		kind        apperr.Kind
	}{
		{"Fleet", "Alerts", []any{map[string]any{"state": "bogus"}}, apperr.KindBadInput},
		{"Fleet", "Alerts", []any{map[string]any{"color": "red"}}, apperr.KindBadInput},
		{"Fleet", "AcknowledgeAlert", []any{"no-such-alert"}, apperr.KindNotFound},
		{"Telemetry", "History", []any{"motor_nope_999", map[string]any{}}, apperr.KindNotFound},
		{"Telemetry", "SaveSettings", []any{map[string]any{"speed": 0, "refresh_interval_s": 30}}, apperr.KindBadInput},
		{"Telemetry", "Import", []any{"motor_siemens_1la7_001", "/nonexistent/readings.csv"}, apperr.KindNotFound},
		{"Telemetry", "ImportFile", []any{"motor_siemens_1la7_001", FileData{Filename: "readings.txt", ContentBase64: "YQ=="}}, apperr.KindBadInput},
		{"Telemetry", "ImportFile", []any{"motor_siemens_1la7_001", FileData{Filename: "readings.csv", ContentBase64: "not base64!"}}, apperr.KindBadInput},
		{"Telemetry", "ImportFile", []any{"motor_siemens_1la7_001", FileData{Filename: "readings.csv"}}, apperr.KindBadInput},
		{"Telemetry", "ImportFile", []any{"motor_siemens_1la7_001", FileData{Filename: "readings.csv", ContentBase64: "YSxiCjEsMgo="}}, apperr.KindBadInput},
		{"Telemetry", "ImportFile", []any{"motor_nope_999", FileData{Filename: "readings.csv", ContentBase64: "YSxiCjEsMgo="}}, apperr.KindNotFound},
		{"Telemetry", "UseReplay", []any{"motor_siemens_1la7_001"}, apperr.KindConflict},
		{"Telemetry", "UseReplay", []any{"motor_nope_999"}, apperr.KindNotFound},
	} {
		if _, err := call(c.svc, c.method, c.args...); apperr.KindOf(err) != c.kind {
			t.Errorf("%s.%s%v: %v, want %s", c.svc, c.method, c.args, err, c.kind)
		}
	}
	// A refused upload leaves nothing behind in the data dir.
	if left, _ := filepath.Glob(filepath.Join(c.Dir.Root, ".upload-*")); len(left) > 0 {
		t.Fatalf("upload temporaries left behind: %v", left)
	}
	want := telemetry.Settings{Speed: 25, RefreshIntervalS: 3600, RULHorizon: 12, Paused: true}
	if _, err := call("Telemetry", "SaveSettings", want); err != nil {
		t.Fatal(err)
	}
	got, err := call("Telemetry", "Settings")
	if err != nil || got.(telemetry.Settings) != want {
		t.Fatalf("settings %+v (%v), want %+v", got, err, want)
	}
	if _, err := d.Invoke(ctx, Caller{User: "v", Role: RoleViewer}, "Fleet", "AcknowledgeAlert", []json.RawMessage{[]byte(`"x"`)}); apperr.KindOf(err) != apperr.KindForbidden {
		t.Fatalf("a viewer acknowledged an alert: %v", err)
	}
}

// StartLive refreshes at once and again when a job ends (a machine may have become ready),
// without waiting for the interval.
func TestStartLiveRefreshesWhenAJobEnds(t *testing.T) {
	c := openTestCore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := telemetry.SaveSettings(ctx, c.Store, telemetry.Settings{Speed: 1, RefreshIntervalS: 3600}); err != nil {
		t.Fatal(err)
	}
	events, stop := c.Events.Subscribe()
	defer stop()
	c.StartLive(ctx)
	waitRefresh := func(what string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev.Name == "fleet.refresh" {
					return
				}
			case <-deadline:
				t.Fatalf("no fleet.refresh event %s", what)
			}
		}
	}
	waitRefresh("at start")
	j, err := c.Jobs.Submit(ctx, jobs.Spec{Kind: "test.ready"}, func(ctx context.Context, p *jobs.Progress) (any, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Jobs.Wait(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	waitRefresh("after the job ended")
	ov, err := c.Live.Overview(ctx)
	if err != nil || ov.Refreshes < 2 || !ov.Running {
		t.Fatalf("overview after the kick: %+v, %v", ov, err)
	}
}
