package explain

import (
	"context"
	"fmt"

	"pdmstudio/backend/apperr"
)

// Progress receives a batch's progress; *jobs.Progress satisfies it.
type Progress interface {
	Report(stage string, fraction float64, metrics map[string]any)
}

// BatchResult is the outcome of [Batch]: one explanation per input that could be explained,
// and the inputs that could not (bad input), by machine id.
type BatchResult struct {
	Explanations []Explanation `json:"explanations"`
	Failed       []BatchError  `json:"failed"`
}

// BatchError says why one machine was not explained.
type BatchError struct {
	MachineID string `json:"machine_id"`
	Error     string `json:"error"`
}

// Batch explains every input in order (one at a time: the model's queue runs one generation
// at a time anyway), reporting progress after each machine — stage "explaining", the
// fraction done, and metrics {"done", "total", "machine_id"} — and stopping when ctx ends
// (returning what is done and ctx's error). A bad input is recorded in Failed and the batch
// goes on; a store or engine failure stops it. Run it as a job: jobs.Func(func(ctx, p) (any,
// error) { return explain.Batch(ctx, inputs, opts, p) }). p may be nil.
func Batch(ctx context.Context, inputs []Input, o Options, p Progress) (BatchResult, error) {
	res := BatchResult{Explanations: []Explanation{}, Failed: []BatchError{}}
	report := func(done int, id string) {
		if p != nil {
			frac := 1.0
			if len(inputs) > 0 {
				frac = float64(done) / float64(len(inputs))
			}
			p.Report("explaining", frac, map[string]any{"done": done, "total": len(inputs), "machine_id": id})
		}
	}
	report(0, "")
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		e, err := Explain(ctx, in, o)
		switch {
		case err == nil:
			res.Explanations = append(res.Explanations, e)
		case ctx.Err() != nil:
			return res, ctx.Err()
		case apperr.KindOf(err) == apperr.KindBadInput:
			res.Failed = append(res.Failed, BatchError{MachineID: in.Profile.MachineID, Error: err.Error()})
		default:
			return res, fmt.Errorf("explaining %s: %w", in.Profile.MachineID, err)
		}
		report(i+1, in.Profile.MachineID)
	}
	return res, nil
}

// SelectAtRisk keeps the inputs [AtRisk] picks, in order.
func SelectAtRisk(inputs []Input) []Input {
	var out []Input
	for _, in := range inputs {
		if AtRisk(in) {
			out = append(out, in)
		}
	}
	return out
}
