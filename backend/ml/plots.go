package ml

import (
	"math"
	"slices"
)

// The data behind the evaluation plots of the Model Performance page, stored with the metrics:
// a reliability diagram (classification), predicted against true RUL (rul) and the
// precision/recall trade-off over thresholds (anomaly). They are small: at most a few hundred
// points each, so a model version's metrics stay a few kilobytes.

// ReliabilityBins is the number of equal-width confidence bins of a reliability diagram.
const ReliabilityBins = 10

// MaxRULPoints caps the predicted/true pairs kept for the RUL residual plot.
const MaxRULPoints = 300

// PRCurvePoints is the number of thresholds of the anomaly precision/recall curve.
const PRCurvePoints = 40

// CalibrationBin is one confidence bin of a reliability diagram: of the rows whose top class
// probability fell in [Lower, Upper), Count rows with mean confidence Confidence, of which the
// share Accuracy was classified correctly. A calibrated model has Accuracy ≈ Confidence.
type CalibrationBin struct {
	Lower      float64 `json:"lower"`
	Upper      float64 `json:"upper"`
	Count      int     `json:"count"`
	Confidence float64 `json:"confidence"`
	Accuracy   float64 `json:"accuracy"`
}

// RULPoint is one evaluated row of a RUL model: the true and the predicted remaining life, in
// the target's unit.
type RULPoint struct {
	True      float64 `json:"true"`
	Predicted float64 `json:"predicted"`
}

// PRPoint is the detection quality of the anomaly score at one threshold: rows scoring above
// Threshold are flagged.
type PRPoint struct {
	Threshold      float64 `json:"threshold"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
	FalseAlarmRate float64 `json:"false_alarm_rate"`
}

// reliability bins the top-class confidences conf (one per row; correct says whether the row
// was classified right) into ReliabilityBins equal bins over [0, 1]; every bin is returned,
// empty ones with Count 0.
func reliability(conf []float64, correct []bool) []CalibrationBin {
	out := make([]CalibrationBin, ReliabilityBins)
	for b := range out {
		out[b].Lower = float64(b) / ReliabilityBins
		out[b].Upper = float64(b+1) / ReliabilityBins
	}
	for i, c := range conf {
		if math.IsNaN(c) {
			continue
		}
		b := min(max(int(c*ReliabilityBins), 0), ReliabilityBins-1)
		out[b].Count++
		out[b].Confidence += c
		if correct[i] {
			out[b].Accuracy++
		}
	}
	for b := range out {
		if n := float64(out[b].Count); n > 0 {
			out[b].Confidence /= n
			out[b].Accuracy /= n
		}
	}
	return out
}

// rulPoints keeps at most MaxRULPoints (truth, prediction) pairs, evenly spaced over the rows
// so that every part of the data is represented, in row order.
func rulPoints(truth, pred []float64) []RULPoint {
	n := len(truth)
	if n == 0 {
		return nil
	}
	k := min(n, MaxRULPoints)
	out := make([]RULPoint, 0, k)
	for j := 0; j < k; j++ {
		i := j * n / k
		out = append(out, RULPoint{True: nanToZero(truth[i]), Predicted: nanToZero(pred[i])})
	}
	return out
}

// prCurve evaluates precision, recall and the false-alarm rate of score > threshold at
// PRCurvePoints thresholds placed at quantiles of the scores (so that the curve is detailed
// where the scores are dense), ascending by threshold. It returns nil without both positive
// and negative rows.
func prCurve(score []float64, pos []bool) []PRPoint {
	var np, nn int
	for _, p := range pos {
		if p {
			np++
		} else {
			nn++
		}
	}
	if np == 0 || nn == 0 {
		return nil
	}
	sorted := slices.Clone(score)
	slices.Sort(sorted)
	var out []PRPoint
	for j := 0; j < PRCurvePoints; j++ {
		q := float64(j) / float64(PRCurvePoints)
		th := sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
		if len(out) > 0 && out[len(out)-1].Threshold == th {
			continue
		}
		prec, rec, _, far, _, _ := detection(score, pos, th)
		if rec == 0 && prec == 0 && len(out) > 0 {
			break // nothing flagged above this threshold
		}
		out = append(out, PRPoint{Threshold: nanToZero(th), Precision: prec, Recall: rec, FalseAlarmRate: far})
	}
	return out
}
