package ml

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"pdmstudio/backend/profiles"
)

// TestFleetEvaluation trains the four models on several built-in machines and tests them on
// another simulation; it runs only when PDMSTUDIO_ML_EVAL is set (the number of machines,
// spread over the fleet, or "all"). PDMSTUDIO_ML_EVAL_ROWS sets the rows per simulation
// (default 5000), PDMSTUDIO_ML_EVAL_VALID=holdout validates on 20 % of the training episodes
// instead of a third simulation, and PDMSTUDIO_ML_EVAL_OUT names a JSON file for the full
// metrics. Seeds: 1 train, 3 validation, 2 test.
func TestFleetEvaluation(t *testing.T) {
	arg := os.Getenv("PDMSTUDIO_ML_EVAL")
	if arg == "" {
		t.Skip("set PDMSTUDIO_ML_EVAL to the number of machines (or all) to run the fleet evaluation")
	}
	fleet := profiles.Fleet()
	n := len(fleet)
	if arg != "all" {
		n, _ = strconv.Atoi(arg)
	}
	rows := 5000
	if v, err := strconv.Atoi(os.Getenv("PDMSTUDIO_ML_EVAL_ROWS")); err == nil {
		rows = v
	}
	holdout := os.Getenv("PDMSTUDIO_ML_EVAL_VALID") == "holdout"
	type result struct {
		Machine string             `json:"machine"`
		Task    Task               `json:"task"`
		Family  string             `json:"family"`
		Seconds float64            `json:"train_seconds"`
		Cands   []Candidate        `json:"candidates"`
		Test    Metrics            `json:"test"`
		Valid   Metrics            `json:"validation"`
		Extra   map[string]float64 `json:"-"`
	}
	var results []result
	var lines []string
	for i := 0; i < n; i++ {
		p := fleet[(i*len(fleet)/n+2)%len(fleet)]
		train, test := seedData(t, p.MachineID, rows, 1), seedData(t, p.MachineID, rows, 2)
		valid := seedData(t, p.MachineID, rows, 3)
		if holdout {
			valid = nil
		}
		var keys []string
		for _, s := range p.KeySensors() {
			keys = append(keys, s.Name)
		}
		cells := []string{p.MachineID}
		for _, task := range Tasks {
			t0 := time.Now()
			m, err := Fit(context.Background(), SeedSpec(task, train, valid, keys), nil)
			if err != nil {
				t.Fatalf("%s %s: %v", p.MachineID, task, err)
			}
			secs := time.Since(t0).Seconds()
			met, err := m.Evaluate(test)
			if err != nil {
				t.Fatal(err)
			}
			man := m.Manifest()
			results = append(results, result{Machine: p.MachineID, Task: task, Family: man.Family, Seconds: secs, Cands: man.Candidates, Test: met, Valid: man.Metrics})
			switch task {
			case Classification:
				c := met.Classification
				cells = append(cells, fmt.Sprintf("%s %.3f (maj %.3f) acc %.3f ece %.3f", man.Family, c.MacroF1, c.Baseline.MacroF1, c.Accuracy, c.ECE))
			case RUL:
				r := met.RUL
				cells = append(cells, fmt.Sprintf("%s %.0f (mean %.0f, lin %.0f) nasa* %.1f (mean %.1f) cov %.2f", man.Family, r.RMSE, r.Baselines[0].RMSE, r.Baselines[len(r.Baselines)-1].RMSE, r.NASAScaled, r.Baselines[0].NASAScaled, r.Coverage))
			case Anomaly:
				a := met.Anomaly
				cells = append(cells, fmt.Sprintf("%s auc %.3f P %.2f R %.2f far %.3f", man.Family, a.ROCAUC, a.Precision, a.Recall, a.FalseAlarmRate))
			case Forecast:
				f := met.Forecast
				cells = append(cells, fmt.Sprintf("%s rel %.3f/%.3f mape %.2f%%/%.2f%% cov %.2f", man.Family, f.RelativeMAE[0], f.RelativeMAE[len(f.RelativeMAE)-1], f.MAPE[0], f.MAPE[len(f.MAPE)-1], f.Coverage))
			}
			cells[len(cells)-1] += fmt.Sprintf(" [%.1fs]", secs)
		}
		lines = append(lines, "| "+strings.Join(cells, " | ")+" |")
		t.Log(lines[len(lines)-1])
	}
	fmt.Printf("\n| machine | health state: macro-F1 (majority), accuracy, ECE | RUL RMSE (mean, linear), scaled NASA (mean), coverage | anomaly ROC-AUC, P/R, false alarms | forecast MAE/naive h1/h10, MAPE h1/h10, coverage |\n|---|---|---|---|---|\n%s\n", strings.Join(lines, "\n"))
	// Averages per task.
	var f1, rr, auc, rel float64
	var k float64
	for _, r := range results {
		switch r.Task {
		case Classification:
			f1 += r.Test.Classification.MacroF1
			k++
		case RUL:
			rr += r.Test.RUL.RMSE / r.Test.RUL.Baselines[0].RMSE
		case Anomaly:
			auc += r.Test.Anomaly.ROCAUC
		case Forecast:
			rel += r.Test.Forecast.RelativeMAE[0]
		}
	}
	fmt.Printf("mean over %d machines: macro-F1 %.3f, RUL RMSE/mean-baseline %.3f, anomaly ROC-AUC %.3f, forecast MAE/naive (h1) %.3f\n", int(k), f1/k, rr/k, auc/k, rel/k)
	if out := os.Getenv("PDMSTUDIO_ML_EVAL_OUT"); out != "" {
		b, _ := json.MarshalIndent(results, "", " ")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
