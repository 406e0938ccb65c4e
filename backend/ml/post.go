package ml

import (
	"math"
	"slices"
	"sort"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
)

// post holds what turns head outputs into predictions and metrics, per task. It is plain data
// saved in params.json.
type post struct {
	Task   Task   `json:"task"`
	Family string `json:"family"`
	Target string `json:"target,omitempty"`

	// Classification: class labels (text) in output order, the target's type, the softmax
	// temperature baked into the head, and the majority class of the training data.
	Classes     []string      `json:"classes,omitempty"`
	ClassType   datasets.Type `json:"class_type,omitempty"`
	Temperature float64       `json:"temperature,omitempty"`
	Majority    int           `json:"majority,omitempty"`

	// Regression (RUL, Forecast): value_k = YMean[k] + YStd[k]·output_k.
	YMean []float64 `json:"y_mean,omitempty"`
	YStd  []float64 `json:"y_std,omitempty"`
	// Level is the nominal interval coverage.
	Level float64 `json:"level,omitempty"`

	// RUL: interval offsets Lo/Hi per bin of the predicted value (bins split at Edges), the
	// lowest value a prediction may take (nil: none), the training mean (naive baseline) and
	// the linear baseline model.
	Edges     []float64  `json:"edges,omitempty"`
	Lo        []float64  `json:"lo,omitempty"`
	Hi        []float64  `json:"hi,omitempty"`
	Floor     *float64   `json:"floor,omitempty"`
	TrainMean float64    `json:"train_mean,omitempty"`
	Linear    *denseHead `json:"linear,omitempty"`

	// Anomaly: the target value of healthy rows, the threshold and the false-alarm rate it was
	// set for, sorted healthy validation scores (for the confidence), and the z-score baseline
	// with its own threshold.
	Normal            string     `json:"normal,omitempty"`
	Threshold         float64    `json:"threshold,omitempty"`
	FalseAlarm        float64    `json:"false_alarm,omitempty"`
	Healthy           []float64  `json:"healthy,omitempty"`
	Baseline          *scoreHead `json:"baseline,omitempty"`
	BaselineThreshold float64    `json:"baseline_threshold,omitempty"`

	// Forecast: the sensors, their input index in the pipeline, the horizon, and the interval
	// offsets per output (sensor-major: k = s·Horizon + h).
	Sensors     []string `json:"sensors,omitempty"`
	SensorInput []int    `json:"sensor_input,omitempty"`
	// SensorFeature is the index of each sensor's col.last feature.
	SensorFeature []int     `json:"sensor_feature,omitempty"`
	Horizon       int       `json:"horizon,omitempty"`
	FLo           []float64 `json:"f_lo,omitempty"`
	FHi           []float64 `json:"f_hi,omitempty"`
}

func argmax(v []float32) int {
	best := 0
	for k := range v {
		if v[k] > v[best] {
			best = k
		}
	}
	return best
}

// rul returns the RUL prediction for output o.
func (p *post) rul(o float32) float64 {
	v := p.YMean[0] + p.YStd[0]*float64(o)
	if p.Floor != nil {
		v = max(v, *p.Floor)
	}
	return v
}

// rulInterval returns the interval around a RUL prediction.
func (p *post) rulInterval(v float64) (lo, hi float64) {
	b := sort.SearchFloat64s(p.Edges, v)
	lo, hi = v+p.Lo[b], v+p.Hi[b]
	if p.Floor != nil {
		lo, hi = max(lo, *p.Floor), max(hi, *p.Floor)
	}
	return lo, hi
}

// forecastValue returns the forecast of output k = s·Horizon+h given the sensor's last value.
func (p *post) forecastValue(k int, last float64, o float32) float64 {
	return last + p.YMean[k] + p.YStd[k]*float64(o)
}

// fill writes the task's fields of a prediction from the head output o of feature vector x.
func (p *post) fill(pr *Prediction, o []float32, x []float32, pipe *features.Pipeline) {
	switch p.Task {
	case Classification:
		k := argmax(o)
		pr.Prediction = typedClass(p.Classes[k], p.ClassType)
		pr.Probabilities = make(map[string]float64, len(o))
		for j, c := range p.Classes {
			pr.Probabilities[c] = float64(o[j])
		}
		c := float64(o[k])
		pr.Confidence = &c
	case RUL:
		v := p.rul(o[0])
		lo, hi := p.rulInterval(v)
		pr.Prediction = v
		pr.Interval = &Interval{Lower: lo, Upper: hi, Level: p.Level}
	case Anomaly:
		s := float64(o[0])
		th := p.Threshold
		flag := s > th
		conf := float64(sort.SearchFloat64s(p.Healthy, s)) / float64(max(len(p.Healthy), 1))
		pr.Prediction, pr.Score, pr.Threshold, pr.IsAnomaly, pr.Confidence = s, &s, &th, &flag, &conf
	case Forecast:
		H := p.Horizon
		for s, name := range p.Sensors {
			in := pipe.Inputs[p.SensorInput[s]]
			last := float64(x[in.First])
			sf := SensorForecast{Sensor: name, Unit: in.Unit, Last: last, Level: p.Level,
				Values: make([]float64, H), Lower: make([]float64, H), Upper: make([]float64, H)}
			for h := 0; h < H; h++ {
				k := s*H + h
				v := p.forecastValue(k, last, o[k])
				sf.Values[h], sf.Lower[h], sf.Upper[h] = v, v+p.FLo[k], v+p.FHi[k]
			}
			pr.Forecast = append(pr.Forecast, sf)
		}
	}
}

// reference is the class whose probability attributions explain (the predicted one).
func (p *post) reference(o []float32) int {
	if p.Task == Classification {
		return argmax(o)
	}
	return 0
}

// explained returns the values attributions explain: the probability of class ref
// (classification), the RUL, or the mean forecast over the horizon of each sensor.
func (p *post) explained(o []float32, x []float32, ref int) []float64 {
	switch p.Task {
	case Classification:
		return []float64{float64(o[ref])}
	case RUL:
		return []float64{p.rul(o[0])}
	case Forecast:
		out := make([]float64, len(p.Sensors))
		H := p.Horizon
		for s := range p.Sensors {
			last := float64(x[p.SensorFeature[s]])
			var sum float64
			for h := 0; h < H; h++ {
				sum += p.forecastValue(s*H+h, last, o[s*H+h])
			}
			out[s] = sum / float64(H)
		}
		return out
	}
	return nil
}

// classIndex maps the target text of each row used in d to its class index (−1: null or
// unknown class).
func (p *post) classIndex(d *data) []int {
	col := d.t.Column(p.Target)
	index := make(map[string]int, len(p.Classes))
	for k, c := range p.Classes {
		index[c] = k
	}
	out := make([]int, len(d.idx))
	for i := range d.idx {
		out[i] = -1
		if col == nil {
			continue
		}
		r := d.tableRow(i)
		if col.IsNull(r) {
			continue
		}
		if k, ok := index[col.Text(r)]; ok {
			out[i] = k
		}
	}
	return out
}

func (p *post) evalClassification(d *data, out []float32, K int) (Metrics, float64, error) {
	labels := p.classIndex(d)
	var truth, pred, base []int
	var conf []float64
	var correct []bool
	var nll float64
	for i, y := range labels {
		if y < 0 {
			continue
		}
		o := out[i*K : (i+1)*K]
		k := argmax(o)
		truth, pred, base = append(truth, y), append(pred, k), append(base, p.Majority)
		conf = append(conf, float64(o[k]))
		correct = append(correct, k == y)
		nll -= math.Log(max(float64(o[y]), 1e-15))
	}
	acc, macro, per, cm := classScores(p.Classes, truth, pred)
	bacc, bmacro, _, _ := classScores(p.Classes, truth, base)
	cmet := &ClassificationMetrics{Classes: p.Classes, Accuracy: acc, MacroF1: macro, PerClass: per, Confusion: cm,
		ECE: ece(conf, correct), LogLoss: nll / float64(max(len(truth), 1)), Temperature: p.Temperature,
		Baseline: BaselineScore{Name: "majority class", Accuracy: bacc, MacroF1: bmacro}, Reliability: reliability(conf, correct)}
	return Metrics{Task: Classification, Rows: len(truth), Classification: cmet}, macro, nil
}

// numericTarget returns the target value of each row used in d (NaN when missing).
func numericTarget(d *data, target string) []float64 {
	col := d.t.Column(target)
	out := make([]float64, len(d.idx))
	for i := range d.idx {
		out[i] = math.NaN()
		if col != nil {
			if v, ok := col.Number(d.tableRow(i)); ok {
				out[i] = v
			}
		}
	}
	return out
}

func (p *post) evalRUL(d *data, x matrix, out []float32) (Metrics, float64, error) {
	y := numericTarget(d, p.Target)
	var lin []float32
	if p.Linear != nil {
		h := &head{Kind: headDense, Dense: p.Linear}
		var err error
		if lin, _, err = h.eval(x.X, x.N); err != nil {
			return Metrics{}, 0, err
		}
	}
	var truth, pred, mean, linear []float64
	covered := 0
	var width float64
	for i, t := range y {
		if math.IsNaN(t) {
			continue
		}
		v := p.rul(out[i])
		lo, hi := p.rulInterval(v)
		if t >= lo && t <= hi {
			covered++
		}
		width += hi - lo
		truth, pred, mean = append(truth, t), append(pred, v), append(mean, p.TrainMean)
		if lin != nil {
			linear = append(linear, p.rul(lin[i]))
		}
	}
	n := len(truth)
	mae, rmse := maeRMSE(pred, truth)
	scale := 1.0
	if p.TrainMean > 0 {
		scale = 100 / p.TrainMean
	}
	nasa := func(pr []float64) (float64, float64) {
		return nanToZero(nasaScore(pr, truth, 1)), nanToZero(nasaScore(pr, truth, scale))
	}
	r := &RULMetrics{MAE: mae, RMSE: rmse, IntervalLevel: p.Level, Points: rulPoints(truth, pred)}
	r.NASAScore, r.NASAScaled = nasa(pred)
	if n > 0 {
		r.Coverage, r.MeanWidth = float64(covered)/float64(n), width/float64(n)
	}
	bm, br := maeRMSE(mean, truth)
	bs := BaselineScore{Name: "training mean", MAE: bm, RMSE: br}
	bs.NASAScore, bs.NASAScaled = nasa(mean)
	r.Baselines = append(r.Baselines, bs)
	if lin != nil {
		lm, lr := maeRMSE(linear, truth)
		ls := BaselineScore{Name: "linear (ridge)", MAE: lm, RMSE: lr}
		ls.NASAScore, ls.NASAScaled = nasa(linear)
		r.Baselines = append(r.Baselines, ls)
	}
	return Metrics{Task: RUL, Rows: n, RUL: r}, -rmse, nil
}

// anomalyLabels returns, per row used in d, whether it is anomalous and whether it is
// labelled at all (a row is normal when its target equals Normal).
func (p *post) anomalyLabels(d *data) (pos, known []bool) {
	pos, known = make([]bool, len(d.idx)), make([]bool, len(d.idx))
	var col *datasets.Column
	if p.Target != "" {
		col = d.t.Column(p.Target)
	}
	for i := range d.idx {
		if col == nil {
			known[i] = p.Target == "" // unlabelled data: all rows count as normal
			continue
		}
		r := d.tableRow(i)
		if col.IsNull(r) {
			continue
		}
		known[i] = true
		pos[i] = col.Text(r) != p.Normal
	}
	return pos, known
}

func (p *post) evalAnomaly(d *data, x matrix, out []float32, W int) (Metrics, float64, error) {
	pos, known := p.anomalyLabels(d)
	var score []float64
	var lab []bool
	for i := range d.idx {
		if known[i] {
			score = append(score, float64(out[i*W]))
			lab = append(lab, pos[i])
		}
	}
	prec, rec, f1, far, np, nn := detection(score, lab, p.Threshold)
	auc := rocAUC(score, lab)
	a := &AnomalyMetrics{Threshold: p.Threshold, TargetFalseAlarmRate: p.FalseAlarm, FalseAlarmRate: far,
		Precision: prec, Recall: rec, F1: f1, ROCAUC: nanToZero(auc), Positives: np, Negatives: nn, Curve: prCurve(score, lab)}
	if p.Baseline != nil {
		bo, err := p.Baseline.eval(x.X, x.N)
		if err != nil {
			return Metrics{}, 0, err
		}
		var bs []float64
		for i := range d.idx {
			if known[i] {
				bs = append(bs, float64(bo[i*(p.Baseline.G+1)]))
			}
		}
		bp, br, _, _, _, _ := detection(bs, lab, p.BaselineThreshold)
		a.Baseline = &BaselineScore{Name: "z-score (RMS over features)", ROCAUC: nanToZero(rocAUC(bs, lab)), Precision: bp, Recall: br}
	}
	return Metrics{Task: Anomaly, Rows: len(score), Anomaly: a}, nanToZero(auc), nil
}

func (p *post) evalForecast(d *data, x matrix, out []float32, pipe *features.Pipeline) (Metrics, float64, error) {
	H, S := p.Horizon, len(p.Sensors)
	W := S * H
	fm := &ForecastMetrics{Horizon: H, IntervalLevel: p.Level}
	var covered, total int
	rows := 0
	type acc struct{ ae, ape, nae, nape []float64 }
	accs := make([]acc, S)
	cnt := make([][]int, S)
	pcnt := make([][]int, S)
	for s := range accs {
		accs[s] = acc{make([]float64, H), make([]float64, H), make([]float64, H), make([]float64, H)}
		cnt[s], pcnt[s] = make([]int, H), make([]int, H)
	}
	scov, scnt := make([]int, S), make([]int, S)
	cols := make([]*datasets.Column, S)
	for s, name := range p.Sensors {
		cols[s] = d.t.Column(name)
	}
	for i, fr := range d.idx {
		seq := d.f.Seqs[d.f.Seq[fr]].Rows
		pos := d.f.Pos[fr]
		if pos+1 >= len(seq) {
			continue
		}
		rows++
		o := out[i*W : (i+1)*W]
		xr := x.row(i)
		for s := 0; s < S; s++ {
			if cols[s] == nil {
				continue
			}
			last := float64(xr[p.SensorFeature[s]])
			for h := 0; h < H && pos+1+h < len(seq); h++ {
				actual, ok := cols[s].Number(seq[pos+1+h])
				if !ok {
					continue
				}
				k := s*H + h
				v := p.forecastValue(k, last, o[k])
				a := &accs[s]
				a.ae[h] += math.Abs(v - actual)
				a.nae[h] += math.Abs(last - actual)
				cnt[s][h]++
				if math.Abs(actual) > 1e-6 {
					a.ape[h] += math.Abs(v-actual) / math.Abs(actual)
					a.nape[h] += math.Abs(last-actual) / math.Abs(actual)
					pcnt[s][h]++
				}
				total++
				scnt[s]++
				if actual >= v+p.FLo[k] && actual <= v+p.FHi[k] {
					covered++
					scov[s]++
				}
			}
		}
	}
	fm.MAPE, fm.NaiveMAPE, fm.RelativeMAE = make([]float64, H), make([]float64, H), make([]float64, H)
	var rel float64
	nrel := 0
	for s, name := range p.Sensors {
		sm := SensorForecastMetrics{Sensor: name, Unit: pipe.Inputs[p.SensorInput[s]].Unit,
			MAE: make([]float64, H), MAPE: make([]float64, H), NaiveMAE: make([]float64, H), NaiveMAPE: make([]float64, H)}
		for h := 0; h < H; h++ {
			if c := cnt[s][h]; c > 0 {
				sm.MAE[h], sm.NaiveMAE[h] = accs[s].ae[h]/float64(c), accs[s].nae[h]/float64(c)
			}
			if c := pcnt[s][h]; c > 0 {
				sm.MAPE[h], sm.NaiveMAPE[h] = 100*accs[s].ape[h]/float64(c), 100*accs[s].nape[h]/float64(c)
			}
			fm.MAPE[h] += sm.MAPE[h] / float64(S)
			fm.NaiveMAPE[h] += sm.NaiveMAPE[h] / float64(S)
			if sm.NaiveMAE[h] > 0 {
				r := sm.MAE[h] / sm.NaiveMAE[h]
				fm.RelativeMAE[h] += r / float64(S)
				rel += r
				nrel++
			}
		}
		fm.Sensors = append(fm.Sensors, sm)
	}
	if total > 0 {
		fm.Coverage = float64(covered) / float64(total)
	}
	score := 0.0
	if nrel > 0 {
		score = -rel / float64(nrel)
	}
	for s := range fm.Sensors {
		if scnt[s] > 0 {
			fm.Sensors[s].Coverage = float64(scov[s]) / float64(scnt[s])
		}
	}
	return Metrics{Task: Forecast, Rows: rows, Forecast: fm}, score, nil
}

// compress returns at most n evenly spaced order statistics of sorted values.
func compress(sorted []float64, n int) []float64 {
	if len(sorted) <= n {
		return slices.Clone(sorted)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = sorted[i*(len(sorted)-1)/(n-1)]
	}
	return out
}
