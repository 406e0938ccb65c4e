// Package explain turns a machine's latest prediction into an explanation an engineer can act
// on: a summary, the risk factors, prioritised recommendations, and the manual sections they
// rest on.
//
// The facts come first and are the same with or without a language model: [Analyze] compares
// each reported reading with its sensor's normal range and alarm limits, and matches the
// deviations (sensor and direction) against the failure modes of the machine's profile. With
// no model, [Compose] writes the explanation from those facts, the profile's maintenance
// actions and the manuals' "Confirm." steps, labelled [GeneratorStructured]. With a model
// ([Options.Engine]), [Explain] puts the same facts and the retrieved manual passages in a
// prompt and generates the explanation under a JSON grammar, so the answer always parses;
// the sources are attached from retrieval, never taken from the model.
package explain

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// GeneratorStructured labels explanations composed without a language model.
const GeneratorStructured = "structured (no language model loaded)"

// HealthLabels name the health states 0 to 3.
var HealthLabels = []string{"Healthy", "Degrading", "Warning", "Critical"}

// Factor is one sensor's contribution to the prediction, as the ML attributions give it.
// Limits left nil are taken from the profile's sensor of the same name.
type Factor struct {
	Sensor string `json:"sensor"`
	Unit   string `json:"unit,omitempty"`
	// Value is the sensor's latest reading (or the window's value the model used), in Unit.
	Value float64 `json:"value"`
	// Contribution is the attribution's weight; larger magnitude = more influence. The
	// sign is ignored for ranking; the direction comes from the value against the limits.
	Contribution float64  `json:"contribution"`
	NormalMin    *float64 `json:"normal_min,omitempty"`
	NormalMax    *float64 `json:"normal_max,omitempty"`
	WarningLow   *float64 `json:"warning_low,omitempty"`
	WarningHigh  *float64 `json:"warning_high,omitempty"`
	TripLow      *float64 `json:"trip_low,omitempty"`
	TripHigh     *float64 `json:"trip_high,omitempty"`
}

// ForecastPoint is a sensor's predicted value some hours ahead.
type ForecastPoint struct {
	Sensor       string  `json:"sensor"`
	HorizonHours float64 `json:"horizon_hours"`
	Value        float64 `json:"value"`
}

// Input is what is known about a machine. Every prediction field is optional (nil/empty =
// not available); the ML package fills what its models produce.
type Input struct {
	// Profile is the machine's profile (required): sensors with limits, failure modes, actions.
	Profile profiles.Profile `json:"profile"`
	// PredictionID links the stored explanation to a predictions row ("" = none).
	PredictionID string `json:"prediction_id,omitempty"`
	// HealthState is 0 Healthy, 1 Degrading, 2 Warning, 3 Critical.
	HealthState *int `json:"health_state,omitempty"`
	// Probabilities are the classifier's probabilities of states 0 to 3.
	Probabilities []float64 `json:"probabilities,omitempty"`
	// Confidence is the classifier's confidence in HealthState, 0 to 1.
	Confidence *float64 `json:"confidence,omitempty"`
	// RUL is the remaining useful life in RULUnit, with an optional interval.
	RUL     *float64 `json:"rul,omitempty"`
	RULLow  *float64 `json:"rul_low,omitempty"`
	RULHigh *float64 `json:"rul_high,omitempty"`
	// RULUnit is the unit of RUL ["hours"].
	RULUnit string `json:"rul_unit,omitempty"`
	// AnomalyScore is above AnomalyThreshold when the recent readings are unusual.
	AnomalyScore     *float64 `json:"anomaly_score,omitempty"`
	AnomalyThreshold *float64 `json:"anomaly_threshold,omitempty"`
	// Forecast holds predicted sensor values.
	Forecast []ForecastPoint `json:"forecast,omitempty"`
	// TopFactors are the sensors that drove the prediction, most influential first.
	TopFactors []Factor `json:"top_factors,omitempty"`
	// Readings are the latest values of any sensors, by sensor name.
	Readings map[string]float64 `json:"readings,omitempty"`
}

// Validate names every field that is out of range.
func (in Input) Validate() error {
	var fields []apperr.FieldError
	bad := func(f, format string, args ...any) {
		fields = append(fields, apperr.FieldError{Field: f, Message: fmt.Sprintf(format, args...)})
	}
	if in.Profile.MachineID == "" {
		bad("profile.machine_id", "the machine's profile is required")
	}
	if in.HealthState != nil && (*in.HealthState < 0 || *in.HealthState > 3) {
		bad("health_state", "must be 0 to 3, got %d", *in.HealthState)
	}
	if n := len(in.Probabilities); n != 0 && n != 4 {
		bad("probabilities", "must hold 4 values (states 0 to 3), got %d", n)
	}
	for i, p := range in.Probabilities {
		if !(p >= 0 && p <= 1) {
			bad(fmt.Sprintf("probabilities[%d]", i), "must be 0 to 1, got %g", p)
		}
	}
	if in.Confidence != nil && !(*in.Confidence >= 0 && *in.Confidence <= 1) {
		bad("confidence", "must be 0 to 1, got %g", *in.Confidence)
	}
	for i, f := range in.TopFactors {
		if f.Sensor == "" || !finite(f.Value) {
			bad(fmt.Sprintf("top_factors[%d]", i), "needs a sensor name and a finite value")
		}
	}
	for name, v := range in.Readings {
		if !finite(v) {
			bad("readings."+name, "must be a finite number")
		}
	}
	if len(fields) > 0 {
		return apperr.BadInput("invalid explanation input", fields...)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Recommendation is one action.
type Recommendation struct {
	Action string `json:"action"`
	// Priority is "high", "medium" or "low".
	Priority  string `json:"priority"`
	Rationale string `json:"rationale"`
}

// Explanation is the result, in the JSON the CLI and the UI show.
type Explanation struct {
	// ID is the explanations row id once stored ([Save]).
	ID        string `json:"id,omitempty"`
	MachineID string `json:"machine_id"`
	Summary   string `json:"summary"`
	// RiskFactors are short statements of what is wrong, most severe first.
	RiskFactors     []string         `json:"risk_factors"`
	Recommendations []Recommendation `json:"recommendations"`
	// Sources are the manual sections the explanation rests on.
	Sources []knowledge.Source `json:"sources"`
	// Generator says what wrote it: "language model <name> (<file>)" or [GeneratorStructured].
	Generator string `json:"generator"`
	// LikelyCauses are the profile's failure modes the readings match, most likely first.
	LikelyCauses []string `json:"likely_causes,omitempty"`
}

// Severity of a finding, lowest to highest.
const (
	SeverityInRange = iota // within the normal range (a top factor)
	SeverityOutside        // outside the normal range
	SeverityWarning        // at or beyond a warning limit
	SeverityTrip           // at or beyond a trip limit
)

var severityWords = []string{"within its normal range", "outside its normal range", "beyond its warning limit", "beyond its trip limit"}

// Finding is one sensor's reading judged against its limits.
type Finding struct {
	Sensor string  `json:"sensor"`
	Unit   string  `json:"unit"`
	Value  float64 `json:"value"`
	// Direction is +1 above the normal range (or, within it, in its upper half), -1 below.
	Direction int `json:"direction"`
	Severity  int `json:"severity"`
	// Contribution is the factor's attribution (0 when the sensor is only a reading).
	Contribution float64 `json:"contribution"`
	TopFactor    bool    `json:"top_factor"`
	// Text states the finding, e.g. "vibration_de 4.8 mm/s is beyond its warning limit
	// (3.5 mm/s; normal 0.34–2.24 mm/s, trip 7.1 mm/s)".
	Text   string `json:"text"`
	limits Factor
}

// Cause is a failure mode of the profile matched against the findings.
type Cause struct {
	FailureMode string `json:"failure_mode"`
	// Score is the magnitude-weighted agreement of the failure mode's signature with the
	// findings (higher = more likely; ≤ 0 = not supported).
	Score float64 `json:"score"`
	// Matched are the sensors that moved the way the failure mode predicts.
	Matched []string `json:"matched"`
	mode    profiles.FailureMode
}

// Analysis is the fact base of an explanation.
type Analysis struct {
	// Findings are the top factors and any other reading outside its normal range, most
	// severe first.
	Findings []Finding `json:"findings"`
	// Causes are the failure modes with a positive score, most likely first.
	Causes []Cause `json:"causes"`
}

// Analyze judges the readings and matches failure modes. See the package comment.
func Analyze(in Input) Analysis {
	var a Analysis
	seen := map[string]bool{}
	add := func(f Factor, top bool) {
		if seen[f.Sensor] {
			return
		}
		seen[f.Sensor] = true
		f = withProfileLimits(in.Profile, f)
		fd := judge(f)
		fd.TopFactor = top
		if s, ok := in.Profile.Sensor(f.Sensor); ok && s.ISO10816Class != "" && f.Unit == "mm/s" {
			if z, ok := profiles.ISO10816Zones(s.ISO10816Class); ok {
				fd.Text += fmt.Sprintf("; ISO 10816 class %s zone %s", s.ISO10816Class, isoZone(f.Value, z))
			}
		}
		if top || fd.Severity > SeverityInRange {
			a.Findings = append(a.Findings, fd)
		}
	}
	for _, f := range in.TopFactors {
		add(f, true)
	}
	names := make([]string, 0, len(in.Readings))
	for n := range in.Readings {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		add(Factor{Sensor: n, Value: in.Readings[n]}, false)
	}
	sort.SliceStable(a.Findings, func(i, j int) bool {
		fi, fj := a.Findings[i], a.Findings[j]
		if fi.Severity != fj.Severity {
			return fi.Severity > fj.Severity
		}
		return math.Abs(fi.Contribution) > math.Abs(fj.Contribution)
	})

	byName := map[string]Finding{}
	for _, f := range a.Findings {
		byName[f.Sensor] = f
	}
	known := func(sensor string) bool {
		_, inReadings := in.Readings[sensor]
		return inReadings
	}
	for _, fm := range in.Profile.FailureModes {
		c := Cause{FailureMode: fm.Name, mode: fm}
		total := 0.0
		for _, e := range fm.Effects {
			total += e.Magnitude
			f, ok := byName[e.Sensor]
			switch {
			case ok && f.Direction == e.Direction:
				c.Score += e.Magnitude * evidence(f)
				c.Matched = append(c.Matched, e.Sensor)
			case ok && f.Direction == -e.Direction:
				c.Score -= 0.5 * e.Magnitude * evidence(f)
			case !ok && known(e.Sensor) && e.Magnitude >= 0.3:
				c.Score -= 0.25 * e.Magnitude // expected to move, but normal
			}
		}
		if total > 0 {
			c.Score /= total
		}
		if c.Score > 0 && len(c.Matched) > 0 {
			a.Causes = append(a.Causes, c)
		}
	}
	sort.SliceStable(a.Causes, func(i, j int) bool { return a.Causes[i].Score > a.Causes[j].Score })
	return a
}

// isoZone is the ISO 10816 zone (A to D) of a vibration velocity.
func isoZone(v float64, z profiles.Zones) string {
	switch {
	case v < z.AB:
		return "A"
	case v < z.BC:
		return "B"
	case v < z.CD:
		return "C"
	}
	return "D"
}

// evidence weighs a finding: a trip counts 3, a warning 2, outside normal 1, a top factor in
// range 0.5.
func evidence(f Finding) float64 {
	switch f.Severity {
	case SeverityTrip:
		return 3
	case SeverityWarning:
		return 2
	case SeverityOutside:
		return 1
	}
	if f.TopFactor {
		return 0.5
	}
	return 0
}

// withProfileLimits fills f's missing unit and limits from the profile's sensor.
func withProfileLimits(p profiles.Profile, f Factor) Factor {
	s, ok := p.Sensor(f.Sensor)
	if !ok {
		return f
	}
	if f.Unit == "" {
		f.Unit = s.Unit
	}
	fill := func(dst **float64, v *float64) {
		if *dst == nil && v != nil {
			x := *v
			*dst = &x
		}
	}
	fill(&f.NormalMin, &s.NormalMin)
	fill(&f.NormalMax, &s.NormalMax)
	fill(&f.WarningLow, s.WarningLow)
	fill(&f.WarningHigh, s.WarningHigh)
	fill(&f.TripLow, s.TripLow)
	fill(&f.TripHigh, s.TripHigh)
	return f
}

// judge classifies a reading against its limits.
func judge(f Factor) Finding {
	fd := Finding{Sensor: f.Sensor, Unit: f.Unit, Value: f.Value, Contribution: f.Contribution, limits: f}
	v := f.Value
	ge := func(l *float64) bool { return l != nil && v >= *l }
	le := func(l *float64) bool { return l != nil && v <= *l }
	switch {
	case ge(f.TripHigh):
		fd.Severity, fd.Direction = SeverityTrip, 1
	case le(f.TripLow):
		fd.Severity, fd.Direction = SeverityTrip, -1
	case ge(f.WarningHigh):
		fd.Severity, fd.Direction = SeverityWarning, 1
	case le(f.WarningLow):
		fd.Severity, fd.Direction = SeverityWarning, -1
	case f.NormalMax != nil && v > *f.NormalMax:
		fd.Severity, fd.Direction = SeverityOutside, 1
	case f.NormalMin != nil && v < *f.NormalMin:
		fd.Severity, fd.Direction = SeverityOutside, -1
	case f.NormalMin != nil && f.NormalMax != nil:
		if v >= (*f.NormalMin+*f.NormalMax)/2 {
			fd.Direction = 1
		} else {
			fd.Direction = -1
		}
	}
	fd.Text = describe(fd)
	return fd
}

// describe states a finding with the limits that matter.
func describe(f Finding) string {
	l := f.limits
	u := unitSuffix(f.Unit)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s%s is %s", f.Sensor, num(f.Value), u, severityWords[f.Severity])
	var parts []string
	switch f.Severity {
	case SeverityTrip:
		lim := l.TripHigh
		if f.Direction < 0 {
			lim = l.TripLow
		}
		parts = append(parts, "trip "+num(*lim)+u)
	case SeverityWarning:
		lim, trip := l.WarningHigh, l.TripHigh
		if f.Direction < 0 {
			lim, trip = l.WarningLow, l.TripLow
		}
		parts = append(parts, "warning "+num(*lim)+u)
		if trip != nil {
			parts = append(parts, "trip "+num(*trip)+u)
		}
	}
	if l.NormalMin != nil && l.NormalMax != nil {
		parts = append(parts, "normal "+num(*l.NormalMin)+"–"+num(*l.NormalMax)+u)
	}
	if f.Severity == SeverityOutside {
		if f.Direction > 0 && l.WarningHigh != nil {
			parts = append(parts, "warning at "+num(*l.WarningHigh)+u)
		}
		if f.Direction < 0 && l.WarningLow != nil {
			parts = append(parts, "warning at "+num(*l.WarningLow)+u)
		}
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, "; ") + ")")
	}
	if f.Severity == SeverityInRange && f.TopFactor {
		b.WriteString(" but weighs in the prediction")
	}
	return b.String()
}

func unitSuffix(u string) string {
	switch u {
	case "":
		return ""
	case "%":
		return " %"
	}
	return " " + u
}

// num formats a value with three significant digits or so: 4.8213 → "4.82", 1460.3 → "1460".
func num(v float64) string {
	a := math.Abs(v)
	prec := 2
	switch {
	case a >= 100:
		prec = 0
	case a >= 10:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

func pct(v float64) string { return strconv.Itoa(int(math.Round(v*100))) + " %" }

// machineName is the profile's display name with its id.
func machineName(p profiles.Profile) string {
	name := p.Name
	if name == "" {
		name = strings.TrimSpace(p.Manufacturer + " " + p.Model)
	}
	if name == "" {
		return p.MachineID
	}
	return name + " (" + p.MachineID + ")"
}

func humanMode(name string) string { return strings.ReplaceAll(name, "_", " ") }

// predictionFacts states the prediction's fields that are present.
func predictionFacts(in Input) []string {
	var out []string
	if in.HealthState != nil {
		s := fmt.Sprintf("health state %d (%s)", *in.HealthState, HealthLabels[*in.HealthState])
		if in.Confidence != nil {
			s += " with " + pct(*in.Confidence) + " confidence"
		}
		if len(in.Probabilities) == 4 {
			var ps []string
			for i, p := range in.Probabilities {
				ps = append(ps, HealthLabels[i]+" "+pct(p))
			}
			s += " (" + strings.Join(ps, ", ") + ")"
		}
		out = append(out, s)
	}
	if in.RUL != nil {
		s := "remaining useful life about " + num(*in.RUL) + " " + rulUnit(in)
		if in.RULLow != nil && in.RULHigh != nil {
			s += " (interval " + num(*in.RULLow) + "–" + num(*in.RULHigh) + " " + rulUnit(in) + ")"
		}
		out = append(out, s)
	}
	if in.AnomalyScore != nil {
		s := "anomaly score " + num(*in.AnomalyScore)
		if in.AnomalyThreshold != nil {
			if *in.AnomalyScore > *in.AnomalyThreshold {
				s += " above its threshold " + num(*in.AnomalyThreshold)
			} else {
				s += " below its threshold " + num(*in.AnomalyThreshold)
			}
		}
		out = append(out, s)
	}
	return out
}

func rulUnit(in Input) string {
	if in.RULUnit != "" {
		return in.RULUnit
	}
	return "hours"
}

// forecastRisks states forecast points that reach a warning or trip limit.
func forecastRisks(in Input) []string {
	var out []string
	for _, fp := range in.Forecast {
		f := judge(withProfileLimits(in.Profile, Factor{Sensor: fp.Sensor, Value: fp.Value}))
		if f.Severity >= SeverityWarning {
			out = append(out, fmt.Sprintf("forecast: %s reaches %s%s in %s hours, %s", fp.Sensor, num(fp.Value), unitSuffix(f.Unit),
				num(fp.HorizonHours), severityWords[f.Severity]))
		}
	}
	return out
}

// anomalous reports whether the anomaly score is above its threshold.
func anomalous(in Input) bool {
	return in.AnomalyScore != nil && in.AnomalyThreshold != nil && *in.AnomalyScore > *in.AnomalyThreshold
}

// AtRisk reports whether a machine deserves an explanation in a fleet analysis: health state
// 1 or worse, an anomaly above its threshold, a remaining useful life under a week (in
// hours), or a reading beyond a warning limit.
func AtRisk(in Input) bool {
	if in.HealthState != nil && *in.HealthState >= 1 || anomalous(in) {
		return true
	}
	if in.RUL != nil && rulUnit(in) == "hours" && *in.RUL < 168 {
		return true
	}
	for _, f := range Analyze(in).Findings {
		if f.Severity >= SeverityWarning {
			return true
		}
	}
	return false
}

// Save stores e in the explanations table (summary as explanation_text) and returns it with
// its ID.
func Save(ctx context.Context, st *store.Store, e Explanation, predictionID string) (Explanation, error) {
	rec, err := json.Marshal(nonNil(e.Recommendations))
	if err != nil {
		return e, err
	}
	risk, _ := json.Marshal(nonNil(e.RiskFactors))
	src, _ := json.Marshal(nonNil(e.Sources))
	row := store.ExplanationRow{Text: e.Summary, Recommendations: rec, RiskFactors: risk, Sources: src, Generator: e.Generator}
	if e.MachineID != "" {
		row.MachineID = &e.MachineID
	}
	if predictionID != "" {
		row.PredictionID = &predictionID
	}
	row, err = st.SaveExplanation(ctx, row)
	if err != nil {
		return e, err
	}
	e.ID = row.ID
	return e, nil
}

// FromRow turns a stored explanations row back into an Explanation.
func FromRow(r store.ExplanationRow) Explanation {
	e := Explanation{ID: r.ID, Summary: r.Text, Generator: r.Generator}
	if r.MachineID != nil {
		e.MachineID = *r.MachineID
	}
	_ = json.Unmarshal(r.Recommendations, &e.Recommendations)
	_ = json.Unmarshal(r.RiskFactors, &e.RiskFactors)
	_ = json.Unmarshal(r.Sources, &e.Sources)
	e.Recommendations, e.RiskFactors, e.Sources = nonNil(e.Recommendations), nonNil(e.RiskFactors), nonNil(e.Sources)
	return e
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// addSource appends s to srcs unless it is already there.
func addSource(srcs []knowledge.Source, s knowledge.Source) []knowledge.Source {
	if s.Document == "" || slices.Contains(srcs, s) {
		return srcs
	}
	return append(srcs, s)
}
