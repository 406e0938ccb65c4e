package profiles

import (
	"errors"
	"maps"
	"math"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"pdmstudio/backend/apperr"
)

func TestFleet(t *testing.T) {
	fleet := Fleet()
	if len(fleet) != 26 {
		t.Fatalf("fleet has %d machines, want 26", len(fleet))
	}
	types, sites := map[string]int{}, map[string]map[string]bool{}
	for i, p := range fleet {
		if i > 0 && fleet[i-1].MachineID >= p.MachineID {
			t.Errorf("fleet not sorted by id at %s", p.MachineID)
		}
		if errs := Validate(p, ValidateOptions{}); len(errs) > 0 {
			t.Errorf("%s does not validate: %v", p.MachineID, errs)
		}
		if !strings.HasPrefix(p.MachineID, p.MachineType+"_") {
			t.Errorf("%s: id does not start with its type %q", p.MachineID, p.MachineType)
		}
		if n := len(p.Sensors); n < 5 || n > 12 {
			t.Errorf("%s: %d sensors, want 5–12", p.MachineID, n)
		}
		if n := len(p.FailureModes); n < 2 || n > 4 {
			t.Errorf("%s: %d failure modes, want 2–4", p.MachineID, n)
		}
		keys := 0
		for _, s := range p.Sensors {
			if s.Key {
				keys++
			}
		}
		if keys != 3 {
			t.Errorf("%s: %d key sensors, want 3 for the dashboard", p.MachineID, keys)
		}
		for _, fm := range p.FailureModes {
			if len(fm.Actions) == 0 || fm.Description == "" {
				t.Errorf("%s/%s: needs a description and actions", p.MachineID, fm.Name)
			}
		}
		if p.Manufacturer == "" || p.Model == "" || p.Name == "" || len(p.RatedSpecs) == 0 {
			t.Errorf("%s: identity or specs incomplete", p.MachineID)
		}
		types[p.MachineType]++
		if sites[p.Site] == nil {
			sites[p.Site] = map[string]bool{}
		}
		sites[p.Site][p.Line] = true
	}
	if len(types) < 8 {
		t.Errorf("fleet covers %d machine types, want at least 8", len(types))
	}
	if len(sites) < 2 || len(sites) > 3 {
		t.Errorf("fleet spans %d sites, want 2–3", len(sites))
	}
	for _, id := range []string{"motor_siemens_1la7_001", "pump_grundfos_cr3_004", "cnc_dmg_mori_nlx_010"} {
		if _, err := FleetProfile(id); err != nil {
			t.Errorf("FleetProfile(%s): %v", id, err)
		}
	}
	if _, err := FleetProfile("nope_001"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("FleetProfile(unknown) = %v, want not found", err)
	}
}

// Effects must follow physics: sensors that wear raises (vibration, bearing temperatures) go up.
func TestFleetEffectDirections(t *testing.T) {
	for _, p := range Fleet() {
		for _, fm := range p.FailureModes {
			for _, e := range fm.Effects {
				s, _ := p.Sensor(e.Sensor)
				if (s.Kind == "vibration" || strings.Contains(s.Name, "bearing_temp")) && e.Direction != 1 {
					t.Errorf("%s/%s: %s should rise", p.MachineID, fm.Name, e.Sensor)
				}
			}
			if strings.Contains(fm.Name, "bearing") {
				found := false
				for _, e := range fm.Effects {
					s, _ := p.Sensor(e.Sensor)
					found = found || s.Kind == "vibration"
				}
				if !found {
					t.Errorf("%s/%s: bearing failure without a vibration effect", p.MachineID, fm.Name)
				}
			}
		}
	}
}

// FaultShifts: direction × magnitude × normal span per affected sensor, for every failure mode.
func TestFaultShifts(t *testing.T) {
	p, err := FleetProfile("pump_grundfos_cr3_004")
	if err != nil {
		t.Fatal(err)
	}
	shifts := p.FaultShifts()
	if len(shifts) != len(p.FailureModes) {
		t.Fatalf("%d signatures for %d failure modes", len(shifts), len(p.FailureModes))
	}
	// impeller_wear: flow −0.5 × (3.15 − 1.8); vibration +0.4 × (1.44 − 0.21).
	iw := shifts["impeller_wear"]
	if math.Abs(iw["flow"]-(-0.5*1.35)) > 1e-9 || math.Abs(iw["vibration"]-0.4*1.23) > 1e-9 || len(iw) != 4 {
		t.Fatalf("impeller_wear shifts %v", iw)
	}
	bad := p
	bad.FailureModes = []FailureMode{{Name: "x", Effects: []Effect{{Sensor: "nope", Direction: 1, Magnitude: 1}}}}
	if got := bad.FaultShifts(); len(got) != 0 {
		t.Fatalf("effects on unknown sensors only: %v", got)
	}
	if got := bad.FaultProgressions(); len(got) != 0 {
		t.Fatalf("progressions of modes without a signature: %v", got)
	}
}

// FaultProgressions: each signature's progression, "" read as linear.
func TestFaultProgressions(t *testing.T) {
	p, err := FleetProfile("motor_abb_m3bp_002")
	if err != nil {
		t.Fatal(err)
	}
	got := p.FaultProgressions()
	want := map[string]string{"bearing_wear": ProgressionExponential, "stator_insulation_degradation": ProgressionLinear, "misalignment": ProgressionStep}
	if !maps.Equal(got, want) {
		t.Fatalf("progressions %v, want %v", got, want)
	}
	p = p.Clone()
	p.FailureModes[1].Progression = ""
	if got := p.FaultProgressions()[p.FailureModes[1].Name]; got != ProgressionLinear {
		t.Fatalf("no progression reads as %q, want linear", got)
	}
}

func TestTypesAndTemplates(t *testing.T) {
	types := Types()
	if len(types) < 8 {
		t.Fatalf("%d types", len(types))
	}
	total := 0
	for _, ti := range types {
		total += ti.FleetCount
		if ti.FleetCount == 0 {
			t.Errorf("type %s has no fleet machine", ti.Type)
		}
		p, err := Template(ti.Type)
		if err != nil {
			t.Fatalf("Template(%s): %v", ti.Type, err)
		}
		if p.MachineID != ti.Type+"_new_001" || p.MachineType != ti.Type {
			t.Errorf("template %s: id %q type %q", ti.Type, p.MachineID, p.MachineType)
		}
		if errs := Validate(p, ValidateOptions{}); len(errs) > 0 {
			t.Errorf("template %s does not validate: %v", ti.Type, errs)
		}
		for _, f := range Formats() {
			name, data, err := TemplateFile(ti.Type, f)
			if err != nil || len(data) == 0 || name != ti.Type+"_template"+f.Extension() {
				t.Errorf("TemplateFile(%s, %s) = %q, %d bytes, %v", ti.Type, f, name, len(data), err)
			}
		}
	}
	if total != len(Fleet()) {
		t.Errorf("fleet counts add up to %d", total)
	}
	if _, err := Template(" Motor "); err != nil {
		t.Errorf("Template is not lenient about case/space: %v", err)
	}
	if _, err := Template("mixer"); apperr.KindOf(err) != apperr.KindNotFound || !strings.Contains(err.Error(), "motor") {
		t.Errorf("Template(mixer) = %v, want not found listing the types", err)
	}
}

// Every built-in profile, and a profile using every optional field, survives encode → decode
// unchanged in every format.
func TestRoundTrip(t *testing.T) {
	var all []Profile
	for _, ti := range Types() {
		p, _ := Template(ti.Type)
		all = append(all, p)
	}
	all = append(all, Fleet()...)
	odd := all[0].Clone()
	odd.MachineID = "odd_values_001"
	odd.SchemaVersion = 0
	odd.Name = "2020" // looks like a number
	odd.Model = "true"
	odd.Description = "multi\nline: description with # and 'quotes' and \"doubles\" and ünïcödé"
	odd.RatedSpecs["custom_thing_x"] = 1e-7
	odd.RatedSpecs["power_kw"] = 123456789012.5
	odd.Sensors[0].NormalMin = 0.1 + 0.2 // 0.30000000000000004
	odd.Sensors[0].Description = "null"
	odd.VLM = &VLMInfo{VisualInspectionPoints: []string{"yes", "1.5", "~"}}
	all = append(all, odd)
	for _, p := range all {
		for _, f := range Formats() {
			data, err := Encode(p, f)
			if err != nil {
				t.Fatalf("%s: Encode %s: %v", p.MachineID, f, err)
			}
			got, err := Decode(data, f)
			if err != nil {
				t.Fatalf("%s: Decode %s: %v", p.MachineID, f, err)
			}
			if !reflect.DeepEqual(got, p) {
				t.Errorf("%s: %s round trip differs:\n got %+v\nwant %+v", p.MachineID, f, got, p)
			}
		}
	}
}

func TestFormatFromFilename(t *testing.T) {
	tests := []struct {
		name string
		want Format
		ok   bool
	}{
		{"motor.json", FormatJSON, true},
		{"C:\\Users\\x\\Motor.YAML", FormatYAML, true},
		{"a.b.yml", FormatYAML, true},
		{"profile.xlsx", FormatXLSX, true},
		{"profile.XLSX", FormatXLSX, true},
		{"profile.xls", "", false},
		{"profile.csv", "", false},
		{"profile", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := FormatFromFilename(tt.name)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("FormatFromFilename(%q) = %q, %v", tt.name, got, err)
		}
		if err != nil && apperr.KindOf(err) != apperr.KindBadInput {
			t.Errorf("FormatFromFilename(%q): error kind %s", tt.name, apperr.KindOf(err))
		}
	}
	for in, want := range map[string]Format{"json": FormatJSON, " YML ": FormatYAML, ".xlsx": FormatXLSX, "Excel": FormatXLSX} {
		if got, err := ParseFormat(in); got != want || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("toml"); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("ParseFormat(toml) = %v", err)
	}
	if _, err := Encode(Profile{}, "toml"); err == nil {
		t.Error("Encode accepted an unknown format")
	}
	if _, err := Decode([]byte("{}"), "toml"); apperr.KindOf(err) != apperr.KindBadInput {
		t.Errorf("Decode(unknown format) = %v", err)
	}
}

func TestKeySensorsAndLookup(t *testing.T) {
	p, _ := Template("motor")
	if ks := p.KeySensors(); len(ks) != 3 || !ks[0].Key {
		t.Errorf("KeySensors = %v", ks)
	}
	for i := range p.Sensors {
		p.Sensors[i].Key = false
	}
	if ks := p.KeySensors(); len(ks) != 3 || ks[0].Name != p.Sensors[0].Name {
		t.Errorf("KeySensors fallback = %v", ks)
	}
	if len((Profile{}).KeySensors()) != 0 {
		t.Error("KeySensors of an empty profile")
	}
	if s, ok := p.Sensor("current"); !ok || s.Unit != "A" {
		t.Errorf("Sensor(current) = %v, %v", s, ok)
	}
	if _, ok := p.Sensor("nope"); ok {
		t.Error("Sensor(nope) found")
	}
}

func TestCloneIsDeep(t *testing.T) {
	p, _ := Template("motor")
	c := p.Clone()
	c.RatedSpecs["power_kw"] = -1
	*c.Sensors[0].WarningHigh = -1
	c.Sensors[1].Name = "x"
	c.Regimes[0].Name = "x"
	c.FailureModes[0].Effects[0].Sensor = "x"
	c.FailureModes[0].Actions[0].Urgency = "x"
	c.VLM.VisualInspectionPoints[0] = "x"
	q, _ := Template("motor")
	if !reflect.DeepEqual(p, q) {
		t.Error("changing a clone changed the original")
	}
	// Fleet and Template hand out copies too.
	f := Fleet()
	f[0].Sensors[0].Name = "changed"
	if Fleet()[0].Sensors[0].Name == "changed" {
		t.Error("Fleet shares data between calls")
	}
}

func TestNormalize(t *testing.T) {
	p, _ := Template("chiller")
	p.MachineType = " Chiller "
	p.MachineID = " chiller_x_001 "
	p.Sensors[0].Kind = "Temp"
	p.Sensors[0].Unit = " degC "
	p.Sensors[2].Unit = "barg"
	p.Sensors[6].ISO10816Class = " ii "
	p.FailureModes[0].Progression = "Linear"
	p.FailureModes[0].Actions[0].Urgency = "SOON"
	p.FailureModes[0].TimeToFailure.Distribution = "Weibull"
	p.VLM = &VLMInfo{VisualInspectionPoints: []string{" ", ""}}
	p.RatedSpecs = map[string]float64{}
	n := Normalize(p)
	if n.MachineType != "chiller" || n.MachineID != "chiller_x_001" || n.Sensors[0].Kind != "temperature" ||
		n.Sensors[0].Unit != "°C" || n.Sensors[2].Unit != "bar" || n.Sensors[6].ISO10816Class != "II" ||
		n.FailureModes[0].Progression != "linear" || n.FailureModes[0].Actions[0].Urgency != "soon" ||
		n.FailureModes[0].TimeToFailure.Distribution != "weibull" || n.VLM != nil || n.RatedSpecs != nil {
		t.Errorf("Normalize = %+v", n)
	}
	if errs := Validate(n, ValidateOptions{}); len(errs) > 0 {
		t.Errorf("normalised profile invalid: %v", errs)
	}
	if p.Sensors[0].Unit != " degC " {
		t.Error("Normalize changed its argument")
	}
}

func TestUnitTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		if seen[k.Kind] {
			t.Errorf("kind %s twice", k.Kind)
		}
		seen[k.Kind] = true
		if len(k.Units) == 0 {
			t.Errorf("kind %s has no units", k.Kind)
		}
		symbols := map[string]bool{}
		for _, u := range k.Units {
			symbols[u.Symbol] = true
		}
		for _, u := range k.Units {
			if sym, ok := NormalizeUnit(k.Kind, u.Symbol); !ok || sym != u.Symbol {
				t.Errorf("%s: symbol %q does not normalise to itself", k.Kind, u.Symbol)
			}
			for _, a := range u.Aliases {
				if symbols[a] {
					t.Errorf("%s: alias %q is also a symbol", k.Kind, a)
				}
				if sym, ok := NormalizeUnit(k.Kind, a); !ok || sym != u.Symbol {
					t.Errorf("%s: alias %q → %q, %v; want %q", k.Kind, a, sym, ok, u.Symbol)
				}
			}
		}
	}
	tests := []struct {
		kind, unit, want string
		ok               bool
	}{
		{"temperature", "degC", "°C", true},
		{"temperature", "℃", "°C", true},
		{"flow", "m3/h", "m³/h", true},
		{"vibration", "μm", "µm", true}, // Greek mu → micro sign
		{"vibration", "mm/sec", "mm/s", true},
		{"torque", "N·m", "Nm", true},
		{"speed", "1/min", "rpm", true},
		{"pressure", "MPA", "MPa", true},
		{"power", "mw", "mw", false}, // milliwatt or megawatt? refused, not guessed
		{"temperature", "bar", "bar", false},
		{"other", "bar", "bar", true},
		{"other", "degC", "°C", true},
		{"nonsense", "bar", "bar", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeUnit(tt.kind, tt.unit)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeUnit(%q, %q) = %q, %v; want %q, %v", tt.kind, tt.unit, got, ok, tt.want, tt.ok)
		}
	}
	if UnitsFor("nonsense") != nil || len(UnitsFor("other")) < 40 {
		t.Error("UnitsFor")
	}
	if k, ok := NormalizeKind(" VIB "); k != "vibration" || !ok {
		t.Errorf("NormalizeKind = %q, %v", k, ok)
	}
	if z, ok := ISO10816Zones("II"); !ok || z.BC != 2.8 || z.CD != 7.1 {
		t.Errorf("ISO10816Zones(II) = %v", z)
	}
	if _, ok := ISO10816Zones("V"); ok {
		t.Error("class V exists")
	}
	for _, s := range SpecKeys() {
		if !specKeyPattern.MatchString(s.Key) {
			t.Errorf("spec key %q", s.Key)
		}
	}
}

func TestCheck(t *testing.T) {
	p, _ := Template("pump")
	if err := Check(p, ValidateOptions{}); err != nil {
		t.Fatalf("Check(valid) = %v", err)
	}
	taken := func(id string) bool { return id == p.MachineID }
	err := Check(p, ValidateOptions{Exists: taken})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindBadInput || len(ae.Fields) != 1 || ae.Fields[0].Field != "machine_id" {
		t.Fatalf("Check(taken id) = %#v", err)
	}
	if err := Check(p, ValidateOptions{Exists: taken, EditingID: p.MachineID}); err != nil {
		t.Errorf("editing a machine under its own id: %v", err)
	}
}

func TestEncodeRefusesWhatAFormatCannotHold(t *testing.T) {
	p := testBase()
	p.Sensors[0].NormalMax = math.NaN()
	if _, err := Encode(p, FormatJSON); err == nil {
		t.Error("JSON encoded NaN")
	}
	if _, err := Encode(p, FormatYAML); err == nil {
		t.Error("YAML encoded NaN")
	}
	q := testBase()
	q.Description = strings.Repeat("x", 40000)
	if _, err := Encode(q, FormatXLSX); err == nil || !strings.Contains(err.Error(), "32767") {
		t.Errorf("XLSX with a 40 000-character cell: %v", err)
	}
}

// The package is used from concurrent jobs and requests: built-ins load once, calls share nothing.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := Fleet()[i]
			p.Sensors[0].Name = "mine"
			tp, _ := Template(Types()[i].Type)
			data, err := Encode(tp, Formats()[i%3])
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := Parse(data, Formats()[i%3], ValidateOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// XLSX-LAYOUT.md documents the unit table and the spec keys; keep it in step with the code.
func TestLayoutDocCoversTables(t *testing.T) {
	doc, err := os.ReadFile("XLSX-LAYOUT.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	for _, k := range Kinds() {
		if !strings.Contains(text, "| `"+k.Kind+"` |") {
			t.Errorf("kind %s is not in XLSX-LAYOUT.md", k.Kind)
		}
		for _, u := range k.Units {
			if !strings.Contains(text, "`"+u.Symbol+"`") {
				t.Errorf("unit %s of %s is not in XLSX-LAYOUT.md", u.Symbol, k.Kind)
			}
		}
	}
	for _, s := range SpecKeys() {
		if !strings.Contains(text, "`rated_specs."+s.Key+"`") {
			t.Errorf("spec %s is not in XLSX-LAYOUT.md", s.Key)
		}
	}
	for _, cols := range [][]column{sensorColumns, regimeColumns, failureModeColumns, effectColumns, actionColumns, machineRows} {
		for _, c := range cols {
			if !strings.Contains(text, "`"+c.header+"`") {
				t.Errorf("column %s is not in XLSX-LAYOUT.md", c.header)
			}
		}
	}
}
