package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"pdmstudio/backend/profiles"
)

// snapshot lists every file under dir with its size, and the machine ids in the database.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var files []string
	filepath.Walk(filepath.Join(dir, "machines"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, strings.TrimPrefix(p, dir)+":"+string(rune(fi.Size()%1000)))
		}
		return nil
	})
	sort.Strings(files)
	code, out, errs := runCLI(t, "--data-dir", dir, "machines", "list", "--json")
	if code != 0 {
		t.Fatalf("machines list: %s", errs)
	}
	return strings.Join(files, "\n") + "\n" + out
}

// Every malformed profile of the corpus gets exit code 2 with field-level errors, from both
// `profile validate` and `machines create`, and leaves the store and files unchanged.
func TestInvalidProfileCorpusViaCLI(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCLI(t, "--data-dir", dir, "fleet", "init"); code != 0 {
		t.Fatalf("fleet init: %s", errs)
	}
	// machine_id_taken.json expects motor_taken_001 to exist.
	taken, _ := profiles.Template("motor")
	taken.MachineID = "motor_taken_001"
	takenFile := filepath.Join(t.TempDir(), "taken.json")
	data, _ := profiles.Encode(taken, profiles.FormatJSON)
	os.WriteFile(takenFile, data, 0o644)
	if code, _, errs := runCLI(t, "--data-dir", dir, "machines", "create", "--profile", takenFile); code != 0 {
		t.Fatalf("create motor_taken_001: %s", errs)
	}
	before := snapshot(t, dir)
	entries, err := os.ReadDir("../backend/profiles/testdata/invalid")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if ext != ".json" && ext != ".yaml" && ext != ".yml" && ext != ".xlsx" {
			continue
		}
		n++
		path := filepath.Join("../backend/profiles/testdata/invalid", name)
		code, out, _ := runCLI(t, "--data-dir", dir, "profile", "validate", path, "--json")
		var res ValidationResult
		if code != 2 || json.Unmarshal([]byte(out), &res) != nil || res.Valid || len(res.Errors) == 0 {
			t.Errorf("%s: profile validate exit %d, output %q", name, code, out)
			continue
		}
		for _, fe := range res.Errors {
			if fe.Field == "" || fe.Message == "" {
				t.Errorf("%s: an error without field or message: %+v", name, fe)
			}
		}
		code, out, _ = runCLI(t, "--data-dir", dir, "machines", "create", "--profile", path, "--json")
		if code != 2 || !strings.Contains(out, `"fields"`) {
			t.Errorf("%s: machines create exit %d, output %q", name, code, out)
		}
	}
	if n < 30 {
		t.Fatalf("the corpus has %d malformed profiles, want at least 30", n)
	}
	if after := snapshot(t, dir); after != before {
		t.Fatalf("the store or files changed after rejected profiles:\nbefore %s\nafter %s", before, after)
	}
}

func TestTemplatesRoundTripThroughCLI(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"json", "yaml", "xlsx"} {
		out := filepath.Join(t.TempDir(), "t."+format)
		if code, _, errs := runCLI(t, "templates", "get", "compressor", "--format", format, "--out", out); code != 0 {
			t.Fatalf("templates get %s: %s", format, errs)
		}
		if code, out, errs := runCLI(t, "--data-dir", dir, "profile", "validate", out, "--json"); code != 0 {
			t.Fatalf("template %s does not validate: %s %s", format, out, errs)
		}
	}
	// The template, created as a machine, shows and deletes cleanly.
	out := filepath.Join(t.TempDir(), "c.yaml")
	runCLI(t, "templates", "get", "compressor", "--format", "yaml", "--out", out)
	code, stdout, errs := runCLI(t, "--data-dir", dir, "machines", "create", "--profile", out, "--json")
	if code != 0 {
		t.Fatalf("create from template: %s", errs)
	}
	var m struct {
		MachineID string `json:"machine_id"`
		Stage     string `json:"stage"`
	}
	json.Unmarshal([]byte(stdout), &m)
	if m.MachineID == "" || m.Stage != "profile" {
		t.Fatalf("created: %s", stdout)
	}
	if code, _, _ := runCLI(t, "--data-dir", dir, "machines", "create", "--profile", out, "--json"); code != 2 {
		t.Fatalf("a duplicate machine_id must be bad input, got exit %d", code)
	}
	if code, _, _ := runCLI(t, "--data-dir", dir, "machines", "status", m.MachineID, "--json"); code != 0 {
		t.Fatal("status failed")
	}
	if code, _, errs := runCLI(t, "--data-dir", dir, "machines", "delete", m.MachineID); code != 0 {
		t.Fatalf("delete: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "machines", m.MachineID)); !os.IsNotExist(err) {
		t.Fatalf("machine folder left behind: %v", err)
	}
	if code, _, _ := runCLI(t, "--data-dir", dir, "machines", "show", m.MachineID); code != 1 {
		t.Fatalf("show after delete: exit %d", code)
	}
}
