package knowledge

import (
	"slices"
	"strings"
	"testing"

	"pdmstudio/backend/profiles"
)

// maxChunk bounds a section's text so that a few passages fit a small model's prompt.
const maxChunk = 3000

// TestManualConventions checks what the explainer and the assistant rely on: a manual for
// every machine type, a section with "Confirm." and "Act." for every failure mode of the
// built-in profiles, lockout/tagout guidance, and sections small enough to cite.
func TestManualConventions(t *testing.T) {
	ix := Default()
	modes := map[string]map[string]bool{}
	var all []profiles.Profile
	all = append(all, profiles.Fleet()...)
	for _, ti := range profiles.Types() {
		tp, err := profiles.Template(ti.Type)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, tp)
	}
	for _, p := range all {
		if modes[p.MachineType] == nil {
			modes[p.MachineType] = map[string]bool{}
		}
		for _, fm := range p.FailureModes {
			modes[p.MachineType][fm.Name] = true
		}
	}
	if len(profiles.Types()) != 10 {
		t.Errorf("%d machine types", len(profiles.Types()))
	}
	for _, ti := range profiles.Types() {
		doc, ok := ix.Manual(ti.Type)
		if !ok {
			t.Errorf("no manual for %s", ti.Type)
			continue
		}
		if !strings.Contains(doc.Markdown, "## Safety") || !strings.Contains(strings.ToLower(doc.Markdown), "lock") {
			t.Errorf("%s: no safety section with lockout", ti.Type)
		}
		for _, want := range []string{"## Sensors and limits", "## Failure modes", "## Symptom, cause and action", "## Maintenance procedures"} {
			if !strings.Contains(doc.Markdown, want) {
				t.Errorf("%s: no %q", ti.Type, want)
			}
		}
		for fm := range modes[ti.Type] {
			c, ok := ix.FailureMode(ti.Type, fm)
			if !ok {
				t.Errorf("%s: no section for failure mode %s", ti.Type, fm)
				continue
			}
			if !strings.HasPrefix(c.Section, "Failure modes > ") || c.Paragraph("Confirm.") == "" || len(ListItems(c.Paragraph("Act."))) == 0 {
				t.Errorf("%s: section %q lacks Confirm./Act. items", ti.Type, c.Section)
			}
			if !strings.Contains(c.Text, "**Signature in PdM Studio.**") {
				t.Errorf("%s: section %q lacks the signature", ti.Type, c.Section)
			}
		}
	}
	if _, ok := ix.Document("condition-monitoring"); !ok {
		t.Error("no general condition-monitoring document")
	}
	seen := map[string]bool{}
	for _, c := range ix.Chunks() {
		key := c.DocID + "|" + c.Section
		if seen[key] {
			t.Errorf("%s: section %q twice", c.DocID, c.Section)
		}
		seen[key] = true
		if len(c.Text) > maxChunk {
			t.Errorf("%s › %s is %d characters (max %d): split it", c.DocID, c.Section, len(c.Text), maxChunk)
		}
	}
	t.Logf("%d documents, %d chunks", len(ix.Documents()), len(ix.Chunks()))
}

func TestParse(t *testing.T) {
	doc, chunks, err := Parse("x", "motor", "# Title\n\nIntro text.\n\n## A\n\nText A.\n\n### B (`b_mode`)\n\n**Act.**\n- one\n- two\n\n```\n# not a heading\n```\n\n## C\n\n## D\nText D.\n")
	if err != nil {
		t.Fatal(err)
	}
	var sections []string
	for _, c := range chunks {
		sections = append(sections, c.Section)
	}
	if doc.Title != "Title" || !slices.Equal(sections, []string{"Introduction", "A", "A > B (b_mode)", "D"}) {
		t.Fatalf("title %q, sections %q", doc.Title, sections)
	}
	b := chunks[2]
	if b.Heading != "B (b_mode)" || b.Level != 3 || !strings.Contains(b.Text, "# not a heading") ||
		!slices.Equal(ListItems(b.Paragraph("Act.")), []string{"one", "two"}) || b.Source() != (Source{"Title", "A > B (b_mode)"}) {
		t.Errorf("chunk B = %+v", b)
	}
	for _, tc := range []struct{ name, md, want string }{
		{"no title", "## A\ntext", "before the"},
		{"text first", "hello\n# T", "text before"},
		{"two titles", "# T\n# U", "second"},
		{"skipped level", "# T\n### deep", "skips a level"},
		{"empty", "", "no \"# Title\""},
	} {
		if _, _, err := Parse(tc.name, "", tc.md); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestTerms(t *testing.T) {
	for in, want := range map[string][]string{
		"Bearing temperatures are rising":   {"bear", "temperatur", "rise"},
		"brg temp high on the DE":           {"bear", "temperatur", "high", "drive", "end"},
		"vibration_de 4.5 mm/s":             {"vibrat", "drive", "end", "4", "5", "mm"},
		"What is the RUL?":                  {"remain", "use", "life"},
		"ISO 10816 vibrating and vibration": {"iso", "10816", "vibrat", "vibrat"},
	} {
		if got := Terms(in); !slices.Equal(got, want) {
			t.Errorf("Terms(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSearchQuality pins the ranking for questions engineers ask: the expected document and
// section must come first.
func TestSearchQuality(t *testing.T) {
	ix := Default()
	cases := []struct {
		query, machineType string
		want               []string // acceptable top hits: "doc › section substring"
	}{
		// The machine in view is passed as the machine type; a question may also just name it.
		{"bearing temperature", "motor", []string{"motor › Bearing"}},
		{"bearing temperature on a motor", "", []string{"motor › Bearing"}},
		{"Why is the bearing temperature high on my motor?", "", []string{"motor › Bearing", "motor › Symptom, cause and action"}},
		{"drive end bearing temp rising and vibration up", "motor", []string{"motor › Bearing wear"}},
		{"crackling noise at the suction, suction pressure low", "pump", []string{"pump › Cavitation"}},
		{"seal temperature high and leaking", "pump", []string{"pump › Mechanical seal"}},
		{"separator pressure drop rising", "compressor", []string{"compressor › Oil separator clogging"}},
		{"ball screw backlash", "cnc", []string{"cnc › Ball screw wear"}},
		{"spindle load rises until the tool is changed", "cnc", []string{"cnc › Tool wear"}},
		{"fan vibrates at 1x running speed, dirty blades", "fan", []string{"fan › Rotor imbalance"}},
		{"oil level falling gearbox", "gearbox", []string{"gearbox › Lubrication loss"}},
		{"belt slipping on the drive pulley, tension low", "conveyor", []string{"conveyor › Belt wear and stretch", "conveyor › Symptom, cause and action"}},
		{"case drain flow increasing", "hydraulic_press", []string{"hydraulic_press › Pump wear"}},
		{"lockout accumulator before opening the hydraulic lines", "hydraulic_press", []string{"hydraulic_press › Safety"}},
		{"exhaust gas temperature up, power down, recovers after a water wash", "turbine", []string{"turbine › Compressor fouling", "turbine › Symptom, cause and action"}},
		{"high superheat and low evaporator pressure", "chiller", []string{"chiller › Refrigerant leak"}},
		{"ISO 10816 zone boundaries for class II", "", []string{"condition-monitoring › ISO 10816"}},
		{"what does health state 2 warning mean", "", []string{"condition-monitoring › Health states"}},
		{"how should I read the remaining useful life interval", "", []string{"condition-monitoring › Remaining useful life"}},
		{"ISO 4406 cleanliness code", "", []string{"condition-monitoring › Oil analysis", "hydraulic_press › Maintenance procedures > Hydraulic oil sampling"}},
	}
	for _, tc := range cases {
		got := ix.Search(tc.query, SearchOptions{MachineType: tc.machineType})
		if len(got) == 0 {
			t.Errorf("%q: no results", tc.query)
			continue
		}
		top := got[0]
		ok := false
		for _, w := range tc.want {
			doc, sec, _ := strings.Cut(w, " › ")
			ok = ok || top.DocID == doc && strings.Contains(top.Section, sec)
		}
		if !ok {
			var ranked []string
			for _, p := range got {
				ranked = append(ranked, p.DocID+" › "+p.Section)
			}
			t.Errorf("%q (%s): top %s › %s, want one of %q; ranking %q", tc.query, tc.machineType, top.DocID, top.Section, tc.want, ranked)
		}
	}

	// Only keeps to the machine's manual and the general documents.
	for _, p := range ix.Search("bearing wear vibration", SearchOptions{MachineType: "pump", Only: true, Limit: 20}) {
		if p.MachineType != "" && p.MachineType != "pump" {
			t.Errorf("Only pump returned %s › %s", p.DocID, p.Section)
		}
	}
	if got := ix.Search("the and of", SearchOptions{}); got != nil {
		t.Errorf("stop words only: %v", got)
	}
	if got := ix.Search("bearing", SearchOptions{Limit: 3}); len(got) != 3 || got[0].Score < got[2].Score {
		t.Errorf("limit 3: %d results", len(got))
	}
}

func BenchmarkSearch(b *testing.B) {
	ix := Default()
	for b.Loop() {
		ix.Search("drive end bearing temperature rising with vibration", SearchOptions{MachineType: "motor"})
	}
}

func TestMachineTypeIn(t *testing.T) {
	for in, want := range map[string]string{
		"Why is my pump noisy?":                "pump",
		"bearing temperature on the motor":     "motor",
		"the pump motor is hot":                "",
		"ISO 10816 zones":                      "",
		"spindle bearing of the lathe":         "cnc",
		"hydraulic press accumulator lockout":  "hydraulic_press",
		"Chillers and their refrigerant leaks": "chiller",
	} {
		if got := MachineTypeIn(in); got != want {
			t.Errorf("MachineTypeIn(%q) = %q, want %q", in, got, want)
		}
	}
	for _, ti := range profiles.Types() {
		if _, ok := typeWords[ti.Type]; !ok {
			t.Errorf("no words for machine type %s", ti.Type)
		}
	}
}
