package onboard

import (
	"strings"
	"testing"

	"pdmstudio/backend/quality"
)

// TestVerdict: every threshold is checked, and the train-on-synthetic check applies to every
// class, so a rare class below 80 % fails even when the macro average passes.
func TestVerdict(t *testing.T) {
	ratio := func(v float64) *float64 { return &v }
	rep := func(overall, auc float64, ratios ...float64) *quality.Report {
		r := &quality.Report{Overall: overall, TSTR: &quality.TSTR{Target: "health_state", MacroRatio: 0.9},
			Detection: &quality.Detection{ROCAUC: auc}}
		for i, v := range ratios {
			r.TSTR.Classes = append(r.TSTR.Classes, quality.ClassF1{Class: string(rune('0' + i)), Ratio: ratio(v)})
		}
		return r
	}
	if ok, fails := Verdict(rep(0.95, 0.55, 0.99, 0.9, 0.85), DefaultThresholds); !ok || len(fails) != 0 {
		t.Fatalf("good report failed: %v", fails)
	}
	ok, fails := Verdict(rep(0.95, 0.55, 0.99, 0.95, 0.79), DefaultThresholds)
	if ok || len(fails) != 1 || !strings.Contains(fails[0], "health_state 2") {
		t.Fatalf("a rare class at 79%% passed: %v %v", ok, fails)
	}
	ok, fails = Verdict(rep(0.92, 0.61, 0.99), DefaultThresholds)
	if ok || len(fails) != 2 || !strings.Contains(fails[0], "quality score") || !strings.Contains(fails[1], "ROC AUC 0.61") {
		t.Fatalf("low quality and high AUC: %v %v", ok, fails)
	}
}
