package profiles

import (
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"pdmstudio/backend/apperr"
)

// ValidateOptions tunes Validate.
type ValidateOptions struct {
	// Exists reports whether a machine id is already taken (e.g. in the store). Nil means no id
	// is taken.
	Exists func(id string) bool
	// EditingID is the id of the machine being edited, if any: the profile may keep that id even
	// though Exists reports it as taken.
	EditingID string
}

// MachineIDPattern is what a machine_id must match; it becomes a path segment.
var MachineIDPattern = regexp.MustCompile(`^[a-z0-9_]{3,100}$`)

// namePattern is what sensor, regime and failure-mode names must match: they become column
// names and identifiers in simulated data and models.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// Limits on counts and text lengths checked by Validate.
const (
	maxRegimes      = 20
	maxFailureModes = 20
	maxActions      = 20
	maxSpecs        = 50
	maxPoints       = 50
	maxShortText    = 200  // names of things, site, line, model…
	maxLongText     = 4000 // descriptions
)

// Validate checks p and returns every problem found, each naming its field path (such as
// "sensors[2].unit" or "failure_modes[0].effects[1].sensor") and what is wrong. It returns nil
// for a valid profile. p should be normalised (Decode and Parse do that; see Normalize): an
// accepted alias such as "degC" is reported here with the canonical symbol to use.
//
// The rules are documented in XLSX-LAYOUT.md ("What is checked").
func Validate(p Profile, opts ValidateOptions) []apperr.FieldError {
	errs := validate(p, opts, nil)
	return errs.result()
}

// Check validates p like Validate and returns nil, or an *apperr.Error of kind bad input that
// carries every field problem. It returns the error interface (never a typed nil pointer).
func Check(p Profile, opts ValidateOptions) error {
	if errs := validate(p, opts, nil); !errs.empty() {
		n := len(errs.list) + errs.dropped
		return apperr.BadInput(fmt.Sprintf("the profile has %s", plural(n, "error")), errs.result()...)
	}
	return nil
}

type validator struct {
	errs        fieldErrors
	sensorNames string // cached list for "unknown sensor" messages
	// bad holds paths that already failed to decode; checks involving them are skipped so one
	// mistake is not reported twice.
	bad map[string]bool
}

func validate(p Profile, opts ValidateOptions, bad map[string]bool) fieldErrors {
	v := &validator{bad: bad}
	v.profile(p, opts)
	return v.errs
}

func (v *validator) fail(path, format string, args ...any) {
	if v.skip(path) {
		return
	}
	v.errs.addf(path, format, args...)
}

// skip reports whether any of the paths (or a parent of one) failed to decode.
func (v *validator) skip(paths ...string) bool {
	if len(v.bad) == 0 {
		return false
	}
	for _, p := range paths {
		for {
			if v.bad[p] {
				return true
			}
			i := strings.LastIndexAny(p, ".[")
			if i <= 0 {
				break
			}
			p = p[:i]
		}
	}
	return false
}

func num(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e15) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// number checks that a value is finite; it returns false (after reporting) when it is not.
func (v *validator) number(path string, f float64) bool {
	if v.skip(path) {
		return false
	}
	if !finite(f) {
		v.fail(path, "must be a finite number, got %v", f)
		return false
	}
	return true
}

// text checks a string field: present when required, valid UTF-8, no control characters
// (newlines and tabs allowed when multiline), at most max characters.
func (v *validator) text(path, s string, required bool, max int, multiline bool) bool {
	if s == "" {
		if required {
			v.fail(path, "is required")
		}
		return !required
	}
	if !utf8.ValidString(s) {
		v.fail(path, "is not valid UTF-8 text")
		return false
	}
	if n := utf8.RuneCountInString(s); n > max {
		v.fail(path, "is %d characters long; at most %d are allowed", n, max)
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			v.fail(path, "contains a control character (%U)", r)
			return false
		}
	}
	if strings.TrimSpace(s) != s {
		v.fail(path, "has leading or trailing spaces")
		return false
	}
	return true
}

// name checks a snake_case identifier.
func (v *validator) name(path, s, what string) bool {
	if !v.text(path, s, true, 64, false) {
		return false
	}
	if !namePattern.MatchString(s) {
		v.fail(path, "%q is not a valid %s name: use lowercase letters a–z, digits and _, starting with a letter (at most 64)", short(s), what)
		return false
	}
	return true
}

func (v *validator) profile(p Profile, opts ValidateOptions) {
	if p.SchemaVersion < 0 || p.SchemaVersion > SchemaVersion {
		if p.SchemaVersion > SchemaVersion {
			v.fail("schema_version", "the file was written by a newer PdM Studio (schema version %d); this version reads up to %d", p.SchemaVersion, SchemaVersion)
		} else {
			v.fail("schema_version", "must be %d (or omitted), got %d", SchemaVersion, p.SchemaVersion)
		}
	}
	v.machineID(p.MachineID, opts)
	if v.text("machine_type", p.MachineType, true, maxShortText, false) {
		if _, ok := findType(p.MachineType); !ok {
			v.fail("machine_type", "unknown machine type %q; use one of: %s", short(p.MachineType), strings.Join(typeNames(), ", "))
		}
	}
	v.text("name", p.Name, false, maxShortText, false)
	v.text("manufacturer", p.Manufacturer, true, maxShortText, false)
	v.text("model", p.Model, true, maxShortText, false)
	v.text("site", p.Site, true, maxShortText, false)
	v.text("line", p.Line, true, maxShortText, false)
	v.text("description", p.Description, false, maxLongText, true)
	v.specs(p.RatedSpecs)

	sensorIdx := v.sensors(p.Sensors)
	v.regimes(p.Regimes)
	v.failureModes(p.FailureModes, sensorIdx)
	if p.VLM != nil {
		v.vlm(*p.VLM)
	}
}

func (v *validator) machineID(id string, opts ValidateOptions) {
	const path = "machine_id"
	if !v.text(path, id, true, 100, false) {
		return
	}
	if !MachineIDPattern.MatchString(id) {
		var why string
		switch {
		case len(id) < 3:
			why = "it must be at least 3 characters long"
		case len(id) > 100:
			why = "it must be at most 100 characters long"
		case strings.ToLower(id) != id && MachineIDPattern.MatchString(strings.ToLower(id)):
			why = fmt.Sprintf("use lowercase letters (%q)", strings.ToLower(id))
		default:
			for _, r := range id {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
					why = fmt.Sprintf("%q is not allowed; use a–z, 0–9 and _", r)
					break
				}
			}
		}
		v.fail(path, "%q is not a valid machine id: %s", short(id), why)
		return
	}
	if opts.Exists != nil && id != opts.EditingID && opts.Exists(id) {
		v.fail(path, "machine id %q is already taken; choose another", id)
	}
}

func (v *validator) specs(specs map[string]float64) {
	if len(specs) > maxSpecs {
		v.fail("rated_specs", "has %d entries; at most %d are allowed", len(specs), maxSpecs)
		return
	}
	for _, k := range sortedKeys(specs) {
		path := joinPath("rated_specs", k)
		if !specKeyPattern.MatchString(k) {
			v.fail(path, "%q is not a valid spec name: use lowercase snake_case ending in the unit, e.g. power_kw", short(k))
			continue
		}
		val := specs[k]
		if !v.number(path, val) {
			continue
		}
		if s, ok := findSpec(k); ok && s.Positive && val <= 0 {
			v.fail(path, "must be greater than 0 (%s in %s), got %s", s.Label, s.Unit, num(val))
		}
	}
}

// sensors checks the sensor list and returns the index of valid-looking sensor names.
func (v *validator) sensors(ss []Sensor) map[string]int {
	idx := map[string]int{}
	switch {
	case len(ss) == 0:
		v.fail("sensors", "at least one sensor is required")
	case len(ss) > MaxSensors:
		v.fail("sensors", "has %d sensors; at most %d are allowed", len(ss), MaxSensors)
	}
	keys := 0
	for i, s := range ss {
		path := indexPath("sensors", i)
		if v.name(path+".name", s.Name, "sensor") {
			if j, dup := idx[s.Name]; dup {
				v.fail(path+".name", "duplicate sensor name %q (also sensors[%d])", s.Name, j)
			} else {
				idx[s.Name] = i
			}
		} else if s.Name != "" {
			idx[s.Name] = i // still resolvable by effects; the name itself is reported
		}
		v.sensor(path, s)
		if s.Key {
			keys++
		}
	}
	if keys > MaxKeySensors {
		v.fail("sensors", "%d sensors are marked key; at most %d can be shown on the dashboard", keys, MaxKeySensors)
	}
	return idx
}

func (v *validator) sensor(path string, s Sensor) {
	v.text(path+".description", s.Description, false, 500, false)
	kindOK := false
	if v.text(path+".kind", s.Kind, true, 64, false) {
		if k, ok := NormalizeKind(s.Kind); !ok {
			v.fail(path+".kind", "unknown sensor kind %q; use one of: %s", short(s.Kind), strings.Join(kindNames(), ", "))
		} else if k != s.Kind {
			v.fail(path+".kind", "write %q instead of %q", k, s.Kind)
		} else {
			kindOK = true
		}
	}
	if v.text(path+".unit", s.Unit, true, 32, false) && kindOK {
		v.unit(path+".unit", s.Kind, s.Unit)
	}

	p := func(f string) string { return path + "." + f }
	okPhys := v.number(p("physical_min"), s.PhysicalMin) && v.number(p("physical_max"), s.PhysicalMax)
	okNorm := v.number(p("normal_min"), s.NormalMin) && v.number(p("normal_max"), s.NormalMax)
	if okPhys && s.PhysicalMin >= s.PhysicalMax {
		v.fail(p("physical_min"), "physical_min (%s) must be below physical_max (%s)", num(s.PhysicalMin), num(s.PhysicalMax))
		okPhys = false
	}
	if okNorm && s.NormalMin >= s.NormalMax {
		v.fail(p("normal_min"), "normal_min (%s) must be below normal_max (%s)", num(s.NormalMin), num(s.NormalMax))
		okNorm = false
	}
	if okPhys && okNorm {
		if s.NormalMin < s.PhysicalMin {
			v.fail(p("normal_min"), "normal_min (%s) is below physical_min (%s): the instrument cannot read it", num(s.NormalMin), num(s.PhysicalMin))
		}
		if s.NormalMax > s.PhysicalMax {
			v.fail(p("normal_max"), "normal_max (%s) is above physical_max (%s): the instrument cannot read it", num(s.NormalMax), num(s.PhysicalMax))
		}
	}

	// Thresholds: each inside the physical range, outside the normal range on its side, and the
	// warning before the trip.
	type thr struct {
		field string
		val   *float64
	}
	wl, tl, wh, th := thr{"warning_low", s.WarningLow}, thr{"trip_low", s.TripLow}, thr{"warning_high", s.WarningHigh}, thr{"trip_high", s.TripHigh}
	okT := map[string]bool{}
	for _, t := range []thr{wl, tl, wh, th} {
		if t.val == nil || !v.number(p(t.field), *t.val) {
			continue
		}
		okT[t.field] = true
		if okPhys && (*t.val < s.PhysicalMin || *t.val > s.PhysicalMax) {
			v.fail(p(t.field), "%s (%s) is outside the physical range %s to %s", t.field, num(*t.val), num(s.PhysicalMin), num(s.PhysicalMax))
			okT[t.field] = false
		}
	}
	if okNorm {
		for _, t := range []thr{wh, th} {
			if okT[t.field] && *t.val < s.NormalMax {
				v.fail(p(t.field), "%s (%s) lies inside the normal range (%s to %s); a high-side threshold must be at or above normal_max", t.field, num(*t.val), num(s.NormalMin), num(s.NormalMax))
				okT[t.field] = false
			}
		}
		for _, t := range []thr{wl, tl} {
			if okT[t.field] && *t.val > s.NormalMin {
				v.fail(p(t.field), "%s (%s) lies inside the normal range (%s to %s); a low-side threshold must be at or below normal_min", t.field, num(*t.val), num(s.NormalMin), num(s.NormalMax))
				okT[t.field] = false
			}
		}
	}
	if okT["warning_high"] && okT["trip_high"] && *s.WarningHigh > *s.TripHigh {
		v.fail(p("warning_high"), "warning_high (%s) is above trip_high (%s); on the high side the warning must come before the trip", num(*s.WarningHigh), num(*s.TripHigh))
	}
	if okT["warning_low"] && okT["trip_low"] && *s.WarningLow < *s.TripLow {
		v.fail(p("warning_low"), "warning_low (%s) is below trip_low (%s); on the low side the warning must come before the trip", num(*s.WarningLow), num(*s.TripLow))
	}

	if v.number(p("sample_interval_s"), s.SampleIntervalS) && (s.SampleIntervalS <= 0 || s.SampleIntervalS > 86400) {
		v.fail(p("sample_interval_s"), "must be more than 0 and at most 86400 seconds (one day), got %s", num(s.SampleIntervalS))
	}
	if v.number(p("noise_std"), s.NoiseStd) {
		switch {
		case s.NoiseStd < 0:
			v.fail(p("noise_std"), "must not be negative, got %s", num(s.NoiseStd))
		case okNorm && s.NoiseStd > s.NormalMax-s.NormalMin:
			v.fail(p("noise_std"), "noise_std (%s %s) is larger than the whole normal range (%s); healthy readings would keep leaving it", num(s.NoiseStd), s.Unit, num(s.NormalMax-s.NormalMin))
		}
	}
	if s.ISO10816Class != "" {
		v.iso10816(path, s, okNorm, okT)
	}
}

func (v *validator) unit(path, kind, unit string) {
	sym, ok := NormalizeUnit(kind, unit)
	if ok && sym == unit {
		return
	}
	allowed := strings.Join(unitSymbols(UnitsFor(kind)), ", ")
	if kind == KindOther {
		allowed = "any unit of the unit table"
	}
	switch {
	case ok:
		v.fail(path, "write %q instead of %q", sym, unit)
	case len(kindsOfUnit(unit)) > 0:
		v.fail(path, "%q is not a unit of %s; use one of: %s", short(unit), kind, allowed)
	default:
		v.fail(path, "unknown unit %q for %s; use one of: %s", short(unit), kind, allowed)
	}
}

// isoSlack absorbs floating-point rounding when a limit is written exactly at a zone boundary
// (1.25 × 2.8 is 3.4999999999999996 in binary).
const isoSlack = 1 + 1e-9

func (v *validator) iso10816(path string, s Sensor, okNorm bool, okT map[string]bool) {
	p := path + ".iso10816_class"
	z, ok := ISO10816Zones(s.ISO10816Class)
	if !ok {
		v.fail(p, "unknown ISO 10816-1 class %q; use I, II, III or IV", short(s.ISO10816Class))
		return
	}
	if s.Kind != "vibration" || s.Unit != "mm/s" {
		v.fail(p, "ISO 10816 zones apply to vibration velocity in mm/s; this sensor measures %s in %s", s.Kind, s.Unit)
		return
	}
	if okNorm && s.NormalMax > z.BC*isoSlack {
		v.fail(path+".normal_max", "normal_max (%s mm/s) lies in zone C or D of ISO 10816 class %s (B/C boundary %s mm/s); normal operation belongs in zones A/B", num(s.NormalMax), s.ISO10816Class, num(z.BC))
	}
	if okT["warning_high"] && *s.WarningHigh > 1.25*z.BC*isoSlack {
		v.fail(path+".warning_high", "warning_high (%s mm/s) is above 1.25 × the B/C boundary of ISO 10816 class %s (%s mm/s)", num(*s.WarningHigh), s.ISO10816Class, num(1.25*z.BC))
	}
	if okT["trip_high"] && *s.TripHigh > 1.25*z.CD*isoSlack {
		v.fail(path+".trip_high", "trip_high (%s mm/s) is above 1.25 × the C/D boundary of ISO 10816 class %s (%s mm/s)", num(*s.TripHigh), s.ISO10816Class, num(1.25*z.CD))
	}
}

func (v *validator) regimes(rs []Regime) {
	switch {
	case len(rs) == 0:
		v.fail("regimes", "at least one operating regime is required")
		return
	case len(rs) > maxRegimes:
		v.fail("regimes", "has %d regimes; at most %d are allowed", len(rs), maxRegimes)
	}
	names := map[string]int{}
	sum, sumOK := 0.0, true
	for i, r := range rs {
		path := indexPath("regimes", i)
		if v.name(path+".name", r.Name, "regime") {
			if j, dup := names[r.Name]; dup {
				v.fail(path+".name", "duplicate regime name %q (also regimes[%d])", r.Name, j)
			} else {
				names[r.Name] = i
			}
		}
		v.text(path+".description", r.Description, false, 500, false)
		if v.number(path+".load_fraction", r.LoadFraction) && (r.LoadFraction < 0 || r.LoadFraction > 1.5) {
			v.fail(path+".load_fraction", "must be between 0 and 1.5 (a fraction of rated load), got %s", num(r.LoadFraction))
		}
		if !v.number(path+".probability", r.Probability) {
			sumOK = false
		} else if r.Probability <= 0 || r.Probability > 1 {
			v.fail(path+".probability", "must be more than 0 and at most 1 (a share of operating time), got %s", num(r.Probability))
			sumOK = false
		}
		sum += r.Probability
		if v.number(path+".mean_duration_steps", r.MeanDurationSteps) && r.MeanDurationSteps < 0 {
			v.fail(path+".mean_duration_steps", "must not be negative, got %s", num(r.MeanDurationSteps))
		}
	}
	if sumOK && math.Abs(sum-1) > RegimeSumTolerance {
		v.fail("regimes", "the regime probabilities sum to %s; they must sum to 1 (± %s)", num(math.Round(sum*1e6)/1e6), num(RegimeSumTolerance))
	}
}

func (v *validator) failureModes(fms []FailureMode, sensors map[string]int) {
	switch {
	case len(fms) == 0:
		v.fail("failure_modes", "at least one failure mode is required")
		return
	case len(fms) > maxFailureModes:
		v.fail("failure_modes", "has %d failure modes; at most %d are allowed", len(fms), maxFailureModes)
	}
	names := map[string]int{}
	for i, fm := range fms {
		path := indexPath("failure_modes", i)
		if v.name(path+".name", fm.Name, "failure mode") {
			if j, dup := names[fm.Name]; dup {
				v.fail(path+".name", "duplicate failure mode name %q (also failure_modes[%d])", fm.Name, j)
			} else {
				names[fm.Name] = i
			}
		}
		v.text(path+".description", fm.Description, false, maxLongText, true)
		switch fm.Progression {
		case "", ProgressionLinear, ProgressionExponential, ProgressionStep:
		default:
			v.fail(path+".progression", "unknown progression %q; use linear, exponential or step", short(fm.Progression))
		}
		if v.number(path+".onset_fraction", fm.OnsetFraction) && (fm.OnsetFraction < 0 || fm.OnsetFraction >= 1) {
			v.fail(path+".onset_fraction", "must be at least 0 and below 1 (a fraction of the time to failure), got %s", num(fm.OnsetFraction))
		}
		v.effects(path, fm.Effects, sensors)
		v.ttf(path+".time_to_failure", fm.TimeToFailure)
		if len(fm.Actions) > maxActions {
			v.fail(path+".actions", "has %d actions; at most %d are allowed", len(fm.Actions), maxActions)
		}
		for j, a := range fm.Actions {
			ap := indexPath(path+".actions", j)
			v.text(ap+".description", a.Description, true, 500, false)
			if v.text(ap+".urgency", a.Urgency, true, 32, false) {
				switch a.Urgency {
				case UrgencyImmediate, UrgencySoon, UrgencyPlanned:
				default:
					v.fail(ap+".urgency", "unknown urgency %q; use immediate, soon or planned", short(a.Urgency))
				}
			}
			if v.number(ap+".downtime_hours", a.DowntimeHours) && (a.DowntimeHours < 0 || a.DowntimeHours > 8760) {
				v.fail(ap+".downtime_hours", "must be between 0 and 8760 hours, got %s", num(a.DowntimeHours))
			}
		}
	}
}

func (v *validator) effects(path string, es []Effect, sensors map[string]int) {
	path += ".effects"
	if len(es) == 0 {
		v.fail(path, "at least one sensor effect is required: which sensors show this failure?")
		return
	}
	if len(es) > MaxSensors {
		v.fail(path, "has %d effects; at most %d are allowed", len(es), MaxSensors)
	}
	seen := map[string]int{}
	for j, e := range es {
		ep := indexPath(path, j)
		if v.text(ep+".sensor", e.Sensor, true, 64, false) {
			// With no sensors at all that is the one problem to report, not every effect.
			if _, ok := sensors[e.Sensor]; !ok && len(sensors) > 0 && !v.skip("sensors") {
				if v.sensorNames == "" {
					v.sensorNames = sensorList(sensors)
				}
				v.fail(ep+".sensor", "unknown sensor %q; it must name one of the profile's sensors (%s)", short(e.Sensor), v.sensorNames)
			} else if k, dup := seen[e.Sensor]; dup {
				v.fail(ep+".sensor", "sensor %q already has an effect in this failure mode (effects[%d])", e.Sensor, k)
			} else {
				seen[e.Sensor] = j
			}
		}
		if !v.skip(ep+".direction") && e.Direction != 1 && e.Direction != -1 {
			v.fail(ep+".direction", "must be +1 (the value rises) or -1 (the value falls), got %d", e.Direction)
		}
		if v.number(ep+".magnitude", e.Magnitude) && (e.Magnitude <= 0 || e.Magnitude > 100) {
			v.fail(ep+".magnitude", "must be more than 0 and at most 100 (the shift at failure in multiples of the sensor's normal span), got %s", num(e.Magnitude))
		}
	}
}

func sensorList(sensors map[string]int) string {
	names := make([]string, len(sensors))
	for n, i := range sensors {
		if i < len(names) {
			names[i] = n
		}
	}
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	if len(out) > 12 {
		out = append(out[:12], "…")
	}
	if len(out) == 0 {
		return "none defined"
	}
	return strings.Join(out, ", ")
}

func (v *validator) ttf(path string, t TimeToFailure) {
	if v.text(path+".distribution", t.Distribution, true, 32, false) && t.Distribution != DistributionWeibull {
		v.fail(path+".distribution", "unknown distribution %q; use weibull", short(t.Distribution))
	}
	if v.number(path+".shape", t.Shape) && (t.Shape <= 0 || t.Shape > 20) {
		v.fail(path+".shape", "the Weibull shape must be more than 0 and at most 20, got %s", num(t.Shape))
	}
	if v.number(path+".scale_steps", t.ScaleSteps) && (t.ScaleSteps < 1 || t.ScaleSteps > 1e12) {
		v.fail(path+".scale_steps", "the Weibull scale must be at least 1 and at most 1e12 steps, got %s", num(t.ScaleSteps))
	}
}

func (v *validator) vlm(x VLMInfo) {
	if v.text("vlm.reference_image_path", x.ReferenceImagePath, false, 500, false) && x.ReferenceImagePath != "" {
		p := x.ReferenceImagePath
		switch {
		case strings.Contains(p, `\`):
			v.fail("vlm.reference_image_path", "use / as the folder separator, not \\")
		case strings.Contains(p, ":") || strings.HasPrefix(p, "/"):
			v.fail("vlm.reference_image_path", "must be a relative path inside the machine's folder, e.g. images/reference.jpg")
		case !fs.ValidPath(p) || p == ".":
			v.fail("vlm.reference_image_path", "must be a plain relative path without . or .. parts, e.g. images/reference.jpg")
		}
	}
	if len(x.VisualInspectionPoints) > maxPoints {
		v.fail("vlm.visual_inspection_points", "has %d points; at most %d are allowed", len(x.VisualInspectionPoints), maxPoints)
	}
	for i, pt := range x.VisualInspectionPoints {
		v.text(indexPath("vlm.visual_inspection_points", i), pt, true, maxShortText, false)
	}
}

func kindNames() []string {
	var out []string
	for _, k := range kindTable {
		out = append(out, k.Kind)
	}
	return append(out, KindOther)
}
