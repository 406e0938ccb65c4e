package explain

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

func ptr[T any](v T) *T { return &v }

func fleet(t testing.TB, id string) profiles.Profile {
	t.Helper()
	p, err := profiles.FleetProfile(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bearingWearInput is a motor whose drive-end bearing is wearing: drive-end vibration beyond
// its warning limit, drive-end bearing temperature above normal, the rest normal.
func bearingWearInput(t testing.TB) Input {
	return Input{
		Profile:          fleet(t, "motor_siemens_1la7_001"),
		HealthState:      ptr(2),
		Probabilities:    []float64{0.03, 0.1, 0.82, 0.05},
		Confidence:       ptr(0.82),
		RUL:              ptr(120.0),
		RULLow:           ptr(80.0),
		RULHigh:          ptr(170.0),
		AnomalyScore:     ptr(0.91),
		AnomalyThreshold: ptr(0.7),
		TopFactors: []Factor{
			{Sensor: "vibration_de", Value: 4.8, Contribution: 0.45},
			{Sensor: "bearing_temp_de", Value: 78, Contribution: 0.25},
			{Sensor: "vibration_nde", Value: 2.4, Contribution: 0.1},
			{Sensor: "current", Value: 24, Contribution: 0.05},
		},
		Readings: map[string]float64{"bearing_temp_nde": 52, "winding_temp": 88, "voltage": 401, "speed": 1468},
	}
}

// checkSources asserts every source names an existing manual section.
func checkSources(t *testing.T, srcs []knowledge.Source) {
	t.Helper()
	ix := knowledge.Default()
	for _, s := range srcs {
		found := false
		for _, c := range ix.Chunks() {
			found = found || c.Source() == s
		}
		if !found {
			t.Errorf("source %v is not a section of the manuals", s)
		}
	}
}

func TestComposeBearingWear(t *testing.T) {
	e := Compose(bearingWearInput(t), nil)
	t.Logf("%+v", e)
	if e.Generator != GeneratorStructured || e.MachineID != "motor_siemens_1la7_001" {
		t.Fatalf("generator %q, machine %q", e.Generator, e.MachineID)
	}
	if len(e.LikelyCauses) == 0 || e.LikelyCauses[0] != "bearing_wear" {
		t.Fatalf("likely causes %v, want bearing_wear first", e.LikelyCauses)
	}
	for _, want := range []string{"health state 2 (Warning)", "82 %", "bearing wear (bearing_wear)", "vibration_de up (beyond its warning limit)", "bearing_temp_de up (outside its normal range)"} {
		if !strings.Contains(e.Summary, want) {
			t.Errorf("summary lacks %q: %s", want, e.Summary)
		}
	}
	if len(e.RiskFactors) < 3 || !strings.HasPrefix(e.RiskFactors[0], "vibration_de 4.8 mm/s is beyond its warning limit (warning 3.5 mm/s; trip 7.1 mm/s") ||
		!strings.Contains(e.RiskFactors[0], "ISO 10816 class II zone C") || !strings.HasPrefix(e.RiskFactors[1], "bearing_temp_de 78 °C is outside its normal range") {
		t.Errorf("risk factors %q", e.RiskFactors)
	}
	var actions []string
	for _, r := range e.Recommendations {
		actions = append(actions, r.Action)
		if r.Priority != "high" && r.Priority != "medium" && r.Priority != "low" || r.Rationale == "" {
			t.Errorf("recommendation %+v", r)
		}
	}
	joined := strings.Join(actions, "\n")
	for _, want := range []string{"Run an envelope (demodulation) spectrum on the drive-end bearing", "Regrease the drive-end bearing", "Replace the drive-end bearing"} {
		if !strings.Contains(joined, want) {
			t.Errorf("recommendations lack %q:\n%s", want, joined)
		}
	}
	if e.Recommendations[0].Priority != "high" { // health state 2 escalates the confirmation
		t.Errorf("first recommendation %+v", e.Recommendations[0])
	}
	for _, want := range []knowledge.Source{
		{Document: "Electric motor maintenance manual", Section: "Failure modes > Bearing wear (bearing_wear)"},
		{Document: "Electric motor maintenance manual", Section: "Sensors and limits > Vibration (vibration_de, vibration_nde)"},
		{Document: "Condition monitoring basics", Section: "Reading PdM Studio's predictions > Health states"},
		{Document: "Condition monitoring basics", Section: "Vibration analysis > ISO 10816 and ISO 20816 vibration zones"},
	} {
		if !slices.Contains(e.Sources, want) {
			t.Errorf("sources lack %v: %v", want, e.Sources)
		}
	}
	checkSources(t, e.Sources)
}

func TestComposeOtherSituations(t *testing.T) {
	cases := []struct {
		name, machine string
		in            func(in Input) Input
		cause         string   // expected first likely cause ("" = none)
		summary       []string // substrings of the summary
		action        string   // substring of some recommendation
		firstPriority string
	}{
		{"pump cavitation", "pump_ksb_etanorm_005", func(in Input) Input {
			in.TopFactors = []Factor{{Sensor: "suction_pressure", Value: 0.4, Contribution: 0.5}, {Sensor: "vibration", Value: 3.2, Contribution: 0.3},
				{Sensor: "flow", Value: 26, Contribution: 0.1}}
			return in
		}, "cavitation", []string{"cavitation (cavitation)", "suction_pressure down"}, "Clean the suction strainer", "high"},
		{"compressor inlet filter", "compressor_atlas_copco_ga37_007", func(in Input) Input {
			in.HealthState = ptr(1)
			in.TopFactors = []Factor{{Sensor: "inlet_filter_dp", Value: 65, Contribution: 0.6}, {Sensor: "free_air_delivery", Value: 1.9, Contribution: 0.2},
				{Sensor: "motor_current", Value: 22, Contribution: 0.1}}
			return in
		}, "inlet_filter_clogging", []string{"health state 1 (Degrading)", "inlet filter clogging"}, "Replace the air inlet filter element", ""},
		{"chiller refrigerant leak", "chiller_carrier_30xa_021", func(in Input) Input {
			in.TopFactors = []Factor{{Sensor: "evaporator_pressure", Value: 1.7, Contribution: 0.4}, {Sensor: "suction_superheat", Value: 16, Contribution: 0.3},
				{Sensor: "chilled_water_supply_temp", Value: 8.5, Contribution: 0.2}}
			return in
		}, "refrigerant_leak", []string{"refrigerant leak"}, "leak-test with an electronic detector", ""},
		{"gearbox oil loss", "gearbox_sew_r97_013", func(in Input) Input {
			in.TopFactors = []Factor{{Sensor: "oil_level", Value: 55, Contribution: 0.5}, {Sensor: "oil_temp", Value: 88, Contribution: 0.3}}
			return in
		}, "lubrication_loss", []string{"lubrication loss"}, "Top up with the specified oil grade", "high"},
		{"healthy", "fan_systemair_axc800_009", func(in Input) Input {
			in.HealthState, in.Confidence = ptr(0), ptr(0.97)
			in.Readings = map[string]float64{"vibration": 1.2, "bearing_temp": 45, "airflow": 30000}
			return in
		}, "", []string{"health state 0 (Healthy)", "within their normal ranges"}, "routine monitoring", "low"},
		{"unexplained reading", "motor_weg_w22_003", func(in Input) Input {
			in.Readings = map[string]float64{"voltage": 350}
			return in
		}, "", []string{"one reading is outside the normal range (voltage)"}, "Check the voltage measurement", "medium"},
		{"trip", "pump_grundfos_cr3_004", func(in Input) Input {
			in.HealthState = ptr(3)
			in.TopFactors = []Factor{{Sensor: "seal_temp", Value: 90, Contribution: 0.7}, {Sensor: "vibration", Value: 2.0, Contribution: 0.1}}
			return in
		}, "mechanical_seal_failure", []string{"Critical", "mechanical seal failure"}, "Reduce the load or stop the machine", "high"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := Compose(tc.in(Input{Profile: fleet(t, tc.machine)}), nil)
			if tc.cause == "" && len(e.LikelyCauses) > 0 || tc.cause != "" && (len(e.LikelyCauses) == 0 || e.LikelyCauses[0] != tc.cause) {
				t.Errorf("likely causes %v, want %q", e.LikelyCauses, tc.cause)
			}
			for _, s := range tc.summary {
				if !strings.Contains(e.Summary, s) {
					t.Errorf("summary lacks %q: %s", s, e.Summary)
				}
			}
			found := false
			for _, r := range e.Recommendations {
				found = found || strings.Contains(r.Action, tc.action)
			}
			if !found {
				t.Errorf("no recommendation with %q: %+v", tc.action, e.Recommendations)
			}
			if tc.firstPriority != "" && e.Recommendations[0].Priority != tc.firstPriority {
				t.Errorf("first recommendation %+v, want priority %s", e.Recommendations[0], tc.firstPriority)
			}
			if tc.cause != "" && len(e.Sources) == 0 {
				t.Error("no sources")
			}
			checkSources(t, e.Sources)
			t.Logf("%s\n%q", e.Summary, e.Recommendations)
		})
	}
}

func TestValidateAndAtRisk(t *testing.T) {
	in := Input{Profile: fleet(t, "fan_systemair_axc800_009"), HealthState: ptr(5), Probabilities: []float64{1}, Confidence: ptr(2.0),
		TopFactors: []Factor{{Sensor: ""}}}
	err := in.Validate()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindBadInput || len(ae.Fields) != 4 {
		t.Fatalf("Validate = %#v", err)
	}
	if err := (Input{}).Validate(); err == nil {
		t.Error("no profile accepted")
	}
	empty := Compose(Input{Profile: fleet(t, "fan_systemair_axc800_009")}, nil)
	if HasData(Input{}) || !strings.Contains(empty.Summary, "no prediction and no readings are available yet") || len(empty.Recommendations) != 1 {
		t.Errorf("no data: %+v", empty)
	}
	healthy := Input{Profile: fleet(t, "fan_systemair_axc800_009"), HealthState: ptr(0), Readings: map[string]float64{"vibration": 1}}
	warn := healthy
	warn.Readings = map[string]float64{"vibration": 3.6}
	short := healthy
	short.RUL = ptr(100.0)
	if AtRisk(healthy) || !AtRisk(warn) || !AtRisk(short) || !AtRisk(bearingWearInput(t)) {
		t.Errorf("AtRisk: healthy %v, warning %v, short RUL %v", AtRisk(healthy), AtRisk(warn), AtRisk(short))
	}
	if got := SelectAtRisk([]Input{healthy, warn, short}); len(got) != 2 {
		t.Errorf("SelectAtRisk kept %d", len(got))
	}
	if s := ProfileSummary(fleet(t, "motor_siemens_1la7_001")); !strings.Contains(s, "- vibration_de: 0.34–2.24 mm/s; warning above 3.5; trip above 7.1") ||
		!strings.Contains(s, "- bearing_wear: vibration_de↑") || !strings.Contains(s, "electric motor, Siemens 1LA7 163-4AA60") {
		t.Errorf("ProfileSummary:\n%s", s)
	}
}

func TestSaveAndBatch(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := bearingWearInput(t)
	tx, _ := st.DB.BeginTx(ctx, nil)
	if err := store.InsertMachine(ctx, tx, store.MachineRow{ID: "u1", MachineID: in.Profile.MachineID, MachineType: "motor", CreatedAt: store.Now(), UpdatedAt: store.Now()}); err != nil {
		t.Fatal(err)
	}
	tx.Commit()

	e, err := Explain(ctx, in, Options{Store: st})
	if err != nil || e.ID == "" {
		t.Fatalf("Explain: %+v, %v", e, err)
	}
	rows, err := st.ListExplanations(ctx, in.Profile.MachineID, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("stored: %+v, %v", rows, err)
	}
	back := FromRow(rows[0])
	back.LikelyCauses = e.LikelyCauses // not stored
	if back.Summary != e.Summary || !slices.Equal(back.Sources, e.Sources) || len(back.Recommendations) != len(e.Recommendations) || back.Generator != GeneratorStructured {
		t.Errorf("round trip:\n%+v\n%+v", back, e)
	}

	bad := Input{Profile: fleet(t, "pump_ksb_etanorm_005"), HealthState: ptr(9)}
	pump := Input{Profile: fleet(t, "pump_ksb_etanorm_005"), HealthState: ptr(1), TopFactors: []Factor{{Sensor: "seal_temp", Value: 75, Contribution: 1}}}
	var reports []float64
	res, err := Batch(ctx, []Input{in, bad, pump}, Options{}, progressFunc(func(stage string, f float64, m map[string]any) {
		if stage != "explaining" || m["total"] != 3 {
			t.Errorf("report %s %v %v", stage, f, m)
		}
		reports = append(reports, f)
	}))
	if err != nil || len(res.Explanations) != 2 || len(res.Failed) != 1 || res.Failed[0].MachineID != "pump_ksb_etanorm_005" {
		t.Fatalf("Batch = %+v, %v", res, err)
	}
	if !slices.Equal(reports, []float64{0, 1.0 / 3, 2.0 / 3, 1}) {
		t.Errorf("progress %v", reports)
	}

	// Cancelled after the first machine: what is done comes back with the context's error.
	cctx, cancel := context.WithCancel(ctx)
	res, err = Batch(cctx, []Input{in, pump, in}, Options{}, progressFunc(func(_ string, _ float64, m map[string]any) {
		if m["done"] == 1 {
			cancel()
		}
	}))
	if !errors.Is(err, context.Canceled) || len(res.Explanations) != 1 {
		t.Errorf("cancelled batch: %d explanations, %v", len(res.Explanations), err)
	}
}

type progressFunc func(string, float64, map[string]any)

func (f progressFunc) Report(stage string, frac float64, m map[string]any) { f(stage, frac, m) }

func TestPromptHoldsTheFacts(t *testing.T) {
	in := bearingWearInput(t)
	a := Analyze(in)
	msgs := Prompt(in, a, gather(in, a, knowledge.Default(), 4))
	if len(msgs) != 2 || msgs[0].Role != "system" || msgs[1].Role != "user" {
		t.Fatalf("messages %+v", msgs)
	}
	p := msgs[1].Content
	for _, want := range []string{
		"Machine motor_siemens_1la7_001", "Prediction: health state 2 (Warning)", "- vibration_de 4.8 mm/s is beyond its warning limit",
		"- bearing_wear (matches vibration_de, vibration_nde, bearing_temp_de", "action (soon): Regrease the drive-end bearing",
		"[1] Electric motor maintenance manual › Failure modes > Bearing wear (bearing_wear)", "**Confirm.** Run an envelope",
	} {
		if !strings.Contains(p, want) {
			t.Errorf("prompt lacks %q", want)
		}
	}
	if g, err := Schema.Grammar(); err != nil || !strings.Contains(g, `"\"high\"" | "\"medium\"" | "\"low\""`) {
		t.Errorf("schema grammar: %v", err)
	}
	if os.Getenv("PDMSTUDIO_SHOW_PROMPT") != "" {
		t.Log(msgs[0].Content + "\n\n" + p)
	}
}
