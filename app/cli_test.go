package app

import (
	"bytes"
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
