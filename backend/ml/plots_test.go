package ml

import (
	"math"
	"testing"
)

func TestReliabilityBins(t *testing.T) {
	conf := []float64{0.05, 0.95, 0.91, 0.99, 0.55, 1.0}
	correct := []bool{false, true, false, true, true, true}
	bins := reliability(conf, correct)
	if len(bins) != ReliabilityBins {
		t.Fatalf("%d bins, want %d", len(bins), ReliabilityBins)
	}
	// 0.95, 0.91, 0.99 and 1.0 (the top edge belongs to the last bin) → bin 9, 3 of 4 right.
	b := bins[9]
	if b.Count != 4 || math.Abs(b.Accuracy-0.75) > 1e-12 || math.Abs(b.Confidence-(0.95+0.91+0.99+1.0)/4) > 1e-12 {
		t.Errorf("bin 9 = %+v", b)
	}
	if bins[0].Count != 1 || bins[0].Accuracy != 0 || bins[5].Count != 1 || bins[5].Accuracy != 1 {
		t.Errorf("bins 0, 5 = %+v, %+v", bins[0], bins[5])
	}
	if bins[3].Count != 0 || bins[3].Lower != 0.3 || bins[3].Upper != 0.4 {
		t.Errorf("empty bin 3 = %+v", bins[3])
	}
}

func TestRULPointsSampleEvenly(t *testing.T) {
	n := 1000
	truth, pred := make([]float64, n), make([]float64, n)
	for i := range truth {
		truth[i], pred[i] = float64(i), float64(i)+1
	}
	pts := rulPoints(truth, pred)
	if len(pts) != MaxRULPoints {
		t.Fatalf("%d points, want %d", len(pts), MaxRULPoints)
	}
	if pts[0].True != 0 || pts[len(pts)-1].True < float64(n)*0.99 {
		t.Errorf("points do not span the rows: first %v last %v", pts[0], pts[len(pts)-1])
	}
	for _, p := range pts {
		if p.Predicted != p.True+1 {
			t.Fatalf("pair broken: %+v", p)
		}
	}
	if got := rulPoints(truth[:5], pred[:5]); len(got) != 5 {
		t.Errorf("short data: %d points, want all 5", len(got))
	}
	if rulPoints(nil, nil) != nil {
		t.Error("no rows should give no points")
	}
}

func TestPRCurve(t *testing.T) {
	// Scores 0..99; rows scoring ≥ 50 are the anomalies: a perfect detector.
	var score []float64
	var pos []bool
	for i := 0; i < 100; i++ {
		score = append(score, float64(i))
		pos = append(pos, i >= 50)
	}
	curve := prCurve(score, pos)
	if len(curve) < 10 {
		t.Fatalf("%d points", len(curve))
	}
	for i := 1; i < len(curve); i++ {
		if curve[i].Threshold <= curve[i-1].Threshold {
			t.Fatalf("thresholds not ascending at %d: %+v", i, curve)
		}
		if curve[i].Recall > curve[i-1].Recall {
			t.Fatalf("recall grew with the threshold at %d", i)
		}
	}
	if c := curve[0]; c.Recall != 1 || c.FalseAlarmRate < 0.9 {
		t.Errorf("lowest threshold flags (almost) everything: %+v", c)
	}
	// Below the class boundary every anomaly is flagged; at or above it no normal row is.
	for _, c := range curve {
		if c.Threshold < 49.5 && c.Recall != 1 {
			t.Errorf("threshold %v below the boundary misses anomalies: %+v", c.Threshold, c)
		}
		if c.Threshold >= 49.5 && (c.Precision != 1 || c.FalseAlarmRate != 0) {
			t.Errorf("threshold %v above the boundary flags normal rows: %+v", c.Threshold, c)
		}
	}
	if prCurve(score, make([]bool, len(score))) != nil {
		t.Error("without positives there is no curve")
	}
}
