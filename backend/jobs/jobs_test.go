package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/store"
)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, "pdmstudio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRunSucceedsWithResultAndMetrics(t *testing.T) {
	st := openStore(t, t.TempDir())
	var mu sync.Mutex
	var updates []Job
	r := New(st, Options{Workers: 2, OnUpdate: func(j Job) { mu.Lock(); updates = append(updates, j); mu.Unlock() }})
	defer r.Close(time.Second)

	j, err := r.Run(context.Background(), Spec{Kind: "test.sum", MachineID: "", Params: map[string]int{"n": 3}},
		func(ctx context.Context, p *Progress) (any, error) {
			for i := 1; i <= 3; i++ {
				p.Report("adding", float64(i)/3, map[string]any{"step": i})
			}
			return map[string]int{"sum": 6}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != store.JobSucceeded || j.Progress != 1 {
		t.Fatalf("status %s progress %v", j.Status, j.Progress)
	}
	var res map[string]int
	if err := json.Unmarshal(j.Result, &res); err != nil || res["sum"] != 6 {
		t.Fatalf("result %s (%v)", j.Result, err)
	}
	var m map[string]int
	if err := json.Unmarshal(j.Metrics, &m); err != nil || m["step"] != 3 {
		t.Fatalf("metrics %s (%v)", j.Metrics, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(updates) < 2 || updates[0].Status != store.JobQueued || updates[len(updates)-1].Status != store.JobSucceeded {
		t.Fatalf("updates: first/last wrong: %d updates", len(updates))
	}
}

func TestFailureAndPanicAreRecorded(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := New(st, Options{Workers: 1})
	defer r.Close(time.Second)
	j, _ := r.Run(context.Background(), Spec{Kind: "test.fail"}, func(ctx context.Context, p *Progress) (any, error) {
		return nil, errors.New("sensor table is empty")
	})
	if j.Status != store.JobFailed || j.Error != "sensor table is empty" {
		t.Fatalf("got %s %q", j.Status, j.Error)
	}
	j, _ = r.Run(context.Background(), Spec{Kind: "test.panic"}, func(ctx context.Context, p *Progress) (any, error) {
		var m map[string]int
		m["x"] = 1
		return nil, nil
	})
	if j.Status != store.JobFailed || !strings.Contains(j.Error, "internal error") {
		t.Fatalf("got %s %q", j.Status, j.Error)
	}
}

func TestCancelRunningAndQueued(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := New(st, Options{Workers: 1})
	defer r.Close(time.Second)
	started := make(chan struct{})
	long := func(ctx context.Context, p *Progress) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	a, err := r.Submit(context.Background(), Spec{Kind: "test.long"}, long)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.Submit(context.Background(), Spec{Kind: "test.queued"}, func(ctx context.Context, p *Progress) (any, error) {
		t.Error("a cancelled queued job must not run")
		return nil, nil
	})
	<-started
	if err := r.Cancel(context.Background(), b.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.Cancel(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	ja, _ := r.Wait(context.Background(), a.ID)
	jb, _ := r.Wait(context.Background(), b.ID)
	if ja.Status != store.JobCancelled || jb.Status != store.JobCancelled {
		t.Fatalf("statuses %s %s", ja.Status, jb.Status)
	}
	if err := r.Cancel(context.Background(), a.ID); err == nil || !strings.Contains(err.Error(), "already cancelled") {
		t.Fatalf("cancel of a final job: %v", err)
	}
	if err := r.Cancel(context.Background(), "no-such-job"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("cancel of an unknown job: %v", err)
	}
}

func TestPoolIsBounded(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := New(st, Options{Workers: 2})
	defer r.Close(time.Second)
	var running, peak atomic.Int32
	var ids []string
	for i := 0; i < 6; i++ {
		j, err := r.Submit(context.Background(), Spec{Kind: "test.bounded"}, func(ctx context.Context, p *Progress) (any, error) {
			n := running.Add(1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(30 * time.Millisecond)
			running.Add(-1)
			return nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	for _, id := range ids {
		if j, _ := r.Wait(context.Background(), id); j.Status != store.JobSucceeded {
			t.Fatalf("job %s: %s", id, j.Status)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak concurrency %d, want 2", p)
	}
}

func TestProgressIsThrottled(t *testing.T) {
	st := openStore(t, t.TempDir())
	var n atomic.Int32
	r := New(st, Options{Workers: 1, OnUpdate: func(j Job) { n.Add(1) }})
	defer r.Close(time.Second)
	start := time.Now()
	r.Run(context.Background(), Spec{Kind: "test.chatty"}, func(ctx context.Context, p *Progress) (any, error) {
		for i := 0; i < 100000; i++ {
			p.Report("looping", float64(i)/100000, map[string]any{"i": i})
		}
		time.Sleep(250 * time.Millisecond)
		p.Report("looping", 1, nil)
		return nil, nil
	})
	elapsed := time.Since(start).Seconds()
	// queued + running + final, plus at most 10 per second of work (rounded up).
	max := int32(3 + 10*elapsed + 1)
	if got := n.Load(); got > max || got < 4 {
		t.Fatalf("%d updates in %.2fs; want between 4 and %d", got, elapsed, max)
	}
}

// The kill -9 test: a child process (this test binary, re-executed) runs a job that writes its
// output through atomicfile; the parent kills it mid-job. The next start must report the job
// interrupted with a reason and leave neither the output file nor its partial file behind.
func TestKillNineLeavesInterruptedJobAndNoPartialFile(t *testing.T) {
	if os.Getenv("PDMSTUDIO_JOBS_CHILD") != "" {
		t.Skip("child side runs from TestMain")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "machines", "m1", "seed.parquet")
	cmd := exec.Command(os.Args[0], "-test.run", "^TestChildWritesSlowly$", "-test.v")
	cmd.Env = append(os.Environ(), "PDMSTUDIO_JOBS_CHILD="+dir)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child says it is mid-write.
	buf := make([]byte, 4096)
	var seen strings.Builder
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(seen.String(), "MID-WRITE") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child never reached the middle of its job; output: %s", seen.String())
		}
		n, err := stdout.Read(buf)
		seen.Write(buf[:n])
		if err != nil {
			t.Fatalf("child ended early: %v; output: %s", err, seen.String())
		}
	}
	partials, _ := filepath.Glob(filepath.Join(dir, "machines", "m1", ".seed.parquet.partial-*"))
	if len(partials) != 1 {
		t.Fatalf("expected the child's partial file to exist mid-job, found %v", partials)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()

	st := openStore(t, dir)
	r := New(st, Options{Workers: 1})
	defer r.Close(time.Second)
	rep, err := r.Recover(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Interrupted) != 1 {
		t.Fatalf("interrupted %v, want one job", rep.Interrupted)
	}
	j, err := st.GetJob(context.Background(), rep.Interrupted[0])
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != store.JobInterrupted || !strings.Contains(j.Error, "stopped before it finished") || j.FinishedAt == nil {
		t.Fatalf("job after recovery: %s %q", j.Status, j.Error)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("final output exists after a kill: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "machines", "m1", ".seed.parquet.partial-*")); len(left) != 0 {
		t.Fatalf("partial files left behind: %v", left)
	}
	if len(rep.PartialFiles) != 1 {
		t.Fatalf("sweep reported %v", rep.PartialFiles)
	}
	// A second recovery finds nothing more to do.
	if rep2, _ := r.Recover(context.Background(), dir); len(rep2.Interrupted)+len(rep2.PartialFiles) != 0 {
		t.Fatalf("second recovery not idempotent: %+v", rep2)
	}
}

// TestChildWritesSlowly is the child side of the kill -9 test; it does nothing in a normal run.
func TestChildWritesSlowly(t *testing.T) {
	dir := os.Getenv("PDMSTUDIO_JOBS_CHILD")
	if dir == "" {
		t.Skip("only runs as the child of the kill -9 test")
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "pdmstudio.db"))
	if err != nil {
		t.Fatal(err)
	}
	r := New(st, Options{Workers: 1})
	r.Run(context.Background(), Spec{Kind: "test.slowwrite"}, func(ctx context.Context, p *Progress) (any, error) {
		os.MkdirAll(filepath.Join(dir, "machines", "m1"), 0o755)
		f, err := atomicfile.Create(filepath.Join(dir, "machines", "m1", "seed.parquet"))
		if err != nil {
			return nil, err
		}
		defer f.Abort()
		for i := 0; ; i++ {
			f.Write([]byte("row\n"))
			p.Report("writing", 0.5, nil)
			if i == 10 {
				f.Sync()
				os.Stdout.WriteString("MID-WRITE\n")
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
}
