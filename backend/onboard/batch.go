package onboard

import (
	"context"
	"fmt"
	"sort"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/jobs"
)

// BatchOptions carry the inputs of every operation a batch can run; each operation reads its own.
type BatchOptions struct {
	Seed     SeedOptions     `json:"seed"`
	Train    TrainOptions    `json:"train"`
	Generate GenerateOptions `json:"generate"`
}

// BatchItem is one machine's part of a batch: its job, or why it could not be started.
type BatchItem struct {
	MachineID string    `json:"machine_id"`
	Job       *jobs.Job `json:"job,omitempty"`
	Error     string    `json:"error,omitempty"`
}

// BatchOp starts one machine's part of a batch operation as a job.
type BatchOp func(ctx context.Context, machineID string, o BatchOptions) (jobs.Job, error)

// batchOps are the operations a batch can run, by name: the onboarding steps, plus those other
// packages add through ExtraBatchOps (e.g. "models" from the model registry, which builds on
// this package and so cannot be called from it).
func (w *Workflow) batchOps() map[string]BatchOp {
	ops := map[string]BatchOp{
		"seed": func(ctx context.Context, id string, o BatchOptions) (jobs.Job, error) {
			return w.SubmitSeed(ctx, id, o.Seed)
		},
		"train": func(ctx context.Context, id string, o BatchOptions) (jobs.Job, error) {
			return w.SubmitTrain(ctx, id, o.Train)
		},
		"generate": func(ctx context.Context, id string, o BatchOptions) (jobs.Job, error) {
			return w.SubmitGenerate(ctx, id, o.Generate)
		},
		"validate": func(ctx context.Context, id string, _ BatchOptions) (jobs.Job, error) {
			return w.SubmitValidate(ctx, id)
		},
	}
	for k, op := range w.ExtraBatchOps {
		ops[k] = op
	}
	return ops
}

// BatchOperations lists the operations a batch can run.
func (w *Workflow) BatchOperations() []string {
	var out []string
	for k := range w.batchOps() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Batch starts one job per machine for an operation. Machines that cannot start (unknown id, bad
// options) are reported per item; the others run on the worker pool.
func (w *Workflow) Batch(ctx context.Context, machineIDs []string, operation string, o BatchOptions) ([]BatchItem, error) {
	op, ok := w.batchOps()[operation]
	if !ok {
		return nil, apperr.BadInput("unknown operation", apperr.FieldError{Field: "operation",
			Message: fmt.Sprintf("%q is not one of %v", operation, w.BatchOperations())})
	}
	if len(machineIDs) == 0 {
		return nil, apperr.BadInput("no machines chosen", apperr.FieldError{Field: "machine_ids", Message: "choose at least one machine"})
	}
	seen := map[string]bool{}
	items := []BatchItem{}
	for _, id := range machineIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		j, err := op(ctx, id, o)
		if err != nil {
			items = append(items, BatchItem{MachineID: id, Error: apperr.As(err).Error()})
			continue
		}
		items = append(items, BatchItem{MachineID: id, Job: &j})
	}
	return items, nil
}
