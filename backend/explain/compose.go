package explain

import (
	"fmt"
	"strings"

	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/profiles"
)

// maxRiskFactors and maxRecommendations bound the structured explanation.
const (
	maxRiskFactors     = 8
	maxRecommendations = 6
)

// generalDoc is the id of the general condition-monitoring document.
const generalDoc = "condition-monitoring"

// Compose writes the explanation from the facts alone — no language model — and labels it
// [GeneratorStructured]: which sensors are outside their normal range or beyond warning and
// trip limits and in which direction, the profile's failure modes whose signature matches,
// the manual's confirmation step and the profile's maintenance actions for the likeliest one,
// and the manual sections used. ix nil uses [knowledge.Default].
func Compose(in Input, ix *knowledge.Index) Explanation {
	if ix == nil {
		ix = knowledge.Default()
	}
	a := Analyze(in)
	p := in.Profile
	name := machineName(p)
	e := Explanation{MachineID: p.MachineID, Generator: GeneratorStructured, RiskFactors: []string{}, Recommendations: []Recommendation{}, Sources: []knowledge.Source{}}
	if !HasData(in) {
		e.Summary = capitalize(name) + ": no prediction and no readings are available yet, so there is nothing to explain."
		e.Recommendations = append(e.Recommendations, Recommendation{Action: "Train the machine's models and run a prediction (or import recent readings)",
			Priority: "low", Rationale: "An explanation needs a health state, a remaining useful life, an anomaly score, a forecast or sensor readings."})
		return e
	}

	var abnormal, critical []Finding
	for _, f := range a.Findings {
		if f.Severity > SeverityInRange {
			abnormal = append(abnormal, f)
		}
		if f.Severity == SeverityTrip {
			critical = append(critical, f)
		}
	}
	state := -1
	if in.HealthState != nil {
		state = *in.HealthState
	}
	rulShort := in.RUL != nil && rulUnit(in) == "hours" && lowEnd(in) < 168
	escalate := state >= 2 || rulShort
	for _, f := range abnormal {
		escalate = escalate || f.Severity >= SeverityWarning
	}
	isCritical := state == 3 || len(critical) > 0

	// Risk factors: the findings, most severe first, then forecasts and the prediction.
	for _, f := range a.Findings {
		e.RiskFactors = append(e.RiskFactors, f.Text)
	}
	e.RiskFactors = append(e.RiskFactors, forecastRisks(in)...)
	if anomalous(in) {
		e.RiskFactors = append(e.RiskFactors, fmt.Sprintf("anomaly score %s is above its threshold %s: the recent readings are unusual for this machine",
			num(*in.AnomalyScore), num(*in.AnomalyThreshold)))
	}
	if in.RUL != nil && (rulShort || state >= 1) {
		e.RiskFactors = append(e.RiskFactors, predictionFacts(Input{RUL: in.RUL, RULLow: in.RULLow, RULHigh: in.RULHigh, RULUnit: in.RULUnit})...)
	}
	if len(e.RiskFactors) > maxRiskFactors {
		e.RiskFactors = e.RiskFactors[:maxRiskFactors]
	}

	// Summary.
	var sum []string
	if facts := predictionFacts(in); len(facts) > 0 {
		sum = append(sum, capitalize(name+": "+strings.Join(facts, "; ")+"."))
	}
	var top, alt *Cause
	if len(a.Causes) > 0 {
		top = &a.Causes[0]
		e.LikelyCauses = append(e.LikelyCauses, top.FailureMode)
		if len(a.Causes) > 1 && a.Causes[1].Score >= 0.6*top.Score {
			alt = &a.Causes[1]
			e.LikelyCauses = append(e.LikelyCauses, alt.FailureMode)
		}
	}
	switch {
	case top != nil:
		var ev []string
		for _, s := range top.Matched {
			for _, f := range a.Findings {
				if f.Sensor == s {
					ev = append(ev, f.Sensor+" "+directionWord(f))
				}
			}
		}
		s := fmt.Sprintf("The readings match %s (%s): %s.", humanMode(top.FailureMode), top.FailureMode, strings.Join(ev, ", "))
		if d := firstSentence(top.mode.Description); d != "" {
			s += " " + d
		}
		sum = append(sum, s)
		if alt != nil {
			sum = append(sum, fmt.Sprintf("%s (%s) fits part of the signature and is the alternative to rule out.", capitalize(humanMode(alt.FailureMode)), alt.FailureMode))
		}
	case len(abnormal) > 0:
		var names []string
		for _, f := range abnormal {
			names = append(names, f.Sensor)
		}
		sum = append(sum, fmt.Sprintf("%s outside the normal range (%s) but the pattern matches none of the profile's failure modes: check the sensors and the operating conditions.",
			plural(len(abnormal), "One reading is", "Readings are"), strings.Join(names, ", ")))
	case anomalous(in):
		sum = append(sum, "The anomaly score is above its threshold although no reported reading is outside its normal range: review the recent trends of the top contributing sensors.")
	default:
		sum = append(sum, "All reported readings are within their normal ranges; no failure mode is indicated.")
	}
	if len(sum) == 1 && !strings.HasPrefix(sum[0], capitalize(name)) {
		sum[0] = capitalize(name) + ": " + lowerFirst(sum[0])
	}
	e.Summary = strings.Join(sum, " ")

	// Recommendations.
	add := func(r Recommendation) {
		for _, x := range e.Recommendations {
			if similar(x.Action, r.Action) {
				return
			}
		}
		if len(e.Recommendations) < maxRecommendations {
			e.Recommendations = append(e.Recommendations, r)
		}
	}
	if isCritical {
		why := "health state 3 (Critical)"
		if len(critical) > 0 {
			why = critical[0].Text
		}
		add(Recommendation{Action: "Reduce the load or stop the machine at the next safe opportunity, and lock it out before any inspection",
			Priority: "high", Rationale: capitalize(why) + "."})
	}
	if top != nil {
		evidence := humanMode(top.FailureMode) + " indicated by " + strings.Join(top.Matched, ", ")
		if c, ok := ix.FailureMode(p.MachineType, top.FailureMode); ok {
			e.Sources = addSource(e.Sources, c.Source())
			if confirm := firstSentence(c.Paragraph("Confirm.")); confirm != "" {
				prio := "medium"
				if escalate {
					prio = "high"
				}
				add(Recommendation{Action: confirm, Priority: prio,
					Rationale: "Confirm the diagnosis (" + evidence + ") before the repair; see " + c.Source().String() + "."})
			}
		}
		for _, act := range top.mode.Actions {
			r := Recommendation{Action: act.Description, Priority: priority(act.Urgency, escalate, isCritical),
				Rationale: capitalize(evidence) + "; the profile rates this action " + act.Urgency}
			if act.DowntimeHours > 0 {
				r.Rationale += fmt.Sprintf(" (about %s h downtime)", num(act.DowntimeHours))
			}
			r.Rationale += "."
			add(r)
		}
	}
	if alt != nil {
		if c, ok := ix.FailureMode(p.MachineType, alt.FailureMode); ok {
			e.Sources = addSource(e.Sources, c.Source())
			if confirm := firstSentence(c.Paragraph("Confirm.")); confirm != "" {
				add(Recommendation{Action: confirm, Priority: "low",
					Rationale: fmt.Sprintf("Rules out %s, which also fits %s.", humanMode(alt.FailureMode), strings.Join(alt.Matched, ", "))})
			}
		}
	}
	explained := map[string]bool{}
	if top != nil {
		for _, s := range top.Matched {
			explained[s] = true
		}
	}
	for _, f := range abnormal {
		if !explained[f.Sensor] {
			add(Recommendation{Action: "Check the " + f.Sensor + " measurement (sensor, wiring, operating conditions) and its recent trend",
				Priority: "medium", Rationale: capitalize(f.Text) + ", and no failure mode of the profile explains it."})
		}
	}
	if len(e.Recommendations) == 0 {
		add(Recommendation{Action: "Continue routine monitoring and the planned inspections", Priority: "low",
			Rationale: "No reading is outside its normal range and no failure mode is indicated."})
	}

	// Sources: the sensor sections behind the findings and the general guidance used.
	for i, f := range a.Findings {
		if i >= 2 {
			break
		}
		if c, ok := sensorSection(ix, p.MachineType, f.Sensor); ok {
			e.Sources = addSource(e.Sources, c.Source())
		}
	}
	general := func(section string) {
		if c, ok := ix.Section(generalDoc, section); ok {
			e.Sources = addSource(e.Sources, c.Source())
		}
	}
	if in.HealthState != nil {
		general("Health states")
	}
	if in.RUL != nil {
		general("Remaining useful life")
	}
	if in.AnomalyScore != nil {
		general("Anomaly score")
	}
	for _, f := range abnormal {
		if s, ok := p.Sensor(f.Sensor); ok && s.ISO10816Class != "" {
			general("ISO 10816 and ISO 20816 vibration zones")
			break
		}
	}
	return e
}

// HasData reports whether in holds any prediction or reading to explain.
func HasData(in Input) bool {
	return in.HealthState != nil || in.RUL != nil || in.AnomalyScore != nil || len(in.Probabilities) > 0 ||
		len(in.TopFactors) > 0 || len(in.Readings) > 0 || len(in.Forecast) > 0
}

// lowEnd is the low end of the RUL interval, or the RUL.
func lowEnd(in Input) float64 {
	if in.RULLow != nil {
		return *in.RULLow
	}
	return *in.RUL
}

// priority maps a profile action's urgency to a recommendation priority, raised when the
// machine's state or readings call for it.
func priority(urgency string, escalate, critical bool) string {
	switch urgency {
	case "immediate":
		return "high"
	case "soon":
		if escalate || critical {
			return "high"
		}
		return "medium"
	}
	if critical || escalate {
		return "medium"
	}
	return "low"
}

// sensorSection finds the manual section on a sensor ("Sensors and limits > … (sensor, …)").
func sensorSection(ix *knowledge.Index, machineType, sensor string) (knowledge.Chunk, bool) {
	doc, ok := ix.Manual(machineType)
	if !ok {
		return knowledge.Chunk{}, false
	}
	for _, c := range ix.Chunks() {
		if c.DocID != doc.ID || !strings.HasPrefix(c.Section, "Sensors and limits"+knowledge.SectionSeparator) {
			continue
		}
		i := strings.LastIndex(c.Heading, "(")
		if i < 0 {
			continue
		}
		for _, s := range strings.Split(strings.Trim(c.Heading[i:], "()"), ",") {
			if strings.TrimSpace(s) == sensor {
				return c, true
			}
		}
	}
	return knowledge.Chunk{}, false
}

func directionWord(f Finding) string {
	switch {
	case f.Severity == SeverityInRange && f.Direction > 0:
		return "high in its normal range"
	case f.Severity == SeverityInRange:
		return "low in its normal range"
	case f.Direction > 0:
		return "up (" + severityWords[f.Severity] + ")"
	}
	return "down (" + severityWords[f.Severity] + ")"
}

// firstSentence returns text up to and including its first full stop followed by a space or
// the end, with Markdown emphasis removed.
func firstSentence(text string) string {
	t := strings.Join(strings.Fields(strings.ReplaceAll(text, "**", "")), " ")
	for i := 0; i < len(t); i++ {
		if t[i] == '.' && (i+1 == len(t) || t[i+1] == ' ') && !abbreviation(t[:i]) {
			return t[:i+1]
		}
	}
	return t
}

// abbreviation reports whether text ends with a word that takes a full stop ("e.g", "i.e").
func abbreviation(text string) bool {
	for _, a := range []string{"e.g", "i.e", "approx", "min", "max", "no"} {
		if strings.HasSuffix(strings.ToLower(text), a) {
			return true
		}
	}
	return false
}

// similar reports whether two actions say much the same: at least 70 % of the terms of the
// shorter one occur in the other.
func similar(a, b string) bool {
	ta, tb := map[string]bool{}, map[string]bool{}
	for _, t := range knowledge.Terms(a) {
		ta[t] = true
	}
	for _, t := range knowledge.Terms(b) {
		tb[t] = true
	}
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	inter := 0
	for t := range ta {
		if tb[t] {
			inter++
		}
	}
	return float64(inter)/float64(min(len(ta), len(tb))) >= 0.7
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ProfileSummary describes a machine for a prompt: identity, rated specs, sensors with their
// limits, and failure modes with their signatures.
func ProfileSummary(p profiles.Profile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine %s: %s, %s %s, at %s / %s.", p.MachineID, typeLabel(p.MachineType), p.Manufacturer, p.Model, p.Site, p.Line)
	if p.Name != "" {
		fmt.Fprintf(&b, " Name: %s.", p.Name)
	}
	if p.Description != "" {
		fmt.Fprintf(&b, " %s", p.Description)
	}
	b.WriteString("\nSensors (normal range; warning; trip):")
	for _, s := range p.Sensors {
		u := unitSuffix(s.Unit)
		fmt.Fprintf(&b, "\n- %s: %s–%s%s", s.Name, num(s.NormalMin), num(s.NormalMax), u)
		if s.WarningHigh != nil || s.WarningLow != nil {
			b.WriteString("; warning")
			if s.WarningLow != nil {
				fmt.Fprintf(&b, " below %s", num(*s.WarningLow))
			}
			if s.WarningHigh != nil {
				fmt.Fprintf(&b, " above %s", num(*s.WarningHigh))
			}
		}
		if s.TripHigh != nil || s.TripLow != nil {
			b.WriteString("; trip")
			if s.TripLow != nil {
				fmt.Fprintf(&b, " below %s", num(*s.TripLow))
			}
			if s.TripHigh != nil {
				fmt.Fprintf(&b, " above %s", num(*s.TripHigh))
			}
		}
		if s.Description != "" {
			fmt.Fprintf(&b, " (%s)", s.Description)
		}
	}
	b.WriteString("\nFailure modes (sensors that move: ↑ up, ↓ down):")
	for _, fm := range p.FailureModes {
		var eff []string
		for _, e := range fm.Effects {
			arrow := "↑"
			if e.Direction < 0 {
				arrow = "↓"
			}
			eff = append(eff, e.Sensor+arrow)
		}
		fmt.Fprintf(&b, "\n- %s: %s", fm.Name, strings.Join(eff, ", "))
	}
	return b.String()
}

func typeLabel(t string) string {
	for _, ti := range profiles.Types() {
		if ti.Type == t {
			return strings.ToLower(ti.Label)
		}
	}
	return t
}
