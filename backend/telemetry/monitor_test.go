package telemetry

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/store"
)

func TestRefreshPredictsAdvancesAndPersists(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 3, 1)
	m := f.monitor()

	ov, err := m.Refresh(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Machines) != 4 {
		t.Fatalf("%d machines, want 4", len(ov.Machines))
	}
	k := ov.Counts
	if k.Healthy+k.Degrading+k.Warning+k.Critical != 3 || k.Unknown != 1 {
		t.Fatalf("counts %+v, want 3 predicted and 1 unknown", k)
	}
	for _, s := range ov.Machines {
		ready := s.ID != f.pending[0]
		if s.Ready != ready {
			t.Fatalf("%s ready %v, want %v", s.ID, s.Ready, ready)
		}
		if !ready {
			if s.Status != StatusUnknown || s.HealthState != nil || s.UpdatedAt != nil {
				t.Fatalf("pending machine has a prediction: %+v", s)
			}
			continue
		}
		if s.HealthState == nil || StatusOf(*s.HealthState) != s.Status || s.Confidence == nil || s.RUL == nil || s.AnomalyScore == nil || s.AnomalyThreshold == nil {
			t.Fatalf("ready machine lacks predictions: %+v", s)
		}
		if *s.RUL < 0 || s.RULLow == nil || *s.RULLow > *s.RULHigh {
			t.Fatalf("RUL %v [%v, %v]", *s.RUL, s.RULLow, s.RULHigh)
		}
		if len(s.KeySensors) != 3 || s.KeySensors[0].Unit == "" || s.KeySensors[0].Value == nil {
			t.Fatalf("key sensors %+v", s.KeySensors)
		}
		if s.Source != SourceSeed {
			t.Fatalf("source %q, want seed (no test set)", s.Source)
		}
	}
	// A new replay starts with back-filled history, at a position that differs per machine.
	src, err := f.store.TelemetrySources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]int64{}
	positions := map[int64]bool{}
	for _, id := range f.ready {
		s, ok := src[id]
		if !ok || s.Position <= 0 || s.Rows != 1500 || s.Kind != SourceSeed {
			t.Fatalf("source of %s: %+v", id, s)
		}
		first[id] = s.Position
		positions[s.Position] = true
		rs, err := f.store.LatestReadings(ctx, id, 0)
		if err != nil || len(rs) != min(120, int(s.Position)) {
			t.Fatalf("backfill of %s: %d readings (%v)", id, len(rs), err)
		}
		if rs[len(rs)-1].Cycle != s.Position-1 {
			t.Fatalf("latest reading is row %d, want %d", rs[len(rs)-1].Cycle, s.Position-1)
		}
	}
	if len(positions) < 2 {
		t.Fatalf("every machine starts at the same row: %v", first)
	}
	m.Wait()
	preds, _ := f.store.Predictions(ctx, f.ready[0], "", 100)
	if len(preds) != 3 {
		t.Fatalf("%d predictions logged, want 3", len(preds))
	}

	// An advancing refresh moves each replay by the speed and stores the new readings.
	if err := SaveSettings(ctx, f.store, Settings{Speed: 7, RefreshIntervalS: 30, RULHorizon: 1}); err != nil {
		t.Fatal(err)
	}
	ov2, err := m.Refresh(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if ov2.PreviousCounts != ov.Counts || ov2.Refreshes != 2 {
		t.Fatalf("previous counts %+v (want %+v), refreshes %d", ov2.PreviousCounts, ov.Counts, ov2.Refreshes)
	}
	src2, _ := f.store.TelemetrySources(ctx)
	for _, id := range f.ready {
		want := (first[id] + 7) % 1500
		if src2[id].Position != want {
			t.Fatalf("%s at row %d, want %d", id, src2[id].Position, want)
		}
		rs, _ := f.store.LatestReadings(ctx, id, 7)
		if len(rs) != 7 || rs[6].Seq != src2[id].Seq || rs[6].Cycle != (want+1499)%1500 {
			t.Fatalf("new readings of %s: %+v", id, rs)
		}
		t0, _ := time.Parse(time.RFC3339Nano, rs[0].Time)
		t6, _ := time.Parse(time.RFC3339Nano, rs[6].Time)
		if !t6.After(t0) {
			t.Fatalf("readings not spread over the interval: %s .. %s", rs[0].Time, rs[6].Time)
		}
	}
	// Paused: predictions refresh, the replay stays.
	if err := SaveSettings(ctx, f.store, Settings{Speed: 7, RefreshIntervalS: 30, RULHorizon: 1, Paused: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Refresh(ctx, true); err != nil {
		t.Fatal(err)
	}
	src3, _ := f.store.TelemetrySources(ctx)
	if src3[f.ready[0]].Position != src2[f.ready[0]].Position {
		t.Fatal("a paused replay advanced")
	}
	if n := f.events.count("fleet.refresh"); n != 3 {
		t.Fatalf("%d fleet.refresh events, want 3", n)
	}

	// Another process (a restart) shows the last stored overview at once, marked stale…
	m.Wait()
	m2 := f.monitor()
	snap, err := m2.Overview(ctx)
	if err != nil || !snap.Stale || len(snap.Machines) != 4 || snap.RefreshedAt == "" {
		t.Fatalf("overview at start: %v %+v", err, snap)
	}
	// …and resumes from the stored position instead of starting over.
	if _, err := m2.Refresh(ctx, false); err != nil {
		t.Fatal(err)
	}
	src4, _ := f.store.TelemetrySources(ctx)
	if src4[f.ready[0]] != src3[f.ready[0]] && src4[f.ready[0]].Position != src3[f.ready[0]].Position {
		t.Fatalf("restart moved the replay: %+v → %+v", src3[f.ready[0]], src4[f.ready[0]])
	}
	// The live window is what on-demand predictions read.
	win, source, ok := m2.Live(ctx, f.ready[0], 50, 0)
	if !ok || source != "telemetry:seed" || win.NumRows() == 0 || win.NumRows() > 50 {
		t.Fatalf("live window: ok %v source %q", ok, source)
	}
	if _, _, ok := m2.Live(ctx, f.pending[0], 50, 0); ok {
		t.Fatal("a machine without data has a live window")
	}
}

func TestRingStaysBounded(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 1, 0)
	m := f.monitor()
	m.NoPredictionLog = true
	if err := SaveSettings(ctx, f.store, Settings{Speed: 400, RefreshIntervalS: 30}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, err := m.Refresh(ctx, true); err != nil {
			t.Fatal(err)
		}
	}
	m.Wait()
	if _, err := f.store.PruneReadings(ctx); err != nil {
		t.Fatal(err)
	}
	var batches, kept int
	if err := f.store.DB.QueryRow(`SELECT count(*), sum(n) FROM telemetry_batches`).Scan(&batches, &kept); err != nil {
		t.Fatal(err)
	}
	// 120 back-filled + 4 × 400 replayed; the batches that survive cover the latest 500.
	if batches != 2 || kept != 800 {
		t.Fatalf("%d batches of %d readings kept, want the 2 batches (800) that hold the latest 500", batches, kept)
	}
	if rs, _ := f.store.LatestReadings(ctx, f.ready[0], 0); len(rs) != store.TelemetryRing {
		t.Fatalf("%d latest readings, want %d", len(rs), store.TelemetryRing)
	}
	rs, _ := f.store.LatestReadings(ctx, f.ready[0], 0)
	for i := 1; i < len(rs); i++ {
		if rs[i].Seq != rs[i-1].Seq+1 {
			t.Fatalf("ring out of order at %d: %d after %d", i, rs[i].Seq, rs[i-1].Seq)
		}
	}
	m.Wait()
	if preds, _ := f.store.Predictions(ctx, f.ready[0], "", 10); len(preds) != 0 {
		t.Fatal("predictions logged with NoPredictionLog")
	}
}

func TestAlertsFollowPredictions(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 2, 0)
	m := f.monitor()
	m.NoPredictionLog = true
	// A horizon longer than any life: every machine gets one RUL alert, once.
	if err := SaveSettings(ctx, f.store, Settings{Speed: 1, RefreshIntervalS: 30, RULHorizon: 1e5}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := m.Refresh(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	open, err := f.store.Alerts(ctx, store.AlertFilter{State: "open"})
	if err != nil {
		t.Fatal(err)
	}
	rul := 0
	for _, a := range open {
		if a.Cause == store.CauseRUL {
			rul++
			if a.Severity != "critical" || a.Threshold == nil || *a.Threshold != 1e5 || len(a.Factors) == 0 || !strings.Contains(a.Message, "remaining useful life") {
				t.Fatalf("RUL alert %+v", a)
			}
		}
	}
	if rul != 2 {
		t.Fatalf("%d open RUL alerts, want one per machine (2)", rul)
	}
	raised := 0
	for _, e := range f.events.alerts {
		if e.Change == "raised" && e.Alert.Cause == store.CauseRUL {
			raised++
			if e.Alert.MachineName == "" {
				t.Fatal("alert event without the machine name")
			}
		}
	}
	if raised != 2 {
		t.Fatalf("%d raised events, want 2", raised)
	}
	// Switching RUL alerts off clears them after two refreshes without the condition.
	if err := SaveSettings(ctx, f.store, Settings{Speed: 1, RefreshIntervalS: 30, RULHorizon: 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Refresh(ctx, false); err != nil {
		t.Fatal(err)
	}
	if still, _ := f.store.Alerts(ctx, store.AlertFilter{State: "open"}); countCause(still, store.CauseRUL) != 2 {
		t.Fatal("an RUL alert cleared after one refresh without its condition")
	}
	if _, err := m.Refresh(ctx, false); err != nil {
		t.Fatal(err)
	}
	cleared, _ := f.store.Alerts(ctx, store.AlertFilter{State: store.AlertCleared})
	if countCause(cleared, store.CauseRUL) != 2 || cleared[0].ClearedAt == nil || *cleared[0].ClearedBy != "" {
		t.Fatalf("cleared: %+v", cleared)
	}
}

func countCause(as []store.AlertRow, cause string) int {
	n := 0
	for _, a := range as {
		if a.Cause == cause {
			n++
		}
	}
	return n
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 1, 1)
	m := f.monitor()
	if _, err := m.Refresh(ctx, false); err != nil {
		t.Fatal(err)
	}
	id := f.ready[0]
	h, err := m.History(ctx, id, HistoryOptions{Sensors: []string{"bearing_temp_de", "current"}, Limit: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Time) != 30 || len(h.Series["current"]) != 30 || len(h.Sensors) != 2 || h.Source != SourceSeed {
		t.Fatalf("history: %d times, %d sensors, source %q", len(h.Time), len(h.Sensors), h.Source)
	}
	if h.Sensors[0].Unit != "°C" || h.Sensors[0].Warning == nil || h.Sensors[0].Trip == nil || h.Sensors[0].Max <= h.Sensors[0].Min {
		t.Fatalf("sensor info %+v", h.Sensors[0])
	}
	for _, c := range []struct {
		id    string
		opts  HistoryOptions
		kind  apperr.Kind
		field string
	}{
		{id, HistoryOptions{Sensors: []string{"nope"}}, apperr.KindBadInput, "sensors"},
		{id, HistoryOptions{Limit: 501}, apperr.KindBadInput, "limit"},
		{"motor_missing_999", HistoryOptions{}, apperr.KindNotFound, ""},
	} {
		_, err := m.History(ctx, c.id, c.opts)
		if apperr.KindOf(err) != c.kind {
			t.Fatalf("%+v: %v, want %s", c.opts, err, c.kind)
		}
		if c.field != "" && !strings.Contains(apperr.As(err).Fields[0].Field, c.field) {
			t.Fatalf("%+v: fields %+v", c.opts, apperr.As(err).Fields)
		}
	}
	// A machine without telemetry has an empty history, not an error.
	h, err = m.History(ctx, f.pending[0], HistoryOptions{})
	if err != nil || len(h.Time) != 0 || len(h.Sensors) == 0 {
		t.Fatalf("pending machine: %v, %+v", err, h)
	}
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 1, 0)
	m := f.monitor()
	if _, err := m.Refresh(ctx, false); err != nil {
		t.Fatal(err)
	}
	id := f.ready[0]
	before, _ := f.store.GetTelemetrySource(ctx, id)
	dir := t.TempDir()
	header := []string{"timestamp", "regime"}
	for _, s := range shared.prof.Sensors {
		header = append(header, s.Name)
	}
	row := func(ts string, v string) string {
		cells := []string{ts, "nominal"}
		for range shared.prof.Sensors {
			cells = append(cells, v)
		}
		return strings.Join(cells, ",")
	}

	// Refused files store nothing.
	missing := filepath.Join(dir, "missing.csv")
	os.WriteFile(missing, []byte("timestamp,current\n2026-01-01T00:00:00Z,10\n"), 0o644)
	text := filepath.Join(dir, "text.csv")
	os.WriteFile(text, []byte(strings.Join(header, ",")+"\n"+strings.Replace(row("2026-01-01T00:00:00Z", "1"), ",1,", ",hot,", 1)+"\n"), 0o644)
	unordered := filepath.Join(dir, "unordered.csv")
	os.WriteFile(unordered, []byte(strings.Join(header, ",")+"\n"+row("2026-01-02T00:00:00Z", "1")+"\n"+row("2026-01-01T00:00:00Z", "1")+"\n"), 0o644)
	for _, c := range []struct {
		path, field string
	}{{missing, "winding_temp"}, {text, ""}, {unordered, "timestamp"}, {filepath.Join(dir, "x.xlsx"), "path"}} {
		_, err := m.Import(ctx, id, c.path)
		if apperr.KindOf(err) != apperr.KindBadInput {
			t.Fatalf("%s: %v, want bad input", filepath.Base(c.path), err)
		}
		if c.field != "" && !strings.Contains(err.Error()+fieldsText(err), c.field) {
			t.Fatalf("%s: %v does not name %s", filepath.Base(c.path), err, c.field)
		}
	}
	if after, _ := f.store.GetTelemetrySource(ctx, id); after != before {
		t.Fatalf("a refused import changed the source: %+v", after)
	}
	mdir, _ := f.dir.MachineDir(id)
	if entries, _ := os.ReadDir(filepath.Join(mdir, "telemetry")); len(entries) != 0 {
		t.Fatalf("a refused import left files: %v", entries)
	}

	// A good file becomes the source: its readings, its times, no further replay.
	var lines []string
	lines = append(lines, strings.Join(header, ",")+",operator_note")
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 60; i++ {
		lines = append(lines, row(base.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), "42.5")+",ok")
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	res, err := m.Import(ctx, id, good)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 60 || len(res.Ignored) != 1 || res.Ignored[0] != "operator_note" || res.First != "2026-03-01T08:00:00Z" {
		t.Fatalf("import result %+v", res)
	}
	h, err := m.History(ctx, id, HistoryOptions{Sensors: []string{"current"}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Time) != 60 || h.Source != SourceImport || *h.Series["current"][59] != 42.5 || !strings.HasPrefix(h.Time[59], "2026-03-01T08:59:00") {
		t.Fatalf("history after import: %d readings, source %s, last %s", len(h.Time), h.Source, h.Time[len(h.Time)-1])
	}
	ov, err := m.Refresh(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Machines[0].Source != SourceImport || ov.Machines[0].HealthState == nil || *ov.Machines[0].KeySensors[0].Value != 42.5 {
		t.Fatalf("after import: %+v", ov.Machines[0])
	}
	src, _ := f.store.GetTelemetrySource(ctx, id)
	if src.Position != 60 || src.Kind != SourceImport {
		t.Fatalf("import source %+v", src)
	}
	// A second monitor (restart) keeps the imported source.
	m2 := f.monitor()
	if ov, err := m2.Refresh(ctx, true); err != nil || ov.Machines[0].Source != SourceImport {
		t.Fatalf("after restart: %v %+v", err, ov)
	}

	// Back to the replay: the imported file goes, the next refresh replays the seed data with
	// back-filled history, and a second call is a conflict.
	if err := m2.UseReplay(ctx, id); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Join(mdir, "telemetry")); len(entries) != 0 {
		t.Fatalf("the imported readings are still there: %v", entries)
	}
	ov, err = m2.Refresh(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Machines[0].Source != SourceSeed || ov.Machines[0].HealthState == nil {
		t.Fatalf("after UseReplay: %+v", ov.Machines[0])
	}
	if src, _ := f.store.GetTelemetrySource(ctx, id); src.Kind != SourceSeed || src.Path != "" {
		t.Fatalf("stored source after UseReplay: %+v", src)
	}
	if h, err := m2.History(ctx, id, HistoryOptions{Sensors: []string{"current"}, Limit: 500}); err != nil || h.Source != SourceSeed || len(h.Time) == 0 || *h.Series["current"][len(h.Time)-1] == 42.5 {
		t.Fatalf("history after UseReplay: %v, source %s, %d readings", err, h.Source, len(h.Time))
	}
	if err := m2.UseReplay(ctx, id); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("UseReplay on a replaying machine: %v, want a conflict", err)
	}
	if err := m2.UseReplay(ctx, "motor_nope_999"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("UseReplay on an unknown machine: %v, want not found", err)
	}
}

func fieldsText(err error) string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return ""
	}
	var b strings.Builder
	for _, f := range e.Fields {
		b.WriteString(f.Field + ": " + f.Message + "; ")
	}
	return b.String()
}

func TestSettingsValidate(t *testing.T) {
	if err := DefaultSettings.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := Settings{Speed: 0, RefreshIntervalS: 1, RULHorizon: -1}
	err := bad.Validate()
	if apperr.KindOf(err) != apperr.KindBadInput || len(apperr.As(err).Fields) != 3 {
		t.Fatalf("%v", err)
	}
}
