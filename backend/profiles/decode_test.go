package profiles

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pdmstudio/backend/apperr"
)

func mustEncode(t testing.TB, p Profile, f Format) []byte {
	t.Helper()
	b, err := Encode(p, f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// asBadInput returns err's *apperr.Error, failing unless it is bad input.
func asBadInput(t *testing.T, err error) *apperr.Error {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Kind != apperr.KindBadInput {
		t.Fatalf("error %v (%T) is not bad input", err, err)
	}
	return e
}

func fieldMap(fs []apperr.FieldError) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		m[f.Field] = f.Message
	}
	return m
}

// jsonEdit decodes the JSON form of testBase into generic values, lets edit change them, and
// returns the result as JSON.
func jsonEdit(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(mustEncode(t, testBase(), FormatJSON), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sensorAt(m map[string]any, i int) map[string]any {
	return m["sensors"].([]any)[i].(map[string]any)
}

func TestDecodeTypeErrors(t *testing.T) {
	data := jsonEdit(t, func(m map[string]any) {
		m["machine_id"] = 42
		m["rated_specs"] = map[string]any{"power_kw": "15"}
		s0 := sensorAt(m, 0)
		s0["normal_min"] = "abc"
		s0["key"] = "yes"
		delete(s0, "physical_max")
		s0["nomral_max"] = 3
		sensorAt(m, 1)["warning_high"] = []any{1}
		m["regimes"] = map[string]any{"name": "x"}
		fm := m["failure_modes"].([]any)[0].(map[string]any)
		fm["effects"].([]any)[1].(map[string]any)["direction"] = 0.5
		fm["time_to_failure"] = "weibull"
		m["vlm"] = map[string]any{"visual_inspection_points": "one"}
	})
	_, err := Decode(data, FormatJSON)
	got := fieldMap(asBadInput(t, err).Fields)
	want := map[string]string{
		"machine_id":                            "expected a string, got a number (42)",
		"rated_specs.power_kw":                  `got the string "15"; remove the quotes`,
		"sensors[0].normal_min":                 `expected a number, got a string ("abc")`,
		"sensors[0].key":                        "expected true or false",
		"sensors[0].physical_max":               "required field is missing",
		"sensors[0].nomral_max":                 `unknown field "nomral_max"; did you mean "normal_max"?`,
		"sensors[1].warning_high":               "expected a number, got a list",
		"regimes":                               "expected a list, got an object",
		"failure_modes[0].effects[1].direction": "expected a whole number, got 0.5",
		"failure_modes[0].time_to_failure":      "expected an object",
		"vlm.visual_inspection_points":          "expected a list",
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d: %v", len(got), len(want), got)
	}
	for f, sub := range want {
		if !strings.Contains(got[f], sub) {
			t.Errorf("%s: got %q, want it to contain %q", f, got[f], sub)
		}
		if got[f] != "" && !strings.Contains(got[f], "(line ") {
			t.Errorf("%s: message %q has no line number", f, got[f])
		}
	}
}

func TestDecodeYAMLTypeErrorsAndLeniency(t *testing.T) {
	y := string(mustEncode(t, testBase(), FormatYAML))
	// Unquoted YAML that happens to look like a number or boolean is fine in a string field.
	y = strings.Replace(y, "model: 1LA7", "model: 2020", 1)
	y = strings.Replace(y, "line: Line 1", "line: yes", 1)
	// A quoted number in a number field, and a string in a bool field, are not.
	y = strings.Replace(y, "normal_min: 35", `normal_min: "35"`, 1)
	y = strings.Replace(y, "key: true", "key: maybe", 1)
	p, err := Decode([]byte(y), FormatYAML)
	got := fieldMap(asBadInput(t, err).Fields)
	if len(got) != 2 || !strings.Contains(got["sensors[0].normal_min"], "remove the quotes") ||
		!strings.Contains(got["sensors[0].key"], "line ") {
		t.Errorf("problems = %v", got)
	}
	if p.Model != "2020" || p.Line != "yes" {
		t.Errorf("model %q line %q", p.Model, p.Line)
	}
	// yes/no are accepted for booleans when unquoted (YAML 1.1 habit).
	y2 := strings.Replace(string(mustEncode(t, testBase(), FormatYAML)), "key: true", "key: yes", 1)
	if p, err := Decode([]byte(y2), FormatYAML); err != nil || !p.Sensors[0].Key {
		t.Errorf("key: yes → %v, %v", p.Sensors[0].Key, err)
	}
}

func TestDecodeNormalisesAliases(t *testing.T) {
	y := string(mustEncode(t, testBase(), FormatYAML))
	y = strings.Replace(y, "unit: °C", "unit: degC", 1)
	y = strings.Replace(y, "kind: vibration", "kind: Vibration", 1)
	y = strings.Replace(y, "unit: mm/s", "unit: mm/sec", 1)
	p, err := Parse([]byte(y), FormatYAML, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Sensors[0].Unit != "°C" || p.Sensors[1].Kind != "vibration" || p.Sensors[1].Unit != "mm/s" {
		t.Errorf("not normalised: %+v", p.Sensors[:2])
	}
}

func TestDecodeYAMLFeatures(t *testing.T) {
	// Anchors, aliases and merge keys are legitimate YAML and work.
	doc := `
machine_id: motor_yaml_001
machine_type: motor
manufacturer: ACME
model: M1
site: S
line: L
common: &common {kind: temperature, unit: °C, physical_min: -20, physical_max: 150, sample_interval_s: 10, noise_std: 0.2}
sensors:
  - <<: *common
    name: t1
    normal_min: 20
    normal_max: 60
  - <<: [*common]
    name: t2
    normal_min: 20
    normal_max: 60
    unit: K
regimes: [{name: run, load_fraction: 1, probability: 1}]
failure_modes:
  - name: overheating
    effects: [{sensor: t1, direction: 1, magnitude: 1}]
    time_to_failure: {distribution: weibull, shape: 2, scale_steps: 1000}
`
	_, err := Parse([]byte(doc), FormatYAML, ValidateOptions{})
	got := fieldMap(asBadInput(t, err).Fields)
	// "common" is not a profile field: reported, with a suggestion-free message; merges worked,
	// and the explicit unit: K of t2 overrides the merged °C.
	if len(got) != 1 || !strings.Contains(got["common"], "unknown field") {
		t.Fatalf("problems = %v", got)
	}
	p, _ := Decode([]byte(strings.Replace(doc, "common: &common", "x-common: &common", 1)), FormatYAML)
	if len(p.Sensors) != 2 || p.Sensors[0].Unit != "°C" || p.Sensors[1].Unit != "K" || p.Sensors[1].PhysicalMax != 150 {
		t.Errorf("merge keys: %+v", p.Sensors)
	}
}

// Hostile or broken input yields a clear bad-input error without field problems, quickly.
func TestDecodeHostile(t *testing.T) {
	valid := map[Format][]byte{}
	for _, f := range Formats() {
		valid[f] = mustEncode(t, testBase(), f)
	}
	bomb := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	for i := 'b'; i <= 'j'; i++ {
		bomb += fmt.Sprintf("%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	tests := []struct {
		name   string
		format Format
		data   []byte
		want   string
	}{
		{"empty json", FormatJSON, nil, "empty"},
		{"blank yaml", FormatYAML, []byte(" \n\t\n"), "empty"},
		{"truncated json", FormatJSON, valid[FormatJSON][:len(valid[FormatJSON])/2], "truncated"},
		{"json array", FormatJSON, []byte(`[1,2]`), "must be a JSON object"},
		{"json trailing", FormatJSON, []byte(`{"machine_id":"abc"} {}`), "after the end"},
		{"json duplicate key", FormatJSON, []byte(`{"machine_id":"abc","machine_id":"abd"}`), "appears twice"},
		{"json syntax", FormatJSON, []byte("{\n\"a\": 1,\n}"), "line 3"},
		{"json not utf8", FormatJSON, []byte("{\"machine_id\": \"mot\xe9r\"}"), "not valid UTF-8"},
		{"yaml latin1", FormatYAML, []byte("machine_id: x\nsite: M\xfcnchen\n"), "line 2"},
		{"utf16", FormatJSON, append([]byte{0xFF, 0xFE}, []byte("{\x00}\x00")...), "UTF-16"},
		{"nul byte", FormatYAML, []byte("a: b\x00"), "NUL"},
		{"json deep", FormatJSON, []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), "nested"},
		{"json deep objects", FormatJSON, []byte(strings.Repeat(`{"a":`, 50) + "1" + strings.Repeat("}", 50)), "nested"},
		{"json wide", FormatJSON, []byte(`{"a":[` + strings.Repeat("1,", 200000) + "1]}"), "more than"},
		{"yaml deep flow", FormatYAML, []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), "nested too deeply"},
		{"yaml deep block", FormatYAML, []byte(strings.Repeat("- ", 20000) + "x"), "nested too deeply"},
		{"yaml nested 40", FormatYAML, []byte(strings.Repeat("[", 40) + strings.Repeat("]", 40)), "nested"},
		{"yaml alias bomb", FormatYAML, []byte(bomb + "machine_id: *j\n"), "aliases"},
		{"yaml recursive alias", FormatYAML, []byte("a: &a [*a]\n"), ""},
		{"yaml many lines", FormatYAML, bytes.Repeat([]byte("- 1\n"), 200000), "lines"},
		{"yaml two documents", FormatYAML, []byte("machine_id: a\n---\nmachine_id: b\n"), "more than one YAML document"},
		{"yaml scalar", FormatYAML, []byte("just text"), "must be a YAML mapping"},
		{"yaml tabs", FormatYAML, []byte("a:\n\tb: 1\n"), "use spaces"},
		{"yaml binary", FormatYAML, []byte("machine_id: !!binary aGVsbG8=\n"), "binary"},
		{"yaml complex key", FormatYAML, []byte("? [a]\n: 1\n"), "plain name"},
		{"yaml duplicate key", FormatYAML, []byte("a: 1\na: 2\n"), ""},
		{"xlsx empty", FormatXLSX, nil, "empty"},
		{"xlsx text", FormatXLSX, []byte("machine_id,type\n"), "not an .xlsx"},
		{"xlsx json", FormatXLSX, valid[FormatJSON], "not an .xlsx"},
		{"xlsx ole", FormatXLSX, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "password-protected"},
		{"xlsx truncated", FormatXLSX, valid[FormatXLSX][:len(valid[FormatXLSX])/2], "damaged or truncated"},
		{"xlsx other zip", FormatXLSX, zipOf(t, map[string][]byte{"hello.txt": []byte("hi")}, false), "not an .xlsx workbook"},
		{"xlsx zip bomb", FormatXLSX, zipBomb(t), "unpacks to more than"},
		{"xlsx lying zip header", FormatXLSX, zipOf(t, map[string][]byte{"xl/worksheets/sheet1.xml": bytes.Repeat([]byte(" "), 1<<20)}, true), ""},
		{"xlsx too many rows", FormatXLSX, bigSheet(t, 3000, 1), "more than 2000 rows"},
		{"xlsx too many columns", FormatXLSX, bigSheet(t, 2, 100), "more than 64 columns"},
		{"xlsx no machine sheet", FormatXLSX, withoutSheets(t, valid[FormatXLSX], sheetMachine), `no "Machine" sheet`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data, tt.format)
			e := asBadInput(t, err)
			if len(e.Fields) != 0 {
				t.Errorf("fatal error with field problems: %v", e)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message %q does not contain %q", e.Message, tt.want)
			}
			t.Log(e.Message)
		})
	}
}

// YAML cut off at a line break is still YAML: what is missing is reported field by field.
func TestDecodeTruncatedYAML(t *testing.T) {
	y := mustEncode(t, testBase(), FormatYAML)
	_, err := Decode(y[:bytes.Index(y, []byte("regimes:"))], FormatYAML)
	got := fieldMap(asBadInput(t, err).Fields)
	if len(got) != 2 || got["regimes"] == "" || got["failure_modes"] == "" {
		t.Errorf("got %v", got)
	}
	_, err = Decode(y[:bytes.Index(y, []byte("regimes:"))+5], FormatYAML)
	if e := asBadInput(t, err); len(e.Fields) == 0 && e.Message == "" {
		t.Errorf("got %v", e)
	}
}

func TestDecodeSizeLimit(t *testing.T) {
	big := bytes.Repeat([]byte(" "), MaxFileSize+1)
	for _, f := range Formats() {
		if _, err := Decode(big, f); !strings.Contains(fmt.Sprint(err), "larger than 10 MB") {
			t.Errorf("%s: Decode(10 MB + 1) = %v", f, err)
		}
		// DecodeReader stops reading at the limit: an endless reader does not hang.
		if _, err := DecodeReader(endless{}, f, 0); !strings.Contains(fmt.Sprint(err), "larger than 10 MB") {
			t.Errorf("%s: DecodeReader(endless) = %v", f, err)
		}
		if _, err := DecodeReader(bytes.NewReader(mustEncode(t, testBase(), f)), f, 100); !strings.Contains(fmt.Sprint(err), "100 bytes") {
			t.Errorf("%s: DecodeReader(limit 100) = %v", f, err)
		}
		p, err := DecodeReader(bytes.NewReader(mustEncode(t, testBase(), f)), f, -1)
		if err != nil || p.MachineID != "motor_test_001" {
			t.Errorf("%s: DecodeReader(valid) = %v", f, err)
		}
		if _, err := ParseReader(bytes.NewReader(mustEncode(t, testBase(), f)), f, 0, ValidateOptions{}); err != nil {
			t.Errorf("%s: ParseReader(valid) = %v", f, err)
		}
	}
	if _, err := DecodeReader(failing{}, FormatJSON, 0); err == nil || apperr.KindOf(err) == apperr.KindBadInput {
		t.Errorf("a read error is not bad input: %v", err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

// Parse reports decode problems and validation problems together, but not a validation problem
// that merely follows from a value that did not decode.
func TestParseMergesProblems(t *testing.T) {
	data := jsonEdit(t, func(m map[string]any) {
		m["machine_id"] = "Bad-ID"
		s0 := sensorAt(m, 0)
		delete(s0, "normal_min") // decode: missing; validation would say 0 < physical_min … no: skipped
		s0["normal_max"] = "x"
		sensorAt(m, 2)["unit"] = "furlong"
		m["sensors"].([]any)[3].(map[string]any)["name"] = 7
	})
	_, err := Parse(data, FormatJSON, ValidateOptions{})
	e := asBadInput(t, err)
	got := fieldMap(e.Fields)
	want := []string{"machine_id", "sensors[0].normal_min", "sensors[0].normal_max", "sensors[2].unit", "sensors[3].name"}
	if len(got) != len(want) {
		t.Errorf("got %v", e.Fields)
	}
	for _, f := range want {
		if got[f] == "" {
			t.Errorf("missing %s in %v", f, e.Fields)
		}
	}
	if !strings.Contains(e.Message, "5 errors") {
		t.Errorf("message %q", e.Message)
	}
}

func TestDecodeXLSXProblems(t *testing.T) {
	base := mustEncode(t, testBase(), FormatXLSX)
	edit := func(fn func(f *excelize.File)) []byte {
		f, err := excelize.OpenReader(bytes.NewReader(base))
		if err != nil {
			t.Fatal(err)
		}
		fn(f)
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"text in number cell", edit(func(f *excelize.File) {
			f.SetCellStr(sheetSensors, "F3", "high") // normal_max of sensors[1]
			f.SetCellStr(sheetSensors, "E2", "12,5") // normal_min of sensors[0], decimal comma
		}), map[string]string{"sensors[1].normal_max": `got "high" (Sensors!F3)`, "sensors[0].normal_min": "decimal separator"}},
		{"missing sheets", withoutSheets(t, base, sheetSensors, sheetRegimes),
			map[string]string{"sensors": `sheet "Sensors" is missing`, "regimes": `sheet "Regimes" is missing`}},
		{"unknown column and stray value", edit(func(f *excelize.File) {
			f.SetCellStr(sheetSensors, "Q1", "nomral_min")
			f.SetCellStr(sheetSensors, "R2", "orphan")
		}), map[string]string{"sensors": "did you mean \"normal_min\""}},
		{"effect for unknown failure mode", edit(func(f *excelize.File) {
			f.SetCellStr(sheetEffects, "A2", "bearing_waer")
		}), map[string]string{"failure_modes": `failure mode "bearing_waer" is not on the FailureModes sheet`}},
		{"missing required cell", edit(func(f *excelize.File) {
			f.SetCellValue(sheetSensors, "K2", nil) // physical_min of sensors[0]
			f.SetCellValue(sheetMachine, "B3", nil) // machine_id
		}), map[string]string{"sensors[0].physical_min": "required field is missing (Sensors row 2)", "machine_id": "required field is missing"}},
		{"duplicate machine row", edit(func(f *excelize.File) {
			f.SetSheetRow(sheetMachine, "A40", &[]any{"site", "Elsewhere"})
		}), map[string]string{"site": "appears twice"}},
		{"unknown machine field", edit(func(f *excelize.File) {
			f.SetSheetRow(sheetMachine, "A40", &[]any{"manufactuer", "X"})
		}), map[string]string{"manufactuer": `did you mean "manufacturer"`}},
		{"bad key cell", edit(func(f *excelize.File) {
			f.SetCellStr(sheetSensors, "O2", "perhaps")
		}), map[string]string{"sensors[0].key": "expected true or false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data, FormatXLSX)
			got := asBadInput(t, err).Fields
			if len(got) < len(tt.want) {
				t.Errorf("got %v", got)
			}
			m := map[string]string{}
			for _, f := range got {
				m[f.Field] += f.Message + " | "
			}
			for f, sub := range tt.want {
				if !strings.Contains(m[f], sub) {
					t.Errorf("%s: %q does not contain %q (all: %v)", f, m[f], sub, got)
				}
			}
		})
	}
}

// Users reorder columns, rename sheets slightly and leave blank rows; that is fine.
func TestDecodeXLSXLenient(t *testing.T) {
	p := testBase()
	f, err := excelize.OpenReader(bytes.NewReader(mustEncode(t, p, FormatXLSX)))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName(sheetFailureModes, "Failure modes"); err != nil {
		t.Fatal(err)
	}
	f.SetCellStr(sheetSensors, "A1", "Name")              // capitalised header
	f.SetCellStr(sheetSensors, "E1", "Normal min (unit)") // header with a note
	f.InsertRows(sheetSensors, 3, 2)                      // blank rows
	f.SetCellStr(sheetSensors, "C2", " degC ")            // alias with spaces
	f.SetCellStr(sheetSensors, "O2", "yes")               // key as text
	f.DeleteSheet(sheetHelp)
	f.DeleteSheet(sheetActions) // optional
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(buf.Bytes(), FormatXLSX, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.FailureModes {
		p.FailureModes[i].Actions = nil
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("got  %+v\nwant %+v", got, p)
	}
}

func zipOf(t testing.TB, files map[string][]byte, lie bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		if lie {
			// Store uncompressed with a false (small) size in the header.
			h := &zip.FileHeader{Name: name, Method: zip.Store}
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is a workbook whose sheet unpacks to 200 MB (it is about 200 KB).
func zipBomb(t testing.TB) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 200 {
		w.Write(chunk)
	}
	zw.Close()
	return buf.Bytes()
}

// bigSheet is a workbook whose Machine sheet has rows × cols cells.
func bigSheet(t testing.TB, rows, cols int) []byte {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheetMachine)
	sw, err := f.NewStreamWriter(sheetMachine)
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r <= rows; r++ {
		vals := make([]any, cols)
		for c := range vals {
			vals[c] = "x"
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, vals); err != nil {
			t.Fatal(err)
		}
	}
	sw.Flush()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func withoutSheets(t testing.TB, data []byte, sheets ...string) []byte {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range sheets {
		if err := f.DeleteSheet(s); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A 10 MB document of 100 000 values is refused with a clear message (BenchmarkDecodeLargeJSON
// shows it stays linear).
func TestDecodeLargeJSON(t *testing.T) {
	_, err := Decode(largeJSON(), FormatJSON)
	if !strings.Contains(fmt.Sprint(err), "more than 100000 values") {
		t.Errorf("err = %v", err)
	}
}

func largeJSON() []byte {
	pad := strings.Repeat(" ", 90)
	var b strings.Builder
	b.WriteString(`{"a":[`)
	for b.Len() < MaxFileSize-200 {
		b.WriteString("1," + pad + "\n")
	}
	b.WriteString("1]}")
	return []byte(b.String())
}

// Hostile input must cost about as much as reading it: these report MB/s for the worst cases
// (a 10 MB JSON list, a YAML alias bomb, a workbook zip bomb).
func BenchmarkDecodeHostile(b *testing.B) {
	bomb := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	for i := 'b'; i <= 'j'; i++ {
		bomb += fmt.Sprintf("%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	cases := []struct {
		name   string
		format Format
		data   []byte
	}{
		{"json_10MB_list", FormatJSON, largeJSON()},
		{"yaml_alias_bomb", FormatYAML, []byte(bomb)},
		{"xlsx_zip_bomb", FormatXLSX, zipBomb(b)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, err := Decode(c.data, c.format); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// BenchmarkParseTemplate measures importing a typical profile (decode + validate), per format.
func BenchmarkParseTemplate(b *testing.B) {
	p, _ := Template("turbine")
	for _, f := range Formats() {
		data := mustEncode(b, p, f)
		b.Run(string(f), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(data, f, ValidateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
		})
	}
}
