// Package profiles holds the machine profile model, the built-in fleet and per-type templates,
// reading and writing profiles as JSON, YAML and XLSX, and validation that names every problem.
//
// A profile describes one physical machine well enough to simulate it: where it sits in the
// asset hierarchy (site → line → machine), its rated specs, its sensors with their ranges and
// alarm thresholds, the operating regimes it runs in, and how it fails (failure modes with their
// sensor signatures, time-to-failure distribution and recommended maintenance actions).
//
// # Units and conventions used by the model
//
//   - A "step" is one row of simulated run-to-failure data. The simulator decides how long a step
//     lasts in wall-clock time (by default the smallest sensor sample interval). Durations that
//     the simulator consumes (time to failure, regime durations) are given in steps.
//   - Sensor values, ranges and thresholds are in the sensor's Unit. Units are canonical symbols
//     from the unit table (see Units); Normalize rewrites accepted aliases such as "degC" to "°C".
//   - Sensor noise (NoiseStd) is the standard deviation of additive Gaussian measurement noise,
//     absolute, in the sensor's unit (not a fraction).
//   - A failure effect's Magnitude is the shift of the sensor's mean at the moment of failure,
//     expressed in multiples of the sensor's normal span (NormalMax − NormalMin). Direction gives
//     its sign. Expressing it relative to the span keeps it independent of the unit (°C, K and °F
//     give the same relative shift) and of the zero point.
//
// Struct tags: `json` and `yaml` names are snake_case and identical; `pdm:"required"` marks fields
// that a decoded document must contain (a missing number cannot be told apart from 0 afterwards).
package profiles

import "cmp"

// SchemaVersion is the profile document version this package writes. A document may omit it
// (read as the current version); a newer version is refused with a clear error.
const SchemaVersion = 1

// Profile describes one machine.
type Profile struct {
	// SchemaVersion is the document version; 0 (omitted) means the current SchemaVersion.
	SchemaVersion int `json:"schema_version,omitempty" yaml:"schema_version,omitempty"`
	// MachineID identifies the machine; it matches ^[a-z0-9_]{3,100}$ and becomes a path segment,
	// e.g. "motor_siemens_1la7_001".
	MachineID string `json:"machine_id" yaml:"machine_id" pdm:"required"`
	// MachineType is one of the machine types listed by Types, e.g. "motor", "pump".
	MachineType string `json:"machine_type" yaml:"machine_type" pdm:"required"`
	// Name is an optional human display name, e.g. "Motor Siemens 1LA7 001"; when empty the UI
	// derives one from manufacturer, model and id.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Manufacturer is the maker, e.g. "Siemens".
	Manufacturer string `json:"manufacturer" yaml:"manufacturer" pdm:"required"`
	// Model is the maker's model designation, e.g. "1LA7 163-4AA60".
	Model string `json:"model" yaml:"model" pdm:"required"`
	// Site is the top level of the asset hierarchy (a plant), e.g. "Hamburg Plant".
	Site string `json:"site" yaml:"site" pdm:"required"`
	// Line is the production line or area within the site, e.g. "Line 2 – Assembly".
	Line string `json:"line" yaml:"line" pdm:"required"`
	// Description is free text about the machine and its duty.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// RatedSpecs are nameplate values keyed by snake_case name whose suffix states the unit,
	// e.g. "power_kw", "speed_rpm", "pressure_bar", "flow_m3h". See SpecKeys for the known keys;
	// other keys are allowed if they are snake_case.
	RatedSpecs map[string]float64 `json:"rated_specs,omitempty" yaml:"rated_specs,omitempty"`
	// Sensors are the machine's measurement points, 1 to MaxSensors of them, names unique.
	Sensors []Sensor `json:"sensors" yaml:"sensors" pdm:"required"`
	// Regimes are the operating regimes the machine runs in; probabilities sum to 1.
	Regimes []Regime `json:"regimes" yaml:"regimes" pdm:"required"`
	// FailureModes are the ways the machine degrades and fails.
	FailureModes []FailureMode `json:"failure_modes" yaml:"failure_modes" pdm:"required"`
	// VLM holds optional inputs for visual inspection by a vision-language model; nil when unused.
	VLM *VLMInfo `json:"vlm,omitempty" yaml:"vlm,omitempty"`
}

// Sensor describes one measurement point.
//
// Ranges nest: PhysicalMin ≤ NormalMin ≤ NormalMax ≤ PhysicalMax. Thresholds are optional
// (nil = none); a high-side alarm has NormalMax ≤ WarningHigh ≤ TripHigh ≤ PhysicalMax, a
// low-side alarm has PhysicalMin ≤ TripLow ≤ WarningLow ≤ NormalMin.
type Sensor struct {
	// Name identifies the sensor within the profile (snake_case, e.g. "bearing_temp_de"); it is
	// the column name in simulated data.
	Name string `json:"name" yaml:"name" pdm:"required"`
	// Kind is the measured quantity, e.g. "temperature", "vibration" (see Kinds).
	Kind string `json:"kind" yaml:"kind" pdm:"required"`
	// Unit is a canonical unit symbol allowed for Kind, e.g. "°C", "mm/s" (see Units).
	Unit string `json:"unit" yaml:"unit" pdm:"required"`
	// Description is optional free text, e.g. "drive-end bearing, radial".
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// NormalMin and NormalMax bound the values seen in healthy operation across regimes.
	NormalMin float64 `json:"normal_min" yaml:"normal_min" pdm:"required"`
	NormalMax float64 `json:"normal_max" yaml:"normal_max" pdm:"required"` // upper end of the normal range
	// WarningLow and TripLow are optional low-side alarm thresholds (TripLow ≤ WarningLow).
	WarningLow *float64 `json:"warning_low,omitempty" yaml:"warning_low,omitempty"`
	TripLow    *float64 `json:"trip_low,omitempty" yaml:"trip_low,omitempty"` // low-side trip; nil = none
	// WarningHigh and TripHigh are optional high-side alarm thresholds (WarningHigh ≤ TripHigh).
	WarningHigh *float64 `json:"warning_high,omitempty" yaml:"warning_high,omitempty"`
	TripHigh    *float64 `json:"trip_high,omitempty" yaml:"trip_high,omitempty"` // high-side trip; nil = none
	// PhysicalMin and PhysicalMax are the measuring range of the instrument; simulated values
	// are clipped to it.
	PhysicalMin float64 `json:"physical_min" yaml:"physical_min" pdm:"required"`
	PhysicalMax float64 `json:"physical_max" yaml:"physical_max" pdm:"required"` // top of the measuring range
	// SampleIntervalS is the sampling interval in seconds (> 0).
	SampleIntervalS float64 `json:"sample_interval_s" yaml:"sample_interval_s" pdm:"required"`
	// NoiseStd is the standard deviation of additive Gaussian measurement noise, absolute, in
	// Unit (0 = noiseless).
	NoiseStd float64 `json:"noise_std" yaml:"noise_std"`
	// Key marks one of the (at most three) sensors the dashboard card shows.
	Key bool `json:"key,omitempty" yaml:"key,omitempty"`
	// ISO10816Class is the ISO 10816-1 machine class ("I", "II", "III" or "IV") for a vibration
	// velocity sensor in mm/s RMS; empty when the standard does not apply. When set, thresholds
	// must respect the class's zone boundaries (see ISO10816Zones).
	ISO10816Class string `json:"iso10816_class,omitempty" yaml:"iso10816_class,omitempty"`
}

// Regime is one operating regime (e.g. idle, nominal, peak).
type Regime struct {
	// Name identifies the regime within the profile (snake_case, e.g. "full_load").
	Name string `json:"name" yaml:"name" pdm:"required"`
	// Description is optional free text.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// LoadFraction is the load as a fraction of rated load, 0 to 1.5 (1 = rated).
	LoadFraction float64 `json:"load_fraction" yaml:"load_fraction" pdm:"required"`
	// Probability is the share of operating time spent in this regime, 0 < p ≤ 1; the
	// probabilities of all regimes sum to 1 (± RegimeSumTolerance).
	Probability float64 `json:"probability" yaml:"probability" pdm:"required"`
	// MeanDurationSteps is the mean dwell time in the regime before switching, in steps
	// (0 = let the simulator choose).
	MeanDurationSteps float64 `json:"mean_duration_steps,omitempty" yaml:"mean_duration_steps,omitempty"`
}

// FailureMode is one way the machine degrades to failure.
type FailureMode struct {
	// Name identifies the failure mode within the profile (snake_case, e.g. "bearing_wear").
	Name string `json:"name" yaml:"name" pdm:"required"`
	// Description explains the mechanism for engineers and the assistant.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Progression is how the effects grow from onset to failure: "linear", "exponential" or
	// "step"; empty means "linear".
	Progression string `json:"progression,omitempty" yaml:"progression,omitempty"`
	// OnsetFraction is the fraction of the time to failure after which symptoms start to show
	// (the P point of the P–F curve), 0 ≤ f < 1; 0 means from the start.
	OnsetFraction float64 `json:"onset_fraction,omitempty" yaml:"onset_fraction,omitempty"`
	// Effects are the sensor signatures of this failure mode (at least one).
	Effects []Effect `json:"effects" yaml:"effects" pdm:"required"`
	// TimeToFailure is the distribution of the time from new (or repaired) to failure.
	TimeToFailure TimeToFailure `json:"time_to_failure" yaml:"time_to_failure" pdm:"required"`
	// Actions are the recommended maintenance actions when this failure mode is detected.
	Actions []MaintenanceAction `json:"actions,omitempty" yaml:"actions,omitempty"`
}

// Effect is how one sensor responds to a failure mode.
type Effect struct {
	// Sensor names a sensor of the same profile.
	Sensor string `json:"sensor" yaml:"sensor" pdm:"required"`
	// Direction is +1 when the failure drives the value up, -1 when it drives it down.
	Direction int `json:"direction" yaml:"direction" pdm:"required"`
	// Magnitude is the shift of the sensor's mean at failure, in multiples of the sensor's normal
	// span (NormalMax − NormalMin), > 0; e.g. 1.5 on a 20–60 °C sensor means +60 °C at failure.
	Magnitude float64 `json:"magnitude" yaml:"magnitude" pdm:"required"`
}

// TimeToFailure is a time-to-failure distribution, in steps.
type TimeToFailure struct {
	// Distribution names the distribution; only "weibull" is defined.
	Distribution string `json:"distribution" yaml:"distribution" pdm:"required"`
	// Shape is the Weibull shape β (> 0; < 1 infant mortality, ≈ 1 random, > 1 wear-out).
	Shape float64 `json:"shape" yaml:"shape" pdm:"required"`
	// ScaleSteps is the Weibull scale η (characteristic life, 63.2 % failed), in steps (> 0).
	ScaleSteps float64 `json:"scale_steps" yaml:"scale_steps" pdm:"required"`
}

// MaintenanceAction is one recommended action for a failure mode.
type MaintenanceAction struct {
	// Description says what to do, e.g. "Replace drive-end bearing (6309-2Z/C3)".
	Description string `json:"description" yaml:"description" pdm:"required"`
	// Urgency is "immediate", "soon" (next stop) or "planned" (next scheduled maintenance).
	Urgency string `json:"urgency" yaml:"urgency" pdm:"required"`
	// DowntimeHours is the expected downtime of the action in hours (0 = unknown).
	DowntimeHours float64 `json:"downtime_hours,omitempty" yaml:"downtime_hours,omitempty"`
}

// VLMInfo holds optional inputs for a visual inspection by a vision-language model.
//
// TODO(vlm-team): the external VLM team owns this shape (docs/vlm-contract.md, which documents
// exactly these two fields); extend it there first. Keep every field optional.
type VLMInfo struct {
	// ReferenceImagePath is a path, relative to the machine's data directory, of a reference
	// photo of the machine in good condition.
	ReferenceImagePath string `json:"reference_image_path,omitempty" yaml:"reference_image_path,omitempty"`
	// VisualInspectionPoints lists what an inspector (or model) should look at, e.g.
	// "coupling guard", "oil sight glass".
	VisualInspectionPoints []string `json:"visual_inspection_points,omitempty" yaml:"visual_inspection_points,omitempty"`
}

// TypeInfo describes one machine type for pickers and the template download.
type TypeInfo struct {
	// Type is the machine_type value, e.g. "motor".
	Type string `json:"type"`
	// Label is a display name, e.g. "Electric motor".
	Label string `json:"label"`
	// Description is one sentence on what the type covers.
	Description string `json:"description"`
	// FleetCount is how many built-in fleet machines have this type.
	FleetCount int `json:"fleet_count"`
}

// KeySensors returns the sensors the dashboard shows: those marked Key, or the first three
// sensors when none is marked.
func (p Profile) KeySensors() []Sensor {
	var out []Sensor
	for _, s := range p.Sensors {
		if s.Key {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		n := min(3, len(p.Sensors))
		out = append(out, p.Sensors[:n]...)
	}
	return out
}

// FaultShifts returns, for each failure mode, how far each affected sensor's mean has moved at
// failure, in the sensor's unit (Direction × Magnitude × normal span): the mode's signature.
// Effects on unknown sensors or sensors without a normal span are left out.
func (p Profile) FaultShifts() map[string]map[string]float64 {
	out := map[string]map[string]float64{}
	for _, fm := range p.FailureModes {
		shifts := map[string]float64{}
		for _, e := range fm.Effects {
			s, ok := p.Sensor(e.Sensor)
			if span := s.NormalMax - s.NormalMin; ok && span > 0 && e.Magnitude > 0 {
				shifts[e.Sensor] += float64(e.Direction) * e.Magnitude * span
			}
		}
		if len(shifts) > 0 {
			out[fm.Name] = shifts
		}
	}
	return out
}

// FaultProgressions returns, for each failure mode with effects (the modes FaultShifts lists),
// how its wear grows from onset to failure: ProgressionLinear, ProgressionExponential or
// ProgressionStep ("" reads as linear).
func (p Profile) FaultProgressions() map[string]string {
	out := map[string]string{}
	shifts := p.FaultShifts()
	for _, fm := range p.FailureModes {
		if _, ok := shifts[fm.Name]; ok {
			out[fm.Name] = cmp.Or(fm.Progression, ProgressionLinear)
		}
	}
	return out
}

// Sensor returns the sensor with the given name.
func (p Profile) Sensor(name string) (Sensor, bool) {
	for _, s := range p.Sensors {
		if s.Name == name {
			return s, true
		}
	}
	return Sensor{}, false
}

// Clone returns a deep copy of p, sharing no slices, maps or pointers with it.
func (p Profile) Clone() Profile {
	c := p
	if p.RatedSpecs != nil {
		c.RatedSpecs = make(map[string]float64, len(p.RatedSpecs))
		for k, v := range p.RatedSpecs {
			c.RatedSpecs[k] = v
		}
	}
	if p.Sensors != nil {
		c.Sensors = make([]Sensor, len(p.Sensors))
		for i, s := range p.Sensors {
			s.WarningLow = clonePtr(s.WarningLow)
			s.TripLow = clonePtr(s.TripLow)
			s.WarningHigh = clonePtr(s.WarningHigh)
			s.TripHigh = clonePtr(s.TripHigh)
			c.Sensors[i] = s
		}
	}
	if p.Regimes != nil {
		c.Regimes = append([]Regime(nil), p.Regimes...)
	}
	if p.FailureModes != nil {
		c.FailureModes = make([]FailureMode, len(p.FailureModes))
		for i, fm := range p.FailureModes {
			if fm.Effects != nil {
				fm.Effects = append([]Effect(nil), fm.Effects...)
			}
			if fm.Actions != nil {
				fm.Actions = append([]MaintenanceAction(nil), fm.Actions...)
			}
			c.FailureModes[i] = fm
		}
	}
	if p.VLM != nil {
		v := *p.VLM
		if v.VisualInspectionPoints != nil {
			v.VisualInspectionPoints = append([]string(nil), v.VisualInspectionPoints...)
		}
		c.VLM = &v
	}
	return c
}

func clonePtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Limits and tolerances of the model.
const (
	// MaxSensors is the most sensors a profile may have.
	MaxSensors = 50
	// MaxKeySensors is the most sensors that may be marked Key.
	MaxKeySensors = 3
	// RegimeSumTolerance is how far the regime probabilities may sum away from 1.
	RegimeSumTolerance = 0.01
)

// Values of FailureMode.Progression.
const (
	ProgressionLinear      = "linear"      // effect grows linearly from onset to failure (also "")
	ProgressionExponential = "exponential" // effect grows slowly at first, then accelerates
	ProgressionStep        = "step"        // effect appears at full size at onset
)

// Values of TimeToFailure.Distribution.
const (
	DistributionWeibull = "weibull" // two-parameter Weibull: shape β, scale η
)

// Values of MaintenanceAction.Urgency.
const (
	UrgencyImmediate = "immediate" // stop the machine / act now
	UrgencySoon      = "soon"      // at the next convenient stop
	UrgencyPlanned   = "planned"   // at the next scheduled maintenance
)
