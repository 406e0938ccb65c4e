package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/onboard"
	"pdmstudio/backend/store"
)

// A batch runs every onboarding step, one job per machine, on the real store, Parquet and
// TVAE: seed → train → generate → validate → models. A machine that is not ready for a step gets
// its own error while the others start.
func TestBatchRunsEveryOnboardingStep(t *testing.T) {
	c := openTestCore(t)
	ctx := context.Background()
	o := &Onboarding{c: c}
	if ops := o.BatchOperations(); !slices.Equal(ops, []string{"generate", "models", "seed", "train", "validate"}) {
		t.Fatalf("operations: %v", ops)
	}
	if _, err := (&Fleet{c: c}).Init(ctx); err != nil {
		t.Fatal(err)
	}
	ready, notReady := "pump_grundfos_cr3_004", "motor_siemens_1la7_001"
	opts := onboard.BatchOptions{
		Seed:     onboard.SeedOptions{Samples: 1500, Seed: 1},
		Train:    onboard.TrainOptions{Epochs: 2, BatchSize: 500, Seed: 1},
		Generate: onboard.GenerateOptions{Train: 600, Val: 300, Test: 300, Seed: 1},
	}
	run := func(op string, ids ...string) []onboard.BatchItem {
		t.Helper()
		items, err := o.Batch(ctx, ids, op, opts)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		for _, it := range items {
			if it.Job == nil {
				continue
			}
			j, err := c.Jobs.Wait(ctx, it.Job.ID)
			if err != nil || j.Status != store.JobSucceeded {
				t.Fatalf("%s %s: %s %v %s", op, it.MachineID, j.Status, err, j.Error)
			}
		}
		return items
	}
	run("seed", ready)
	for _, op := range []string{"train", "generate", "validate"} {
		items := run(op, ready, notReady, ready)
		if len(items) != 2 || items[0].Job == nil || items[1].Job != nil || !strings.Contains(items[1].Error, notReady) {
			t.Fatalf("%s: items %+v", op, items)
		}
	}
	// The report compares the modelled columns only: the time axis and the episode id are rebuilt
	// by Generate, not learnt.
	v, err := o.Validation(ctx, ready)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range v.Report.Columns {
		if col.Column == "timestamp" || col.Column == "unit" {
			t.Fatalf("validation compares the bookkeeping column %q", col.Column)
		}
	}
	items := run("models", ready)
	if items[0].Job == nil || items[0].Job.Kind != "models.train" {
		t.Fatalf("models: %+v", items)
	}
	if _, err := o.Batch(ctx, []string{ready}, "nope", opts); err == nil || !strings.Contains(err.Error(), "operation") {
		t.Fatalf("unknown operation: %v", err)
	}
}
