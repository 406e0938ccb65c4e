package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/onboard"
	"pdmstudio/backend/store"
)

// Floats is a series of numbers in which NaN stands for a missing value; it is written to JSON
// with null in those places.
type Floats []float64

// MarshalJSON writes NaN and ±Inf as null.
func (f Floats) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(f)*8)
	b = append(b, '[')
	for i, v := range f {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads null as NaN.
func (f *Floats) UnmarshalJSON(data []byte) error {
	var raw []*float64
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := make(Floats, len(raw))
	for i, v := range raw {
		out[i] = math.NaN()
		if v != nil {
			out[i] = *v
		}
	}
	*f = out
	return nil
}

func nans(n int) Floats {
	out := make(Floats, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// TimelineSensor is one sensor's readings over the timeline's rows, in its unit.
type TimelineSensor struct {
	Name   string `json:"name"`
	Unit   string `json:"unit,omitempty"`
	Values Floats `json:"values"`
}

// StateTimeline is the health state the classification model predicts at each row.
type StateTimeline struct {
	Version string   `json:"version"`
	Classes []string `json:"classes"`
	// Predicted is the predicted class of each row ("" where there is no prediction) and
	// Confidence its calibrated probability.
	Predicted  []string `json:"predicted"`
	Confidence Floats   `json:"confidence"`
	// Actual is the labelled class of each row when the readings carry the label ("" unknown).
	Actual []string `json:"actual,omitempty"`
}

// RULTimeline is the remaining useful life the RUL model predicts at each row, with its
// interval, in the target's unit.
type RULTimeline struct {
	Version string  `json:"version"`
	Values  Floats  `json:"values"`
	Lower   Floats  `json:"lower"`
	Upper   Floats  `json:"upper"`
	Level   float64 `json:"level"`
	// Actual is the true RUL of each row when the readings carry it.
	Actual Floats `json:"actual,omitempty"`
}

// AnomalyTimeline is the anomaly score at each row and the model's threshold.
type AnomalyTimeline struct {
	Version   string  `json:"version"`
	Scores    Floats  `json:"scores"`
	Threshold float64 `json:"threshold"`
}

// ForecastTimeline is the forecast made at the last row: the next steps of each key sensor.
type ForecastTimeline struct {
	Version string              `json:"version"`
	Sensors []ml.SensorForecast `json:"sensors"`
}

// Timeline is a machine's recent history as its active models see it: for each row of the
// readings the models predict from (LatestReadings), the sensor values and what each active model
// predicts at that row; and the forecast from the last row. Nothing is logged.
type Timeline struct {
	MachineID string `json:"machine_id"`
	Source    string `json:"source"`
	// Time is the order column's value at each row (RFC 3339 for timestamps), or the row number
	// when the readings have no order column.
	Time     []any             `json:"time"`
	Sensors  []TimelineSensor  `json:"sensors"`
	State    *StateTimeline    `json:"state,omitempty"`
	RUL      *RULTimeline      `json:"rul,omitempty"`
	Anomaly  *AnomalyTimeline  `json:"anomaly,omitempty"`
	Forecast *ForecastTimeline `json:"forecast,omitempty"`
	// StepSeconds is the time between two rows of the machine's data (RUL counts rows), 0 when
	// unknown.
	StepSeconds float64 `json:"step_seconds"`
	// Errors says, per task, why its model gave no timeline.
	Errors map[string]string `json:"errors,omitempty"`
}

// Timeline runs a machine's active models over every row of its latest readings. A machine with
// no active model gets the readings alone; one with no data at all a conflict error.
func (r *Registry) Timeline(ctx context.Context, machineID string) (*Timeline, error) {
	versions, err := r.Versions(ctx, machineID)
	if err != nil {
		return nil, err
	}
	prof, err := r.Workflow.Machines.Profile(ctx, machineID)
	if err != nil {
		return nil, err
	}
	data, source, err := r.LatestReadings(ctx, machineID)
	if err != nil {
		return nil, err
	}
	n := data.NumRows()
	tl := &Timeline{MachineID: machineID, Source: source, Time: make([]any, n), Sensors: []TimelineSensor{}}
	for i := range tl.Time {
		tl.Time[i] = i
	}
	tl.StepSeconds = stepSeconds(data)
	if tl.StepSeconds == 0 {
		if seed, err := r.Workflow.Table(ctx, machineID, onboard.KindSeed); err == nil {
			tl.StepSeconds = stepSeconds(seed)
		}
	}
	for _, s := range prof.Sensors {
		c := data.Column(s.Name)
		if c == nil || !c.Type.Numeric() {
			continue
		}
		ts := TimelineSensor{Name: s.Name, Unit: s.Unit, Values: nans(n)}
		for i := 0; i < n; i++ {
			if v, ok := c.Number(i); ok {
				ts.Values[i] = v
			}
		}
		tl.Sensors = append(tl.Sensors, ts)
	}
	timeSet := false
	for _, task := range ml.Tasks {
		idx := slices.IndexFunc(versions, func(v store.ModelVersion) bool { return v.IsActive && v.ModelType == string(task) })
		if idx < 0 {
			continue
		}
		v := versions[idx]
		m, err := r.model(v)
		if err == nil && !timeSet {
			if oc := data.Column(m.Manifest().Order); oc != nil {
				for i := 0; i < n; i++ {
					tl.Time[i] = oc.Value(i)
				}
				timeSet = true
			}
		}
		if err == nil {
			err = r.timelineTask(tl, task, v, m, data)
		}
		if err != nil {
			if tl.Errors == nil {
				tl.Errors = map[string]string{}
			}
			tl.Errors[string(task)] = err.Error()
		}
	}
	tl.dropLead(ml.BaseRowsOf(data))
	return tl, nil
}

// dropLead removes the first k rows from every per-row series: the episode's first readings
// that LatestReadings puts ahead of the recent ones for models that read the asset's own
// baseline. The models see them; the timeline shows the recent rows only.
func (tl *Timeline) dropLead(k int) {
	if k <= 0 || k > len(tl.Time) {
		return
	}
	tl.Time = tl.Time[k:]
	for i := range tl.Sensors {
		tl.Sensors[i].Values = tl.Sensors[i].Values[k:]
	}
	if st := tl.State; st != nil {
		st.Predicted, st.Confidence = st.Predicted[k:], st.Confidence[k:]
		if st.Actual != nil {
			st.Actual = st.Actual[k:]
		}
	}
	if rt := tl.RUL; rt != nil {
		rt.Values, rt.Lower, rt.Upper = rt.Values[k:], rt.Lower[k:], rt.Upper[k:]
		if rt.Actual != nil {
			rt.Actual = rt.Actual[k:]
		}
	}
	if at := tl.Anomaly; at != nil {
		at.Scores = at.Scores[k:]
	}
}

func (r *Registry) timelineTask(tl *Timeline, task ml.Task, v store.ModelVersion, m *ml.Model, data *datasets.Table) error {
	n := data.NumRows()
	opts := ml.PredictOptions{TopFactors: -1}
	if task == ml.Forecast {
		opts.Last = true
	}
	ps, err := m.Predict(data, opts)
	if err != nil {
		return err
	}
	man := m.Manifest()
	target := data.Column(man.Target)
	switch task {
	case ml.Classification:
		st := &StateTimeline{Version: v.Version, Classes: man.Classes, Predicted: make([]string, n), Confidence: nans(n)}
		for _, p := range ps {
			if p.Row < 0 || p.Row >= n || p.Prediction == nil {
				continue
			}
			st.Predicted[p.Row] = fmt.Sprint(p.Prediction)
			if p.Confidence != nil {
				st.Confidence[p.Row] = *p.Confidence
			}
		}
		if target != nil {
			st.Actual = make([]string, n)
			for i := range st.Actual {
				st.Actual[i] = target.Text(i)
			}
		}
		tl.State = st
	case ml.RUL:
		rt := &RULTimeline{Version: v.Version, Values: nans(n), Lower: nans(n), Upper: nans(n)}
		for _, p := range ps {
			f, ok := p.Prediction.(float64)
			if p.Row < 0 || p.Row >= n || !ok {
				continue
			}
			rt.Values[p.Row] = f
			if p.Interval != nil {
				rt.Lower[p.Row], rt.Upper[p.Row], rt.Level = p.Interval.Lower, p.Interval.Upper, p.Interval.Level
			}
		}
		if target != nil {
			rt.Actual = nans(n)
			for i := range rt.Actual {
				if f, ok := target.Number(i); ok {
					rt.Actual[i] = f
				}
			}
		}
		tl.RUL = rt
	case ml.Anomaly:
		at := &AnomalyTimeline{Version: v.Version, Scores: nans(n)}
		for _, p := range ps {
			if p.Row < 0 || p.Row >= n || p.Score == nil {
				continue
			}
			at.Scores[p.Row] = *p.Score
			if p.Threshold != nil {
				at.Threshold = *p.Threshold
			}
		}
		tl.Anomaly = at
	case ml.Forecast:
		if len(ps) == 0 {
			return apperr.Conflictf("the forecast model made no forecast from these readings")
		}
		tl.Forecast = &ForecastTimeline{Version: v.Version, Sensors: ps[len(ps)-1].Forecast}
	}
	return nil
}

// stepSeconds is the step_seconds metadata of a machine's data set (0 when absent).
func stepSeconds(t *datasets.Table) float64 {
	if s, err := strconv.ParseFloat(t.Meta["step_seconds"], 64); err == nil && s > 0 {
		return s
	}
	return 0
}
