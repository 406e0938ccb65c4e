package registry

import (
	"context"
	"strconv"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/explain"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/onboard"
)

// ExplainInput runs a machine's active models on its latest readings and maps the predictions
// onto what the explanation composer reads. A machine without models gives nil (the assistant then
// explains from the profile and readings alone).
func (r *Registry) ExplainInput(ctx context.Context, machineID string) (*explain.Input, error) {
	prof, err := r.Workflow.Machines.Profile(ctx, machineID)
	if err != nil {
		return nil, err
	}
	mp, err := r.Predict(ctx, machineID)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindConflict {
			return nil, nil // no models (or no data) yet
		}
		return nil, err
	}
	in := &explain.Input{Profile: prof, RULUnit: "hours", Readings: map[string]float64{}}
	stepHours := 1.0 / 60
	if seed, err := r.Workflow.Table(ctx, machineID, onboard.KindSeed); err == nil {
		if s, err := strconv.ParseFloat(seed.Meta["step_seconds"], 64); err == nil && s > 0 {
			stepHours = s / 3600
		}
	}
	if data, _, err := r.LatestReadings(ctx, machineID); err == nil && data.NumRows() > 0 {
		n := data.NumRows() - 1
		for _, s := range prof.Sensors {
			if c := data.Column(s.Name); c != nil {
				if v, ok := c.Number(n); ok {
					in.Readings[s.Name] = v
				}
			}
		}
	}
	for _, tp := range mp.Tasks {
		p := tp.Prediction
		if p == nil {
			continue
		}
		switch tp.Task {
		case ml.Classification:
			if f, ok := toFloat(p.Prediction); ok {
				st := int(f)
				in.HealthState = &st
			}
			in.Confidence = p.Confidence
			if len(p.Probabilities) == 4 {
				in.Probabilities = make([]float64, 4)
				for k := 0; k < 4; k++ {
					in.Probabilities[k] = p.Probabilities[strconv.Itoa(k)]
				}
			}
			for _, f := range p.TopFactors {
				v, ok := toFloat(f.Value)
				if !ok {
					continue
				}
				in.TopFactors = append(in.TopFactors, explain.Factor{Sensor: f.Sensor, Unit: f.Unit, Value: v, Contribution: f.Contribution})
			}
		case ml.RUL:
			if f, ok := toFloat(p.Prediction); ok {
				h := f * stepHours
				in.RUL = &h
			}
			if p.Interval != nil {
				lo, hi := p.Interval.Lower*stepHours, p.Interval.Upper*stepHours
				in.RULLow, in.RULHigh = &lo, &hi
			}
		case ml.Anomaly:
			in.AnomalyScore, in.AnomalyThreshold = p.Score, p.Threshold
		case ml.Forecast:
			for _, sf := range p.Forecast {
				for k, v := range sf.Values {
					in.Forecast = append(in.Forecast, explain.ForecastPoint{Sensor: sf.Sensor, HorizonHours: float64(k+1) * stepHours, Value: v})
				}
			}
		}
	}
	return in, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}
