package profiles

import (
	"math"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

func ptr(v float64) *float64 { return &v }

// testBase is a small valid profile whose indexes the tests below rely on:
// sensors 0 bearing_temp (°C), 1 vibration (mm/s, ISO class II), 2 current (A), 3 speed (rpm).
func testBase() Profile {
	return Profile{
		SchemaVersion: 1, MachineID: "motor_test_001", MachineType: "motor", Manufacturer: "Siemens",
		Model: "1LA7", Site: "Hamburg Plant", Line: "Line 1",
		RatedSpecs: map[string]float64{"power_kw": 15, "speed_rpm": 1460, "custom_rating_x": -3},
		Sensors: []Sensor{
			{Name: "bearing_temp", Kind: "temperature", Unit: "°C", NormalMin: 35, NormalMax: 70, WarningHigh: ptr(85), TripHigh: ptr(95),
				PhysicalMin: -20, PhysicalMax: 150, SampleIntervalS: 10, NoiseStd: 0.4, Key: true},
			{Name: "vibration", Kind: "vibration", Unit: "mm/s", NormalMin: 0.3, NormalMax: 2.2, WarningHigh: ptr(3.5), TripHigh: ptr(7.1),
				PhysicalMin: 0, PhysicalMax: 50, SampleIntervalS: 1, NoiseStd: 0.05, Key: true, ISO10816Class: "II"},
			{Name: "current", Kind: "current", Unit: "A", NormalMin: 10, NormalMax: 29, WarningHigh: ptr(32), TripHigh: ptr(35),
				PhysicalMin: 0, PhysicalMax: 75, SampleIntervalS: 1, NoiseStd: 0.3, Key: true},
			{Name: "speed", Kind: "speed", Unit: "rpm", NormalMin: 1455, NormalMax: 1498, WarningLow: ptr(1445), TripLow: ptr(1420),
				PhysicalMin: 0, PhysicalMax: 1800, SampleIntervalS: 1, NoiseStd: 1},
		},
		Regimes: []Regime{
			{Name: "nominal", LoadFraction: 0.85, Probability: 0.7, MeanDurationSteps: 2000},
			{Name: "full_load", LoadFraction: 1.0, Probability: 0.3},
		},
		FailureModes: []FailureMode{
			{Name: "bearing_wear", Progression: "exponential", OnsetFraction: 0.6,
				Effects:       []Effect{{"vibration", 1, 3.5}, {"bearing_temp", 1, 0.8}, {"current", 1, 0.05}},
				TimeToFailure: TimeToFailure{"weibull", 2.2, 40000},
				Actions:       []MaintenanceAction{{"Replace the drive-end bearing", "planned", 6}}},
			{Name: "misalignment",
				Effects:       []Effect{{"vibration", 1, 2.5}, {"bearing_temp", 1, 0.4}},
				TimeToFailure: TimeToFailure{"weibull", 1.2, 60000},
				Actions:       []MaintenanceAction{{"Laser-align the coupling", "soon", 3}}},
		},
		VLM: &VLMInfo{ReferenceImagePath: "images/ref.jpg", VisualInspectionPoints: []string{"coupling guard"}},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Profile)
		want   map[string]string // field path → substring of its message
		opts   ValidateOptions
	}{
		{"valid", func(p *Profile) {}, nil, ValidateOptions{}},
		{"all empty", func(p *Profile) { *p = Profile{} }, map[string]string{
			"machine_id": "required", "machine_type": "required", "manufacturer": "required", "model": "required",
			"site": "required", "line": "required", "sensors": "at least one", "regimes": "at least one",
			"failure_modes": "at least one"}, ValidateOptions{}},
		{"id uppercase", func(p *Profile) { p.MachineID = "Motor_1" }, map[string]string{"machine_id": "lowercase"}, ValidateOptions{}},
		{"id dash", func(p *Profile) { p.MachineID = "motor-1" }, map[string]string{"machine_id": `'-' is not allowed`}, ValidateOptions{}},
		{"id short", func(p *Profile) { p.MachineID = "ab" }, map[string]string{"machine_id": "at least 3"}, ValidateOptions{}},
		{"id long", func(p *Profile) { p.MachineID = strings.Repeat("a", 101) }, map[string]string{"machine_id": "at most 100"}, ValidateOptions{}},
		{"id path", func(p *Profile) { p.MachineID = "../etc" }, map[string]string{"machine_id": "not allowed"}, ValidateOptions{}},
		{"id taken", func(p *Profile) {}, map[string]string{"machine_id": "already taken"},
			ValidateOptions{Exists: func(id string) bool { return id == "motor_test_001" }}},
		{"schema newer", func(p *Profile) { p.SchemaVersion = 2 }, map[string]string{"schema_version": "newer"}, ValidateOptions{}},
		{"schema negative", func(p *Profile) { p.SchemaVersion = -1 }, map[string]string{"schema_version": "must be 1"}, ValidateOptions{}},
		{"type unknown", func(p *Profile) { p.MachineType = "mixer" }, map[string]string{"machine_type": "motor, pump"}, ValidateOptions{}},
		{"text control chars", func(p *Profile) { p.Site = "a\x00b"; p.Line = "x\ny"; p.Description = "ok\nmultiline\tfine" },
			map[string]string{"site": "control character", "line": "control character"}, ValidateOptions{}},
		{"text spaces and length", func(p *Profile) { p.Model = " 1LA7"; p.Manufacturer = strings.Repeat("é", 201) },
			map[string]string{"model": "spaces", "manufacturer": "201 characters"}, ValidateOptions{}},
		{"text not utf8", func(p *Profile) { p.Name = "bad\xffname" }, map[string]string{"name": "UTF-8"}, ValidateOptions{}},
		{"specs", func(p *Profile) {
			p.RatedSpecs = map[string]float64{"power_kw": 0, "Speed": 1, "voltage_v": math.NaN(), "head_m": math.Inf(1)}
		}, map[string]string{"rated_specs.power_kw": "greater than 0", `rated_specs.Speed`: "snake_case",
			"rated_specs.voltage_v": "finite", "rated_specs.head_m": "finite"}, ValidateOptions{}},
		{"too many sensors", func(p *Profile) {
			for i := range 47 {
				s := p.Sensors[3]
				s.Name = "extra_" + string(rune('a'+i%26)) + string(rune('a'+i/26))
				s.Key = false
				p.Sensors = append(p.Sensors, s)
			}
		}, map[string]string{"sensors": "at most 50"}, ValidateOptions{}},
		{"fifty sensors ok", func(p *Profile) {
			for i := range 46 {
				s := p.Sensors[3]
				s.Name = "extra_" + string(rune('a'+i%26)) + string(rune('a'+i/26))
				p.Sensors = append(p.Sensors, s)
			}
		}, nil, ValidateOptions{}},
		{"duplicate sensor", func(p *Profile) { p.Sensors[2].Name = "bearing_temp" },
			map[string]string{"sensors[2].name": "also sensors[0]", "failure_modes[0].effects[2].sensor": `unknown sensor "current"`}, ValidateOptions{}},
		{"bad sensor name", func(p *Profile) {
			p.Sensors[2].Name = "Current A"
			p.FailureModes[0].Effects[2].Sensor = "Current A"
		}, map[string]string{"sensors[2].name": "lowercase"}, ValidateOptions{}},
		{"kind unknown", func(p *Profile) { p.Sensors[0].Kind = "heat" }, map[string]string{"sensors[0].kind": "temperature, vibration"}, ValidateOptions{}},
		{"kind alias not normalised", func(p *Profile) { p.Sensors[0].Kind = "temp" }, map[string]string{"sensors[0].kind": `write "temperature"`}, ValidateOptions{}},
		{"unit alias not normalised", func(p *Profile) { p.Sensors[0].Unit = "degC" }, map[string]string{"sensors[0].unit": `write "°C"`}, ValidateOptions{}},
		{"unit of other kind", func(p *Profile) { p.Sensors[0].Unit = "bar" }, map[string]string{"sensors[0].unit": "not a unit of temperature; use one of: °C, K, °F"}, ValidateOptions{}},
		{"unit unknown", func(p *Profile) { p.Sensors[2].Unit = "furlong" }, map[string]string{"sensors[2].unit": "unknown unit"}, ValidateOptions{}},
		{"unit empty", func(p *Profile) { p.Sensors[2].Unit = "" }, map[string]string{"sensors[2].unit": "required"}, ValidateOptions{}},
		{"kind other takes any unit", func(p *Profile) { p.Sensors[2].Kind = "other"; p.Sensors[2].Unit = "ppm" }, nil, ValidateOptions{}},
		{"normal min > max", func(p *Profile) { p.Sensors[0].NormalMin = 80 }, map[string]string{"sensors[0].normal_min": "must be below normal_max (70)"}, ValidateOptions{}},
		{"normal min == max", func(p *Profile) { p.Sensors[0].NormalMin = 70 }, map[string]string{"sensors[0].normal_min": "must be below"}, ValidateOptions{}},
		{"physical min > max", func(p *Profile) { p.Sensors[0].PhysicalMin = 200 }, map[string]string{"sensors[0].physical_min": "must be below physical_max"}, ValidateOptions{}},
		{"normal outside physical", func(p *Profile) {
			p.Sensors[0].NormalMin = -30
			p.Sensors[2].NormalMax = 80
			p.Sensors[2].WarningHigh = nil
			p.Sensors[2].TripHigh = nil
		},
			map[string]string{"sensors[0].normal_min": "below physical_min", "sensors[2].normal_max": "above physical_max"}, ValidateOptions{}},
		{"thresholds outside physical", func(p *Profile) { p.Sensors[0].TripHigh = ptr(160); p.Sensors[3].TripLow = ptr(-5) },
			map[string]string{"sensors[0].trip_high": "outside the physical range -20 to 150", "sensors[3].trip_low": "outside the physical range"}, ValidateOptions{}},
		{"warning beyond trip", func(p *Profile) { p.Sensors[0].WarningHigh = ptr(99); p.Sensors[3].WarningLow = ptr(1400) },
			map[string]string{"sensors[0].warning_high": "above trip_high", "sensors[3].warning_low": "below trip_low"}, ValidateOptions{}},
		{"thresholds inside normal range", func(p *Profile) {
			p.Sensors[0].WarningHigh = ptr(60)
			p.Sensors[3].TripLow = ptr(1460)
			p.Sensors[3].WarningLow = nil
		},
			map[string]string{"sensors[0].warning_high": "inside the normal range", "sensors[3].trip_low": "inside the normal range"}, ValidateOptions{}},
		{"non-finite numbers", func(p *Profile) {
			p.Sensors[0].NormalMax = math.NaN()
			p.Sensors[1].TripHigh = ptr(math.Inf(1))
			p.Sensors[2].PhysicalMin = math.Inf(-1)
		}, map[string]string{"sensors[0].normal_max": "finite", "sensors[1].trip_high": "finite", "sensors[2].physical_min": "finite"}, ValidateOptions{}},
		{"interval and noise", func(p *Profile) {
			p.Sensors[0].SampleIntervalS = 0
			p.Sensors[1].SampleIntervalS = 100000
			p.Sensors[2].NoiseStd = -1
			p.Sensors[3].NoiseStd = 50
		}, map[string]string{"sensors[0].sample_interval_s": "more than 0", "sensors[1].sample_interval_s": "86400",
			"sensors[2].noise_std": "negative", "sensors[3].noise_std": "larger than the whole normal range"}, ValidateOptions{}},
		{"too many keys", func(p *Profile) { p.Sensors[3].Key = true }, map[string]string{"sensors": "4 sensors are marked key"}, ValidateOptions{}},
		{"iso normal in zone C", func(p *Profile) { p.Sensors[1].NormalMax = 3.0 }, map[string]string{"sensors[1].normal_max": "zone C or D"}, ValidateOptions{}},
		{"iso alarm and trip too high", func(p *Profile) { p.Sensors[1].WarningHigh = ptr(4); p.Sensors[1].TripHigh = ptr(9) },
			map[string]string{"sensors[1].warning_high": "1.25 × the B/C", "sensors[1].trip_high": "1.25 × the C/D"}, ValidateOptions{}},
		{"iso class on temperature", func(p *Profile) { p.Sensors[0].ISO10816Class = "II" }, map[string]string{"sensors[0].iso10816_class": "vibration velocity in mm/s"}, ValidateOptions{}},
		{"iso class unknown", func(p *Profile) { p.Sensors[1].ISO10816Class = "V" }, map[string]string{"sensors[1].iso10816_class": "use I, II, III or IV"}, ValidateOptions{}},
		{"iso at exact boundaries ok", func(p *Profile) {
			p.Sensors[1].NormalMax = 2.8
			p.Sensors[1].WarningHigh = ptr(3.5)
			p.Sensors[1].TripHigh = ptr(8.875)
		}, nil, ValidateOptions{}},
		{"regime sum", func(p *Profile) { p.Regimes[1].Probability = 0.2 }, map[string]string{"regimes": "sum to 0.9"}, ValidateOptions{}},
		{"regime sum within tolerance", func(p *Profile) { p.Regimes[1].Probability = 0.305 }, nil, ValidateOptions{}},
		{"regime fields", func(p *Profile) {
			p.Regimes[0].LoadFraction = 2
			p.Regimes[0].Probability = 0
			p.Regimes[1].Name = "nominal"
			p.Regimes[1].MeanDurationSteps = -1
		}, map[string]string{"regimes[0].load_fraction": "between 0 and 1.5", "regimes[0].probability": "more than 0",
			"regimes[1].name": "duplicate", "regimes[1].mean_duration_steps": "negative"}, ValidateOptions{}},
		{"failure mode fields", func(p *Profile) {
			fm := &p.FailureModes[0]
			fm.Name = "misalignment"
			fm.Progression = "sudden"
			fm.OnsetFraction = 1
			fm.TimeToFailure = TimeToFailure{"lognormal", 0, 0.5}
			fm.Actions = append(fm.Actions, MaintenanceAction{"", "later", -2})
		}, map[string]string{"failure_modes[1].name": "also failure_modes[0]", "failure_modes[0].progression": "linear, exponential or step",
			"failure_modes[0].onset_fraction": "below 1", "failure_modes[0].time_to_failure.distribution": "weibull",
			"failure_modes[0].time_to_failure.shape": "more than 0", "failure_modes[0].time_to_failure.scale_steps": "at least 1",
			"failure_modes[0].actions[1].description": "required", "failure_modes[0].actions[1].urgency": "immediate, soon or planned",
			"failure_modes[0].actions[1].downtime_hours": "between 0"}, ValidateOptions{}},
		{"effects", func(p *Profile) {
			p.FailureModes[0].Effects[1] = Effect{"flow", 0, 0}
			p.FailureModes[0].Effects[2] = Effect{"vibration", -1, 101}
			p.FailureModes[1].Effects = nil
		}, map[string]string{"failure_modes[0].effects[1].sensor": "unknown sensor \"flow\"; it must name one of the profile's sensors (bearing_temp, vibration, current, speed)",
			"failure_modes[0].effects[1].direction": "+1", "failure_modes[0].effects[1].magnitude": "more than 0",
			"failure_modes[0].effects[2].sensor": "already has an effect", "failure_modes[0].effects[2].magnitude": "at most 100",
			"failure_modes[1].effects": "at least one"}, ValidateOptions{}},
		{"vlm paths", func(p *Profile) {
			p.VLM.ReferenceImagePath = "../../secret.jpg"
			p.VLM.VisualInspectionPoints = []string{""}
		},
			map[string]string{"vlm.reference_image_path": "without . or ..", "vlm.visual_inspection_points[0]": "required"}, ValidateOptions{}},
		{"vlm absolute", func(p *Profile) { p.VLM.ReferenceImagePath = "C:/x.jpg" }, map[string]string{"vlm.reference_image_path": "relative"}, ValidateOptions{}},
		{"vlm backslash", func(p *Profile) { p.VLM.ReferenceImagePath = `images\x.jpg` }, map[string]string{"vlm.reference_image_path": "separator"}, ValidateOptions{}},
		{"vlm nil ok", func(p *Profile) { p.VLM = nil }, nil, ValidateOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testBase()
			tt.mutate(&p)
			got := Validate(p, tt.opts)
			checkFields(t, got, tt.want)
		})
	}
}

// checkFields asserts that got names exactly the fields of want, each message containing the
// wanted substring.
func checkFields(t *testing.T, got []apperr.FieldError, want map[string]string) {
	t.Helper()
	seen := map[string]bool{}
	for _, fe := range got {
		seen[fe.Field] = true
		sub, ok := want[fe.Field]
		if !ok {
			t.Errorf("unexpected problem %s: %s", fe.Field, fe.Message)
			continue
		}
		if !strings.Contains(fe.Message, sub) {
			t.Errorf("%s: message %q does not contain %q", fe.Field, fe.Message, sub)
		}
	}
	for f := range want {
		if !seen[f] {
			t.Errorf("missing problem for %s (got %v)", f, got)
		}
	}
}

func TestValidateReportsEverythingAtOnce(t *testing.T) {
	p := testBase()
	p.MachineID = "X"
	p.Sensors[0].Unit = "furlong"
	p.Sensors[1].NormalMin = 5
	p.Regimes[0].Probability = 0.1
	p.FailureModes[1].Effects[0].Sensor = "nope"
	got := Validate(p, ValidateOptions{})
	var fields []string
	for _, f := range got {
		fields = append(fields, f.Field)
	}
	want := []string{"machine_id", "sensors[0].unit", "sensors[1].normal_min", "regimes", "failure_modes[1].effects[0].sensor"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields = %v, want %v (in document order)", fields, want)
	}
}

func TestValidateCapsOutput(t *testing.T) {
	p := testBase()
	for range 300 {
		p.Sensors = append(p.Sensors, Sensor{Name: "X"})
	}
	got := Validate(p, ValidateOptions{})
	if len(got) != maxFieldErrors+1 || !strings.Contains(got[len(got)-1].Message, "more problems") {
		t.Errorf("got %d problems, last %v", len(got), got[len(got)-1])
	}
}
