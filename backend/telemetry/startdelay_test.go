package telemetry

import (
	"context"
	"testing"
	"time"
)

// waitFor polls cond until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// runMonitor starts m.Run and returns a stop function that waits for it to end.
func runMonitor(m *Monitor) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

func TestRunHoldsTheFirstRefreshWhileAStoredOverviewCanBeShown(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 2, 0)
	first := f.monitor()
	if _, err := first.Refresh(ctx, false); err != nil { // stores the snapshot
		t.Fatal(err)
	}
	first.Wait()
	before := f.events.count("fleet.refresh")

	// With a stored overview, the first refresh waits for StartDelay; Overview serves the snapshot.
	m := f.monitor()
	m.StartDelay = 400 * time.Millisecond
	start := time.Now()
	stop := runMonitor(m)
	defer stop()
	ov, err := m.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ov.Stale || len(ov.Machines) != 2 {
		t.Fatalf("overview during the start delay: stale %v, %d machines; want the stored snapshot", ov.Stale, len(ov.Machines))
	}
	time.Sleep(150 * time.Millisecond)
	if n := f.events.count("fleet.refresh"); n != before && time.Since(start) < m.StartDelay {
		t.Fatalf("refreshed %d times within %v of the start, before the start delay", n-before, time.Since(start))
	}
	if !waitFor(30*time.Second, func() bool { return f.events.count("fleet.refresh") > before }) {
		t.Fatal("no refresh after the start delay")
	}
	if time.Since(start) < m.StartDelay {
		t.Fatalf("refreshed after %v, before the start delay of %v", time.Since(start), m.StartDelay)
	}
}

func TestRunKickEndsTheStartDelay(t *testing.T) {
	ctx := context.Background()
	f := newTestFleet(t, 1, 0)
	first := f.monitor()
	if _, err := first.Refresh(ctx, false); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	before := f.events.count("fleet.refresh")
	m := f.monitor()
	m.StartDelay = time.Hour
	stop := runMonitor(m)
	defer stop()
	if !waitFor(5*time.Second, m.isRunning) {
		t.Fatal("Run did not start")
	}
	m.Kick()
	if !waitFor(30*time.Second, func() bool { return f.events.count("fleet.refresh") > before }) {
		t.Fatal("a kick during the start delay did not refresh")
	}
}

func TestRunRefreshesAtOnceWithoutAStoredOverview(t *testing.T) {
	f := newTestFleet(t, 1, 0)
	m := f.monitor()
	m.StartDelay = time.Hour
	stop := runMonitor(m)
	defer stop()
	if !waitFor(30*time.Second, func() bool { return f.events.count("fleet.refresh") > 0 }) {
		t.Fatal("with nothing stored to show, the first refresh must not wait")
	}
}
