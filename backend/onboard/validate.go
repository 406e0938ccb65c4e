package onboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/quality"
)

// QualityFile is the latest validation report inside a machine's folder.
const QualityFile = "quality.json"

// Thresholds a synthetic dataset must meet to pass validation.
type Thresholds struct {
	Overall         float64 `json:"overall"`           // quality score, at least
	TSTRRatio       float64 `json:"tstr_ratio"`        // synthetic-trained / real-trained F1 of every class, at least
	DetectionROCAUC float64 `json:"detection_roc_auc"` // real-vs-synthetic ROC AUC, at most
}

// DefaultThresholds are the targets of the synthetic-data issue.
var DefaultThresholds = Thresholds{Overall: 0.93, TSTRRatio: 0.80, DetectionROCAUC: 0.60}

// Validation is a quality report of a machine's synthetic train set against its real seed data,
// with the verdict.
type Validation struct {
	MachineID  string          `json:"machine_id"`
	Report     *quality.Report `json:"report"`
	Thresholds Thresholds      `json:"thresholds"`
	Passed     bool            `json:"passed"`
	Failures   []string        `json:"failures"` // which thresholds were missed
	CreatedAt  string          `json:"created_at"`
	Seconds    float64         `json:"seconds"`
}

// Verdict checks a report against thresholds.
func Verdict(r *quality.Report, th Thresholds) (bool, []string) {
	fails := []string{}
	if r.Overall < th.Overall {
		fails = append(fails, fmt.Sprintf("quality score %.3f is below %.2f", r.Overall, th.Overall))
	}
	if r.TSTR != nil {
		// Every class, rare ones included: a macro average hides a rare state the synthetic
		// rows do not teach.
		for _, c := range r.TSTR.Classes {
			if c.Ratio != nil && *c.Ratio < th.TSTRRatio {
				fails = append(fails, fmt.Sprintf("train-on-synthetic F1 of %s %s is %.0f%% of train-on-real, below %.0f%%",
					r.TSTR.Target, c.Class, 100**c.Ratio, 100*th.TSTRRatio))
			}
		}
	}
	if r.Detection != nil && r.Detection.ROCAUC > th.DetectionROCAUC {
		fails = append(fails, fmt.Sprintf("a classifier tells real from synthetic with ROC AUC %.2f, above %.2f", r.Detection.ROCAUC, th.DetectionROCAUC))
	}
	return len(fails) == 0, fails
}

// SubmitValidate starts validating a machine's synthetic train set against its seed data.
func (w *Workflow) SubmitValidate(ctx context.Context, machineID string) (jobs.Job, error) {
	if _, err := w.Machines.Get(ctx, machineID); err != nil {
		return jobs.Job{}, err
	}
	for _, k := range []string{KindSeed, KindTrain} {
		if p, _ := w.DatasetPath(machineID, k); !exists(p) {
			return jobs.Job{}, apperr.Conflictf("machine %s has no %s dataset yet; run the earlier onboarding steps first", machineID, k)
		}
	}
	return w.Jobs.Submit(ctx, jobs.Spec{Kind: "tvae.validate", MachineID: machineID}, func(ctx context.Context, p *jobs.Progress) (any, error) {
		return w.RunValidate(ctx, p, machineID, quality.Options{Seed: 1})
	})
}

// RunValidate validates a machine's synthetic train set inside a running job.
func (w *Workflow) RunValidate(ctx context.Context, p *jobs.Progress, machineID string, opts quality.Options) (any, error) {
	return w.stageRun(ctx, machineID, "validated", func() (string, any, error) { return w.validate(ctx, p, machineID, opts) })
}

func (w *Workflow) validate(ctx context.Context, p *jobs.Progress, machineID string, opts quality.Options) (string, any, error) {
	start := time.Now()
	p.Report("reading datasets", 0.02, nil)
	real, err := w.Table(ctx, machineID, KindSeed)
	if err != nil {
		return "", nil, err
	}
	syn, err := w.Table(ctx, machineID, KindTrain)
	if err != nil {
		return "", nil, err
	}
	// Only the columns the TVAE models are compared: Generate rebuilds the time axis and the
	// episode ids of the synthetic sets (longer sets span more time and more units), so comparing
	// them would measure the set sizes, not the data (a detector tells the sets apart by the
	// timestamps alone).
	if real, err = modelled(real); err != nil {
		return "", nil, err
	}
	if syn, err = modelled(syn); err != nil {
		return "", nil, err
	}
	p.Report("column shapes, pair trends, TSTR and detection", 0.1, nil)
	rep, err := quality.Evaluate(ctx, real, syn, opts)
	if err != nil {
		return "", nil, err
	}
	v := Validation{MachineID: machineID, Report: rep, Thresholds: DefaultThresholds, CreatedAt: time.Now().UTC().Format(time.RFC3339),
		Seconds: time.Since(start).Seconds()}
	v.Passed, v.Failures = Verdict(rep, DefaultThresholds)
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", nil, err
	}
	dir, _ := w.Dir.MachineDir(machineID)
	if err := atomicfile.WriteFile(filepath.Join(dir, QualityFile), b); err != nil {
		return "", nil, err
	}
	detail := fmt.Sprintf("passed: quality %.3f", rep.Overall)
	if !v.Passed {
		detail = "below threshold: " + strings.Join(v.Failures, "; ")
	}
	return detail, v, nil
}

// LatestValidation returns the last validation report of a machine.
func (w *Workflow) LatestValidation(ctx context.Context, machineID string) (*Validation, error) {
	if _, err := w.Machines.Get(ctx, machineID); err != nil {
		return nil, err
	}
	dir, _ := w.Dir.MachineDir(machineID)
	b, err := os.ReadFile(filepath.Join(dir, QualityFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.NotFoundf("machine %s has not been validated yet", machineID)
	}
	if err != nil {
		return nil, err
	}
	var v Validation
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("the validation report of %s is damaged: %w", machineID, err)
	}
	return &v, nil
}
