package app

import (
	"encoding/json"
	"strings"
	"testing"

	"pdmstudio/backend/registry"
	"pdmstudio/backend/store"
)

// The model workflow through the CLI on the real store, Parquet and ONNX Runtime: train two
// tasks on seed data, predict (logged), retrain (the new version waits inactive), activate it,
// roll back.
func TestModelsWorkflowViaCLI(t *testing.T) {
	dir := t.TempDir()
	id := "pump_grundfos_cr3_004"
	runCLI(t, "--data-dir", dir, "fleet", "init")
	if code, _, errs := runCLI(t, "--data-dir", dir, "seed", id, "--samples", "3000"); code != 0 {
		t.Fatalf("seed: %s", errs)
	}
	if code, _, _ := runCLI(t, "--data-dir", dir, "predict", id); code != 1 {
		t.Fatalf("predict without models: exit %d, want 1", code)
	}
	code, out, errs := runCLI(t, "--data-dir", dir, "models", "train", id, "--tasks", "classification,rul", "--json")
	var v1 []registry.TrainedVersion
	if code != 0 || json.Unmarshal([]byte(out), &v1) != nil || len(v1) != 2 || !v1[0].Active {
		t.Fatalf("train: %d %s %s", code, out, errs)
	}
	code, out, errs = runCLI(t, "--data-dir", dir, "predict", id, "--json")
	var pred registry.MachinePrediction
	if code != 0 || json.Unmarshal([]byte(out), &pred) != nil || len(pred.Tasks) != 2 {
		t.Fatalf("predict: %d %s %s", code, out, errs)
	}
	for _, tp := range pred.Tasks {
		if tp.Error != "" || tp.Prediction == nil || len(tp.Prediction.TopFactors) == 0 {
			t.Fatalf("%s prediction: %+v", tp.Task, tp)
		}
	}
	code, out, _ = runCLI(t, "--data-dir", dir, "models", "train", id, "--tasks", "rul", "--seed", "2", "--json")
	var v2 []registry.TrainedVersion
	if code != 0 || json.Unmarshal([]byte(out), &v2) != nil || len(v2) != 1 || v2[0].Active || v2[0].Version != 2 {
		t.Fatalf("retrain: %s", out)
	}
	if code, _, errs := runCLI(t, "--data-dir", dir, "models", "activate", v2[0].VersionID); code != 0 {
		t.Fatalf("activate: %s", errs)
	}
	code, out, _ = runCLI(t, "--data-dir", dir, "models", "list", id, "--json")
	var vs []store.ModelVersion
	json.Unmarshal([]byte(out), &vs)
	active := map[string]string{}
	for _, v := range vs {
		if v.IsActive {
			active[v.ModelType] = v.Version
		}
	}
	if len(vs) != 3 || active["rul"] != "v2" || active["classification"] != "v1" {
		t.Fatalf("versions after activate: %+v", vs)
	}
	// Roll back to v1.
	for _, v := range v1 {
		if v.Task == "rul" {
			runCLI(t, "--data-dir", dir, "models", "activate", v.VersionID)
		}
	}
	code, out, _ = runCLI(t, "--data-dir", dir, "models", "list", id, "--json")
	json.Unmarshal([]byte(out), &vs)
	for _, v := range vs {
		if v.ModelType == "rul" && v.IsActive && v.Version != "v1" {
			t.Fatalf("rollback left %s active", v.Version)
		}
	}
	if code, _, errs := runCLI(t, "--data-dir", dir, "models", "train", id, "--tasks", "weather"); code != 2 || !strings.Contains(errs, "weather") {
		t.Fatalf("unknown task: %d %s", code, errs)
	}
	if code, _, _ := runCLI(t, "--data-dir", dir, "models", "activate", "no-such-version"); code != 1 {
		t.Fatalf("unknown version: exit %d", code)
	}
	code, out, _ = runCLI(t, "--data-dir", dir, "machines", "status", id, "--json")
	if !strings.Contains(out, `"stage": "models"`) {
		t.Fatalf("stage after training: %s", out)
	}
}
