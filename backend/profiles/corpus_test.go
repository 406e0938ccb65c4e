package profiles

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pdmstudio/backend/apperr"
)

// The invalid corpus (testdata/invalid) holds malformed profiles in all three formats. Each file
// NAME.EXT has a sidecar NAME.EXT.expect listing, one per line, the field paths that importing it must
// report (exactly those), or "!file" for a file that cannot be read at all (an error without field
// problems). Lines starting with # describe the case. Importing is Parse with an id check in which
// only "motor_taken_001" is taken. The CLI tests use the same files (exit code 2, store unchanged).
//
// The files are generated from corpusCases; regenerate them after changing a case with
//
//	go test ./backend/profiles -run TestInvalidCorpus -update-invalid

var updateInvalid = flag.Bool("update-invalid", false, "rewrite testdata/invalid from corpusCases")

const corpusDir = "testdata/invalid"

// TakenID is the machine id the invalid corpus treats as already taken.
const corpusTakenID = "motor_taken_001"

type corpusCase struct {
	file   string
	about  string
	build  func(t testing.TB) []byte
	expect []string
}

// text helpers for building cases from the encoded test profile.
func baseText(t testing.TB, f Format) string { return string(mustEncode(t, testBase(), f)) }

func replaceOnce(t testing.TB, s, old, new string) string {
	if !strings.Contains(s, old) {
		t.Fatalf("corpus: %q not found", old)
	}
	return strings.Replace(s, old, new, 1)
}

func fromProfile(f Format, mutate func(p *Profile)) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		p := testBase()
		mutate(&p)
		return mustEncode(t, p, f)
	}
}

func fromText(f Format, edit func(t testing.TB, s string) string) func(testing.TB) []byte {
	return func(t testing.TB) []byte { return []byte(edit(t, baseText(t, f))) }
}

func fromXLSX(edit func(f *excelize.File) error) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		f, err := excelize.OpenReader(bytes.NewReader(mustEncode(t, testBase(), FormatXLSX)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := edit(f); err != nil {
			t.Fatal(err)
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
}

var corpusCases = []corpusCase{
	// ---- JSON ----
	{"missing_required_fields.json", "machine_id and site are absent",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			s = replaceOnce(t, s, "  \"machine_id\": \"motor_test_001\",\n", "")
			return replaceOnce(t, s, "  \"site\": \"Hamburg Plant\",\n", "")
		}), []string{"machine_id", "site"}},
	{"machine_id_invalid_chars.json", "upper case and a dash in the id",
		fromProfile(FormatJSON, func(p *Profile) { p.MachineID = "Motor-01" }), []string{"machine_id"}},
	{"machine_id_too_short.json", "two-character id",
		fromProfile(FormatJSON, func(p *Profile) { p.MachineID = "ab" }), []string{"machine_id"}},
	{"machine_id_taken.json", "the id motor_taken_001 already exists (the test store must hold it)",
		fromProfile(FormatJSON, func(p *Profile) { p.MachineID = corpusTakenID }), []string{"machine_id"}},
	{"unknown_machine_type.json", "machine_type is not one of the known types",
		fromProfile(FormatJSON, func(p *Profile) { p.MachineType = "mixer" }), []string{"machine_type"}},
	{"no_sensors.json", "an empty sensor list",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			i, j := strings.Index(s, `"sensors": [`), strings.Index(s, `"regimes": [`)
			return s[:i] + `"sensors": [],` + "\n  " + s[j:]
		}), []string{"sensors"}},
	{"too_many_sensors.json", "51 sensors (at most 50)",
		fromProfile(FormatJSON, func(p *Profile) {
			for i := range 47 {
				s := p.Sensors[3]
				s.Name = fmt.Sprintf("extra_%02d", i)
				p.Sensors = append(p.Sensors, s)
			}
		}), []string{"sensors"}},
	{"duplicate_sensor_names.json", "two sensors named vibration",
		fromProfile(FormatJSON, func(p *Profile) { p.Sensors[3].Name = "vibration" }), []string{"sensors[3].name"}},
	{"normal_min_above_max.json", "normal range upside down",
		fromProfile(FormatJSON, func(p *Profile) { p.Sensors[0].NormalMin, p.Sensors[0].NormalMax = 70, 35 }), []string{"sensors[0].normal_min"}},
	{"threshold_outside_physical_range.json", "trip_high 160 °C on a sensor that reads up to 150 °C",
		fromProfile(FormatJSON, func(p *Profile) { p.Sensors[0].TripHigh = ptr(160) }), []string{"sensors[0].trip_high"}},
	{"warning_above_trip.json", "the high-side warning comes after the trip",
		fromProfile(FormatJSON, func(p *Profile) { p.Sensors[0].WarningHigh = ptr(99) }), []string{"sensors[0].warning_high"}},
	{"number_as_string.json", "a quoted number",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			return replaceOnce(t, s, `"normal_min": 35,`, `"normal_min": "35",`)
		}), []string{"sensors[0].normal_min"}},
	{"sensors_not_a_list.json", "sensors is an object, not a list",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			i, j := strings.Index(s, `"sensors": [`), strings.Index(s, `"regimes": [`)
			return s[:i] + `"sensors": {"name": "bearing_temp"},` + "\n  " + s[j:]
		}), []string{"sensors"}},
	{"unknown_unit.json", "a unit the table does not know",
		fromProfile(FormatJSON, func(p *Profile) { p.Sensors[2].Unit = "furlong" }), []string{"sensors[2].unit"}},
	{"unit_of_wrong_kind.json", "a temperature sensor in bar",
		fromProfile(FormatJSON, func(p *Profile) { p.Sensors[0].Unit = "bar" }), []string{"sensors[0].unit"}},
	{"effect_unknown_sensor.json", "a failure effect names a sensor that does not exist",
		fromProfile(FormatJSON, func(p *Profile) { p.FailureModes[0].Effects[1].Sensor = "bearing_tmp" }), []string{"failure_modes[0].effects[1].sensor"}},
	{"regime_probabilities_sum.json", "regime probabilities sum to 0.9",
		fromProfile(FormatJSON, func(p *Profile) { p.Regimes[1].Probability = 0.2 }), []string{"regimes"}},
	{"truncated.json", "the file ends half-way",
		func(t testing.TB) []byte { b := mustEncode(t, testBase(), FormatJSON); return b[:len(b)/2] }, []string{"!file"}},
	{"not_utf8.json", "Latin-1 encoded text",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			return replaceOnce(t, s, "Hamburg Plant", "M\xfcnchen Plant")
		}), []string{"!file"}},
	{"deeply_nested.json", "a value nested 1000 levels deep",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			return replaceOnce(t, s, `"line": "Line 1",`, `"line": `+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)+",")
		}), []string{"!file"}},
	{"nan_literal.json", "NaN is not JSON",
		fromText(FormatJSON, func(t testing.TB, s string) string {
			return replaceOnce(t, s, `"normal_max": 70,`, `"normal_max": NaN,`)
		}), []string{"!file"}},
	{"many_errors_at_once.json", "five unrelated problems, all reported together",
		fromProfile(FormatJSON, func(p *Profile) {
			p.MachineID = "motor 1"
			p.Sensors[2].Unit = "amps please"
			p.FailureModes[0].Effects[0].Direction = 2
			p.Regimes[0].LoadFraction = 3
			p.VLM.ReferenceImagePath = "/etc/passwd"
		}), []string{"machine_id", "sensors[2].unit", "failure_modes[0].effects[0].direction", "regimes[0].load_fraction", "vlm.reference_image_path"}},

	// ---- YAML ----
	{"alias_bomb.yaml", "billion laughs: nine levels of nine aliases",
		func(t testing.TB) []byte {
			s := "lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
			for c := 'b'; c <= 'j'; c++ {
				p := string(c - 1)
				s += fmt.Sprintf("l%c: &%c [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", c, c, p, p, p, p, p, p, p, p, p)
			}
			return []byte(s + "description: *j\n" + baseText(t, FormatYAML))
		}, []string{"!file"}},
	{"unknown_field_typo.yaml", "nomral_max instead of normal_max",
		fromText(FormatYAML, func(t testing.TB, s string) string {
			return replaceOnce(t, s, "normal_max: 70", "nomral_max: 70")
		}), []string{"sensors[0].nomral_max", "sensors[0].normal_max"}},
	{"failure_modes_not_a_list.yaml", "failure_modes is a string",
		fromText(FormatYAML, func(t testing.TB, s string) string {
			i := strings.Index(s, "failure_modes:")
			j := strings.Index(s, "vlm:")
			return s[:i] + "failure_modes: bearing wear\n" + s[j:]
		}), []string{"failure_modes"}},
	{"missing_physical_max.yaml", "a sensor without physical_max",
		fromText(FormatYAML, func(t testing.TB, s string) string {
			return replaceOnce(t, s, "    physical_max: 50\n", "")
		}), []string{"sensors[1].physical_max"}},
	{"effect_direction_zero.yaml", "direction must be +1 or -1",
		fromProfile(FormatYAML, func(p *Profile) { p.FailureModes[0].Effects[0].Direction = 0 }), []string{"failure_modes[0].effects[0].direction"}},
	{"iso10816_zone_violation.yaml", "normal vibration of up to 3.2 mm/s lies in zone C of class II",
		fromProfile(FormatYAML, func(p *Profile) { p.Sensors[1].NormalMax = 3.2 }), []string{"sensors[1].normal_max"}},
	{"weibull_invalid.yaml", "negative Weibull shape and an unknown distribution",
		fromProfile(FormatYAML, func(p *Profile) {
			p.FailureModes[1].TimeToFailure.Shape = -1
			p.FailureModes[1].TimeToFailure.Distribution = "lognormal"
		}),
		[]string{"failure_modes[1].time_to_failure.shape", "failure_modes[1].time_to_failure.distribution"}},
	{"two_documents.yaml", "two YAML documents in one file",
		func(t testing.TB) []byte { s := baseText(t, FormatYAML); return []byte(s + "---\n" + s) }, []string{"!file"}},
	{"too_many_key_sensors.yaml", "four sensors marked key",
		fromProfile(FormatYAML, func(p *Profile) { p.Sensors[3].Key = true }), []string{"sensors"}},
	{"bad_progression_and_urgency.yaml", "values outside the allowed lists",
		fromProfile(FormatYAML, func(p *Profile) {
			p.FailureModes[0].Progression = "sudden"
			p.FailureModes[0].Actions[0].Urgency = "whenever"
		}),
		[]string{"failure_modes[0].progression", "failure_modes[0].actions[0].urgency"}},
	{"tab_indentation.yaml", "indentation with tabs",
		fromText(FormatYAML, func(t testing.TB, s string) string {
			return replaceOnce(t, s, "  power_kw: 15", "\tpower_kw: 15")
		}), []string{"!file"}},
	{"newer_schema_version.yaml", "written by a future version",
		fromProfile(FormatYAML, func(p *Profile) { p.SchemaVersion = 7 }), []string{"schema_version"}},
	{"vlm_path_traversal.yaml", "reference image outside the machine folder",
		fromProfile(FormatYAML, func(p *Profile) { p.VLM.ReferenceImagePath = "../../other_machine/secret.jpg" }), []string{"vlm.reference_image_path"}},
	{"nan_and_infinity.yaml", "YAML .nan and .inf are not finite numbers",
		fromText(FormatYAML, func(t testing.TB, s string) string {
			s = replaceOnce(t, s, "normal_max: 70", "normal_max: .nan")
			return replaceOnce(t, s, "trip_high: 95", "trip_high: .inf")
		}), []string{"sensors[0].normal_max", "sensors[0].trip_high"}},
	{"not_utf8.yaml", "Windows-1252 encoded text",
		fromText(FormatYAML, func(t testing.TB, s string) string {
			return replaceOnce(t, s, "site: Hamburg Plant", "site: K\xf6ln \x96 Plant")
		}), []string{"!file"}},

	// ---- XLSX ----
	{"missing_sensors_sheet.xlsx", "the Sensors sheet was deleted",
		fromXLSX(func(f *excelize.File) error { return f.DeleteSheet(sheetSensors) }), []string{"sensors"}},
	{"missing_machine_sheet.xlsx", "no Machine sheet: not a profile workbook",
		fromXLSX(func(f *excelize.File) error { return f.DeleteSheet(sheetMachine) }), []string{"!file"}},
	{"text_in_number_cell.xlsx", "normal_max of the vibration sensor says \"high\"",
		fromXLSX(func(f *excelize.File) error { return f.SetCellStr(sheetSensors, "F3", "high") }), []string{"sensors[1].normal_max"}},
	{"unknown_column.xlsx", "a column header nobody knows",
		fromXLSX(func(f *excelize.File) error { return f.SetCellStr(sheetSensors, "Q1", "calibration_date") }), []string{"sensors"}},
	{"effect_for_unknown_failure_mode.xlsx", "an Effects row names a failure mode that is not on the FailureModes sheet",
		fromXLSX(func(f *excelize.File) error { return f.SetCellStr(sheetEffects, "A2", "bearing_waer") }), []string{"failure_modes"}},
	{"duplicate_sensor_name.xlsx", "two rows named vibration",
		fromXLSX(func(f *excelize.File) error { return f.SetCellStr(sheetSensors, "A5", "vibration") }), []string{"sensors[3].name"}},
	{"missing_machine_id.xlsx", "the machine_id value is empty",
		fromXLSX(func(f *excelize.File) error { return f.SetCellValue(sheetMachine, "B3", nil) }), []string{"machine_id"}},
	{"regimes_and_thresholds.xlsx", "probabilities sum to 0.8 and a warning above its trip",
		fromXLSX(func(f *excelize.File) error {
			if err := f.SetCellFloat(sheetRegimes, "D2", 0.5, -1, 64); err != nil {
				return err
			}
			return f.SetCellFloat(sheetSensors, "I2", 99, -1, 64)
		}), []string{"regimes", "sensors[0].warning_high"}},
	{"truncated.xlsx", "the download stopped half-way",
		func(t testing.TB) []byte { b := mustEncode(t, testBase(), FormatXLSX); return b[:len(b)/2] }, []string{"!file"}},
	{"not_a_workbook.xlsx", "a CSV file renamed to .xlsx",
		func(t testing.TB) []byte { return []byte("machine_id;machine_type\nmotor_x_001;motor\n") }, []string{"!file"}},
	{"zip_bomb.xlsx", "a sheet that unpacks to 200 MB",
		func(t testing.TB) []byte { return zipBomb(t) }, []string{"!file"}},
	{"too_many_rows.xlsx", "3000 rows on the Machine sheet",
		func(t testing.TB) []byte { return bigSheet(t, 3000, 1) }, []string{"!file"}},
}

func TestInvalidCorpus(t *testing.T) {
	if *updateInvalid {
		old, _ := filepath.Glob(filepath.Join(corpusDir, "*.*"))
		for _, f := range old {
			if filepath.Base(f) != "README.md" {
				os.Remove(f)
			}
		}
		for _, c := range corpusCases {
			if err := os.WriteFile(filepath.Join(corpusDir, c.file), c.build(t), 0o644); err != nil {
				t.Fatal(err)
			}
			expect := "# " + c.about + "\n" + strings.Join(c.expect, "\n") + "\n"
			if err := os.WriteFile(filepath.Join(corpusDir, c.file+".expect"), []byte(expect), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, err := filepath.Glob(filepath.Join(corpusDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	formats := map[Format]int{}
	n := 0
	for _, file := range files {
		base := filepath.Base(file)
		if strings.HasSuffix(base, ".expect") || base == "README.md" {
			continue
		}
		n++
		t.Run(base, func(t *testing.T) {
			format, err := FormatFromFilename(base)
			if err != nil {
				t.Fatal(err)
			}
			formats[format]++
			want, err := readExpect(file)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(data, format, ValidateOptions{Exists: func(id string) bool { return id == corpusTakenID }})
			var e *apperr.Error
			if !errors.As(err, &e) || e.Kind != apperr.KindBadInput {
				t.Fatalf("Parse = %v, want a bad-input error", err)
			}
			var got []string
			for _, f := range e.Fields {
				if !slices.Contains(got, f.Field) {
					got = append(got, f.Field)
				}
			}
			if len(got) == 0 {
				got = []string{"!file"}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("reported %v, want %v\n%v", got, want, e)
			}
		})
	}
	if n < 30 || formats[FormatJSON] == 0 || formats[FormatYAML] == 0 || formats[FormatXLSX] == 0 {
		t.Errorf("corpus has %d files (%v); want at least 30 in all three formats", n, formats)
	}
}

// readExpect reads the sidecar NAME.EXT.expect of a corpus file.
func readExpect(file string) ([]string, error) {
	f, err := os.Open(file + ".expect")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: empty expectation", f.Name())
	}
	return out, sc.Err()
}
