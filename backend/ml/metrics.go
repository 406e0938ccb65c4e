package ml

import (
	"math"
	"slices"
	"sort"
)

// Metrics is the evaluation of a model on one data set, JSON-ready. Exactly one of the task
// sections is set.
type Metrics struct {
	// Task is the model's task.
	Task Task `json:"task"`
	// Rows is the number of rows evaluated.
	Rows int `json:"rows"`
	// Data names the evaluated data set ("validation" at training time, or the caller's label).
	Data           string                 `json:"data,omitempty"`
	Classification *ClassificationMetrics `json:"classification,omitempty"`
	RUL            *RULMetrics            `json:"rul,omitempty"`
	Anomaly        *AnomalyMetrics        `json:"anomaly,omitempty"`
	Forecast       *ForecastMetrics       `json:"forecast,omitempty"`
}

// ClassScore is the precision, recall and F1 of one class.
type ClassScore struct {
	Class     string  `json:"class"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of rows of the class in the data.
	Support int `json:"support"`
}

// ClassificationMetrics evaluates a classifier.
type ClassificationMetrics struct {
	// Classes in the order of PerClass and of the confusion matrix's rows and columns.
	Classes  []string `json:"classes"`
	Accuracy float64  `json:"accuracy"`
	// MacroF1 is the unweighted mean F1 over the classes present in the data or predicted.
	MacroF1  float64      `json:"macro_f1"`
	PerClass []ClassScore `json:"per_class"`
	// Confusion[i][j] counts rows of true class i predicted as class j.
	Confusion [][]int `json:"confusion"`
	// ECE is the expected calibration error of the confidence (the top probability), 15 equal
	// bins: Σ_b (n_b/n)·|accuracy_b − mean confidence_b|.
	ECE float64 `json:"ece"`
	// LogLoss is the mean negative log probability of the true class.
	LogLoss float64 `json:"log_loss"`
	// Temperature is the softmax temperature fitted on the validation data and folded into
	// the model (1 = no change; > 1 softens over-confident probabilities).
	Temperature float64 `json:"temperature"`
	// Baseline is the naive model that always predicts the training data's most frequent class.
	Baseline BaselineScore `json:"baseline"`
	// Reliability is the reliability diagram of the confidence (ReliabilityBins equal bins).
	Reliability []CalibrationBin `json:"reliability,omitempty"`
}

// BaselineScore is a naive reference model's score, side by side with the model's.
type BaselineScore struct {
	Name     string  `json:"name"`
	Accuracy float64 `json:"accuracy,omitempty"`
	MacroF1  float64 `json:"macro_f1,omitempty"`
	MAE      float64 `json:"mae,omitempty"`
	RMSE     float64 `json:"rmse,omitempty"`
	// NASAScore and NASAScaled are the asymmetric scores of the PHM08 challenge (see
	// RULMetrics).
	NASAScore  float64 `json:"nasa_score,omitempty"`
	NASAScaled float64 `json:"nasa_score_scaled,omitempty"`
	ROCAUC     float64 `json:"roc_auc,omitempty"`
	Precision  float64 `json:"precision,omitempty"`
	Recall     float64 `json:"recall,omitempty"`
}

// RULMetrics evaluates a remaining-useful-life regressor; errors are in the target's unit
// (for simulated data: rows).
type RULMetrics struct {
	MAE  float64 `json:"mae"`
	RMSE float64 `json:"rmse"`
	// NASAScore is the mean over rows of exp(−d/13)−1 when the prediction is early (d < 0)
	// and exp(d/10)−1 when it is late (d ≥ 0), d = predicted − true: late predictions cost
	// more. Lower is better; it grows exponentially with the error, so with a target counted
	// in hundreds of rows it reaches astronomic values.
	NASAScore float64 `json:"nasa_score"`
	// NASAScaled is the same score with the errors rescaled so that the training mean RUL is
	// 100 units (d·100/mean), the scale of the C-MAPSS data the score was made for; use it to
	// compare models across machines.
	NASAScaled float64 `json:"nasa_score_scaled"`
	// IntervalLevel is the nominal coverage of the prediction interval, Coverage the share of
	// rows whose true value fell inside it, MeanWidth its mean width.
	IntervalLevel float64 `json:"interval_level"`
	Coverage      float64 `json:"coverage"`
	MeanWidth     float64 `json:"mean_width"`
	// Baselines are naive references: the training mean, and a linear (ridge) model on the
	// same features.
	Baselines []BaselineScore `json:"baselines"`
	// Points are up to MaxRULPoints evaluated rows (true and predicted RUL) for a residual plot.
	Points []RULPoint `json:"points,omitempty"`
}

// AnomalyMetrics evaluates an anomaly detector against labels: positives are rows whose label
// is not the normal value.
type AnomalyMetrics struct {
	Threshold float64 `json:"threshold"`
	// TargetFalseAlarmRate is the false-alarm rate the threshold was calibrated for on healthy
	// validation rows; FalseAlarmRate is the share of normal rows above it in this data.
	TargetFalseAlarmRate float64 `json:"target_false_alarm_rate"`
	FalseAlarmRate       float64 `json:"false_alarm_rate"`
	Precision            float64 `json:"precision"`
	Recall               float64 `json:"recall"`
	F1                   float64 `json:"f1"`
	// ROCAUC is the area under the ROC curve of the score (threshold-free).
	ROCAUC    float64 `json:"roc_auc"`
	Positives int     `json:"positives"`
	Negatives int     `json:"negatives"`
	// Baseline is the per-feature z-score detector (RMS z over all features) with its own
	// threshold calibrated the same way.
	Baseline *BaselineScore `json:"baseline,omitempty"`
	// Curve is precision and recall over thresholds (PRCurvePoints quantiles of the score).
	Curve []PRPoint `json:"pr_curve,omitempty"`
}

// ForecastMetrics evaluates a multi-step forecaster: errors by horizon step (index 0 is one
// step ahead).
type ForecastMetrics struct {
	Horizon int `json:"horizon"`
	// Sensors holds per-sensor errors in the sensor's unit.
	Sensors []SensorForecastMetrics `json:"sensors"`
	// MAPE and NaiveMAPE are the mean absolute percentage errors per step, averaged over sensors.
	MAPE      []float64 `json:"mape"`
	NaiveMAPE []float64 `json:"naive_mape"`
	// RelativeMAE is MAE / naive MAE per step, averaged over sensors (< 1 beats the naive
	// last-value forecast).
	RelativeMAE []float64 `json:"relative_mae"`
	// IntervalLevel is the nominal coverage of the intervals, Coverage the observed one.
	IntervalLevel float64 `json:"interval_level"`
	Coverage      float64 `json:"coverage"`
}

// SensorForecastMetrics are the forecast errors of one sensor by step.
type SensorForecastMetrics struct {
	Sensor string    `json:"sensor"`
	Unit   string    `json:"unit,omitempty"`
	MAE    []float64 `json:"mae"`
	MAPE   []float64 `json:"mape"`
	// NaiveMAE and NaiveMAPE are those of the last-value forecast.
	NaiveMAE  []float64 `json:"naive_mae"`
	NaiveMAPE []float64 `json:"naive_mape"`
	Coverage  float64   `json:"coverage"`
}

// classScores computes accuracy, per-class scores, macro-F1 and the confusion matrix.
func classScores(classes []string, truth, pred []int) (acc, macro float64, per []ClassScore, conf [][]int) {
	K := len(classes)
	conf = make([][]int, K)
	for i := range conf {
		conf[i] = make([]int, K)
	}
	correct := 0
	for i, t := range truth {
		conf[t][pred[i]]++
		if t == pred[i] {
			correct++
		}
	}
	if len(truth) > 0 {
		acc = float64(correct) / float64(len(truth))
	}
	n := 0
	for k := 0; k < K; k++ {
		tp := conf[k][k]
		var support, predicted int
		for j := 0; j < K; j++ {
			support += conf[k][j]
			predicted += conf[j][k]
		}
		cs := ClassScore{Class: classes[k], Support: support}
		if predicted > 0 {
			cs.Precision = float64(tp) / float64(predicted)
		}
		if support > 0 {
			cs.Recall = float64(tp) / float64(support)
		}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		per = append(per, cs)
		if support > 0 || predicted > 0 {
			macro += cs.F1
			n++
		}
	}
	if n > 0 {
		macro /= float64(n)
	}
	return acc, macro, per, conf
}

// ece is the expected calibration error of the top probability over 15 equal bins.
func ece(conf []float64, correct []bool) float64 {
	const bins = 15
	var cnt [bins]int
	var sc, sa [bins]float64
	for i, c := range conf {
		b := min(int(c*bins), bins-1)
		cnt[b]++
		sc[b] += c
		if correct[i] {
			sa[b]++
		}
	}
	var e float64
	for b := 0; b < bins; b++ {
		if cnt[b] > 0 {
			e += math.Abs(sa[b]-sc[b]) / float64(len(conf))
		}
	}
	return e
}

// nasaScore is the mean PHM08 score of the errors d = (predicted − true)·scale.
func nasaScore(pred, truth []float64, scale float64) float64 {
	var s float64
	for i := range pred {
		d := (pred[i] - truth[i]) * scale
		// Arguments are capped at 700 so that the score stays finite (e^700 ≈ 1e304).
		if d < 0 {
			s += math.Exp(min(-d/13, 700)) - 1
		} else {
			s += math.Exp(min(d/10, 700)) - 1
		}
	}
	return min(s/float64(max(len(pred), 1)), math.MaxFloat64)
}

func maeRMSE(pred, truth []float64) (mae, rmse float64) {
	for i := range pred {
		d := pred[i] - truth[i]
		mae += math.Abs(d)
		rmse += d * d
	}
	n := float64(max(len(pred), 1))
	return mae / n, math.Sqrt(rmse / n)
}

// rocAUC is the probability that a random positive scores above a random negative (ties
// count half).
func rocAUC(score []float64, pos []bool) float64 {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return score[idx[a]] < score[idx[b]] })
	var np, nn float64
	var rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			if pos[idx[k]] {
				rankSum += avg
				np++
			} else {
				nn++
			}
		}
		i = j
	}
	if np == 0 || nn == 0 {
		return math.NaN()
	}
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// detection computes precision, recall, F1 and the false-alarm rate of score > threshold.
func detection(score []float64, pos []bool, threshold float64) (prec, rec, f1, far float64, np, nn int) {
	var tp, fp int
	for i, s := range score {
		flag := s > threshold
		if pos[i] {
			np++
			if flag {
				tp++
			}
		} else {
			nn++
			if flag {
				fp++
			}
		}
	}
	if tp+fp > 0 {
		prec = float64(tp) / float64(tp+fp)
	}
	if np > 0 {
		rec = float64(tp) / float64(np)
	}
	if prec+rec > 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	if nn > 0 {
		far = float64(fp) / float64(nn)
	}
	return
}

// quantile returns the q-quantile of vals (linear interpolation; vals are sorted in place).
func quantile(vals []float64, q float64) float64 {
	if len(vals) == 0 {
		return math.NaN()
	}
	slices.Sort(vals)
	pos := q * float64(len(vals)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(vals)-1)
	return vals[lo] + (pos-float64(lo))*(vals[hi]-vals[lo])
}

// nanToZero makes a metric JSON-safe (encoding/json refuses NaN and ±Inf).
func nanToZero(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
