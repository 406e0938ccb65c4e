package app

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, fstest.MapFS{}, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLIVersionAndDoctorJSON(t *testing.T) {
	code, out, _ := runCLI(t, "version", "--json")
	var v VersionInfo
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.Version == "" || !strings.HasPrefix(v.Go, "go") {
		t.Fatalf("version: %d %q", code, out)
	}
	dir := t.TempDir()
	code, out, errs := runCLI(t, "--data-dir", dir, "doctor", "--json")
	var d DoctorReport
	if code != 0 {
		t.Fatalf("doctor exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("doctor stdout is not one JSON document: %v\n%s", err, out)
	}
	if d.SchemaVersion != d.LatestSchemaVersion || d.SchemaVersion < 1 {
		t.Fatalf("schema %d of %d", d.SchemaVersion, d.LatestSchemaVersion)
	}
	for _, want := range []string{"machines", "gan_training_jobs", "predictions", "explanations", "model_versions", "jobs"} {
		if !strings.Contains(strings.Join(d.Tables, ","), want) {
			t.Errorf("table %s missing from %v", want, d.Tables)
		}
	}
	if d.DataDir == "" || len(d.Runtimes) != 2 {
		t.Fatalf("doctor report: %+v", d)
	}
}

func TestCLIExitCodes(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"--data-dir", dir, "jobs", "list", "--json"}, 0},
		{[]string{"no-such-command"}, 2},
		{[]string{"version", "--no-such-flag"}, 2},
		{[]string{"--data-dir", dir, "jobs", "cancel"}, 2},
		{[]string{"--data-dir", dir, "jobs", "cancel", "missing-id", "--json"}, 1},
		{[]string{"--data-dir", dir, "serve", "--addr", "0.0.0.0:0"}, 2},
	}
	for _, tc := range cases {
		code, out, errs := runCLI(t, tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tc.args, code, tc.code, errs)
		}
		if strings.Contains(strings.Join(tc.args, " "), "--json") && out != "" && !json.Valid([]byte(out)) {
			t.Errorf("%v: stdout is not JSON: %q", tc.args, out)
		}
	}
}

// After `fleet bootstrap` the fleet overview is stored, so the app's first start serves it at
// once (Monitor.Overview) instead of predicting the whole fleet before its first answer.
func TestCLIFleetBootstrapStoresOverview(t *testing.T) {
	dir := t.TempDir()
	id := "motor_weg_w22_003"
	code, out, errs := runCLI(t, "--data-dir", dir, "fleet", "bootstrap", "--tiny", "--only", id, "--json")
	if code != 0 {
		t.Fatalf("bootstrap exit %d: %s", code, errs)
	}
	var boot struct{ Bootstrapped, Failed int }
	if err := json.Unmarshal([]byte(out), &boot); err != nil || boot.Bootstrapped != 1 || boot.Failed != 0 {
		t.Fatalf("bootstrap output %q (%v)", out, err)
	}
	ctx := context.Background()
	c, err := OpenCore(ctx, dir, CoreOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, ok, err := c.Store.GetSetting(ctx, "fleet.overview")
	if err != nil || !ok {
		t.Fatalf("no stored fleet overview after bootstrap (%v)", err)
	}
	var ov struct {
		Machines []struct {
			ID     string `json:"id"`
			Ready  bool   `json:"ready"`
			Status string `json:"status"`
		} `json:"machines"`
	}
	if err := json.Unmarshal([]byte(v), &ov); err != nil {
		t.Fatal(err)
	}
	ready := 0
	for _, m := range ov.Machines {
		if m.Ready {
			ready++
			if m.ID != id || m.Status == "unknown" {
				t.Errorf("ready machine %s with status %q", m.ID, m.Status)
			}
		}
	}
	if len(ov.Machines) != 26 || ready != 1 {
		t.Fatalf("stored overview: %d machines, %d ready", len(ov.Machines), ready)
	}
}
