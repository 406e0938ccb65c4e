package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"pdmstudio/backend/apperr"
)

// The workbook layout is documented for users in XLSX-LAYOUT.md; keep the two in step.

// Sheet names.
const (
	sheetMachine      = "Machine"
	sheetSensors      = "Sensors"
	sheetRegimes      = "Regimes"
	sheetFailureModes = "FailureModes"
	sheetEffects      = "Effects"
	sheetActions      = "Actions"
	sheetHelp         = "Help"
)

// Limits on workbooks. A profile workbook unzips to well under a megabyte.
const (
	xlsxUnzipLimit = 16 << 20 // total uncompressed bytes of all parts (zip bomb guard)
	xlsxMaxRows    = 2000     // rows read per sheet, blank ones included
	xlsxMaxCols    = 64       // columns per row
	xlsxMaxChars   = 32767    // characters per cell (Excel's own limit)
)

// column describes one column of a table sheet: its header and the profile field path (relative
// to the row's object) it feeds. Nested paths use dots ("time_to_failure.shape").
type column struct {
	header string
	field  string
	help   string
}

var sensorColumns = []column{
	{"name", "name", "snake_case name, unique in the profile"},
	{"kind", "kind", "temperature, vibration, current, pressure, flow, speed, power, torque, level, …"},
	{"unit", "unit", "unit symbol allowed for the kind (°C, mm/s, A, bar, m³/h, rpm, kW, %, Nm, …)"},
	{"description", "description", "optional"},
	{"normal_min", "normal_min", "lowest value in healthy operation"},
	{"normal_max", "normal_max", "highest value in healthy operation"},
	{"warning_low", "warning_low", "optional low-side warning threshold"},
	{"trip_low", "trip_low", "optional low-side trip threshold (≤ warning_low)"},
	{"warning_high", "warning_high", "optional high-side warning threshold"},
	{"trip_high", "trip_high", "optional high-side trip threshold (≥ warning_high)"},
	{"physical_min", "physical_min", "lowest value the instrument can measure"},
	{"physical_max", "physical_max", "highest value the instrument can measure"},
	{"sample_interval_s", "sample_interval_s", "seconds between samples"},
	{"noise_std", "noise_std", "standard deviation of measurement noise, in the sensor's unit"},
	{"key", "key", "TRUE for the (at most 3) sensors shown on the dashboard"},
	{"iso10816_class", "iso10816_class", "I, II, III or IV for vibration velocity in mm/s; else empty"},
}

var regimeColumns = []column{
	{"name", "name", "snake_case name, unique in the profile"},
	{"description", "description", "optional"},
	{"load_fraction", "load_fraction", "load as a fraction of rated load, 0–1.5"},
	{"probability", "probability", "share of operating time; all regimes sum to 1"},
	{"mean_duration_steps", "mean_duration_steps", "optional mean dwell time, in simulation steps"},
}

var failureModeColumns = []column{
	{"name", "name", "snake_case name, unique in the profile"},
	{"description", "description", "the mechanism, in words"},
	{"progression", "progression", "linear (default), exponential or step"},
	{"onset_fraction", "onset_fraction", "fraction of life after which symptoms show, 0–<1"},
	{"ttf_distribution", "time_to_failure.distribution", "weibull"},
	{"ttf_shape", "time_to_failure.shape", "Weibull shape β (> 0)"},
	{"ttf_scale_steps", "time_to_failure.scale_steps", "Weibull scale η, in simulation steps"},
}

var effectColumns = []column{
	{"failure_mode", "", "name of a failure mode on the FailureModes sheet"},
	{"sensor", "sensor", "name of a sensor on the Sensors sheet"},
	{"direction", "direction", "+1 (value rises) or -1 (value falls)"},
	{"magnitude", "magnitude", "shift at failure, in multiples of the sensor's normal span"},
}

var actionColumns = []column{
	{"failure_mode", "", "name of a failure mode on the FailureModes sheet"},
	{"description", "description", "what to do"},
	{"urgency", "urgency", "immediate, soon or planned"},
	{"downtime_hours", "downtime_hours", "optional expected downtime in hours"},
}

// machineRows lists the scalar rows of the Machine sheet with their help text.
var machineRows = []column{
	{"schema_version", "schema_version", "profile format version; leave as is"},
	{"machine_id", "machine_id", "3–100 characters a–z, 0–9 and _; e.g. motor_siemens_1la7_001"},
	{"machine_type", "machine_type", "motor, pump, compressor, cnc, fan, gearbox, conveyor, hydraulic_press, turbine, chiller"},
	{"name", "name", "optional display name"},
	{"manufacturer", "manufacturer", ""},
	{"model", "model", ""},
	{"site", "site", "plant (top of the asset hierarchy)"},
	{"line", "line", "production line or area within the site"},
	{"description", "description", "optional"},
}

// ---- encoding ----

type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (w *sheetWriter) cell(col int, v any) {
	if w.err != nil || v == nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, w.row)
	if err != nil {
		w.err = err
		return
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
		if utf8.RuneCountInString(x) > xlsxMaxChars {
			w.err = fmt.Errorf("text in %s!%s is longer than Excel's %d characters", w.sheet, ref, xlsxMaxChars)
			return
		}
		w.err = w.f.SetCellStr(w.sheet, ref, x)
	case float64:
		w.err = w.f.SetCellFloat(w.sheet, ref, x, -1, 64)
	case *float64:
		if x != nil {
			w.err = w.f.SetCellFloat(w.sheet, ref, *x, -1, 64)
		}
	case int:
		w.err = w.f.SetCellInt(w.sheet, ref, int64(x))
	case bool:
		w.err = w.f.SetCellBool(w.sheet, ref, x)
	default:
		w.err = fmt.Errorf("profiles: xlsx: unsupported cell type %T", v)
	}
}

func (w *sheetWriter) line(vals ...any) {
	w.row++
	for i, v := range vals {
		w.cell(i+1, v)
	}
}

func encodeXLSX(p Profile) (out []byte, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", sheetMachine); err != nil {
		return nil, err
	}
	for _, s := range []string{sheetSensors, sheetRegimes, sheetFailureModes, sheetEffects, sheetActions, sheetHelp} {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}

	// Machine: key/value rows.
	m := &sheetWriter{f: f, sheet: sheetMachine}
	m.line("field", "value", "help")
	scalars := map[string]any{
		"schema_version": p.SchemaVersion, "machine_id": p.MachineID, "machine_type": p.MachineType,
		"name": p.Name, "manufacturer": p.Manufacturer, "model": p.Model, "site": p.Site,
		"line": p.Line, "description": p.Description,
	}
	for _, r := range machineRows {
		v := scalars[r.field]
		if r.field == "schema_version" && p.SchemaVersion == 0 {
			v = nil
		}
		m.line(r.header, v, r.help)
	}
	keys := slices.Sorted(maps.Keys(p.RatedSpecs))
	for _, k := range keys {
		help := "rated spec"
		if s, ok := findSpec(k); ok {
			help = s.Label + " (" + s.Unit + ")"
		}
		m.line("rated_specs."+k, p.RatedSpecs[k], help)
	}
	if p.VLM == nil || p.VLM.ReferenceImagePath == "" {
		m.line("vlm.reference_image_path", nil, "optional reference photo, relative to the machine folder")
	} else {
		m.line("vlm.reference_image_path", p.VLM.ReferenceImagePath, "optional reference photo, relative to the machine folder")
	}
	if p.VLM != nil {
		for _, pt := range p.VLM.VisualInspectionPoints {
			m.line("vlm.visual_inspection_points", pt, "one inspection point per row")
		}
	}

	// Sensors.
	s := &sheetWriter{f: f, sheet: sheetSensors}
	s.line(headers(sensorColumns)...)
	for _, x := range p.Sensors {
		s.line(x.Name, x.Kind, x.Unit, x.Description, x.NormalMin, x.NormalMax, x.WarningLow, x.TripLow,
			x.WarningHigh, x.TripHigh, x.PhysicalMin, x.PhysicalMax, x.SampleIntervalS, x.NoiseStd, x.Key, x.ISO10816Class)
	}
	// Regimes.
	r := &sheetWriter{f: f, sheet: sheetRegimes}
	r.line(headers(regimeColumns)...)
	for _, x := range p.Regimes {
		var dur any
		if x.MeanDurationSteps != 0 {
			dur = x.MeanDurationSteps
		}
		r.line(x.Name, x.Description, x.LoadFraction, x.Probability, dur)
	}
	// Failure modes, effects, actions.
	fm := &sheetWriter{f: f, sheet: sheetFailureModes}
	ef := &sheetWriter{f: f, sheet: sheetEffects}
	ac := &sheetWriter{f: f, sheet: sheetActions}
	fm.line(headers(failureModeColumns)...)
	ef.line(headers(effectColumns)...)
	ac.line(headers(actionColumns)...)
	for _, x := range p.FailureModes {
		var onset any
		if x.OnsetFraction != 0 {
			onset = x.OnsetFraction
		}
		fm.line(x.Name, x.Description, x.Progression, onset, x.TimeToFailure.Distribution, x.TimeToFailure.Shape, x.TimeToFailure.ScaleSteps)
		for _, e := range x.Effects {
			ef.line(x.Name, e.Sensor, e.Direction, e.Magnitude)
		}
		for _, a := range x.Actions {
			var dt any
			if a.DowntimeHours != 0 {
				dt = a.DowntimeHours
			}
			ac.line(x.Name, a.Description, a.Urgency, dt)
		}
	}
	// Help.
	h := &sheetWriter{f: f, sheet: sheetHelp}
	writeHelp(h)

	for _, w := range []*sheetWriter{m, s, r, fm, ef, ac, h} {
		if w.err != nil {
			return nil, badInput("the profile cannot be written as a workbook: "+w.err.Error(),
				apperr.FieldError{Field: "", Message: w.err.Error()})
		}
	}
	widths := map[string][]float64{
		sheetMachine: {34, 40, 60}, sheetSensors: {24, 13, 8, 30}, sheetRegimes: {20, 36, 14, 12, 20},
		sheetFailureModes: {30, 60, 13, 15, 17, 11, 16}, sheetEffects: {30, 24, 10, 11},
		sheetActions: {30, 70, 11, 15}, sheetHelp: {24, 100},
	}
	for sheet, ws := range widths {
		for i, wdt := range ws {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(sheet, col, col, wdt); err != nil {
				return nil, err
			}
		}
		if sheet != sheetHelp {
			if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
				return nil, err
			}
			if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				return nil, err
			}
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("profiles: encode XLSX: %w", err)
	}
	return buf.Bytes(), nil
}

func headers(cols []column) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c.header
	}
	return out
}

func writeHelp(h *sheetWriter) {
	h.line("PdM Studio machine profile", "This workbook describes one machine. PdM Studio reads the sheets Machine, Sensors, Regimes, FailureModes, Effects and Actions; this Help sheet is ignored.")
	h.line()
	h.line("Machine", "One row per field: column A the field name, column B its value, column C is help and is ignored. rated_specs.<name> rows hold nameplate values; the name ends with the unit, e.g. rated_specs.power_kw.")
	for _, t := range []struct {
		sheet string
		cols  []column
	}{{sheetSensors, sensorColumns}, {sheetRegimes, regimeColumns}, {sheetFailureModes, failureModeColumns}, {sheetEffects, effectColumns}, {sheetActions, actionColumns}} {
		h.line()
		h.line(t.sheet, "First row: column headers (any order). Then one row per item; empty cells mean 'not set'.")
		for _, c := range t.cols {
			h.line("  "+c.header, c.help)
		}
	}
	h.line()
	h.line("Units", "Sensor values, ranges, thresholds and noise are in the sensor's unit. Failure-effect magnitude is in multiples of the sensor's normal span (normal_max − normal_min).")
}

// ---- decoding ----

// parseXLSX reads a profile workbook into a tree shaped like the JSON form, so the mapper reports
// problems with profile field paths; every value carries its cell ("Sensors!E4"). Problems with
// the workbook's layout (missing sheet, unknown column, effect for an unknown failure mode) are
// returned as field problems; an unreadable workbook is an error.
func parseXLSX(data []byte) (root *node, fields fieldErrors, err error) {
	if len(data) == 0 {
		return nil, fieldErrors{}, syntaxError(FormatXLSX, "", "the file is empty")
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil, fieldErrors{}, syntaxError(FormatXLSX, "", "the workbook is password-protected or in the old .xls format; save it as an unprotected .xlsx")
	}
	if !bytes.HasPrefix(data, []byte("PK")) {
		return nil, fieldErrors{}, syntaxError(FormatXLSX, "", "the file is not an .xlsx workbook")
	}
	var f *excelize.File
	defer func() {
		if r := recover(); r != nil {
			root, fields, err = nil, fieldErrors{}, syntaxError(FormatXLSX, "", fmt.Sprintf("the workbook is damaged (%v)", r))
		}
		if f != nil {
			_ = f.Close()
		}
	}()
	f, err = excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    xlsxUnzipLimit,
		UnzipXMLSizeLimit: xlsxUnzipLimit, // keep every part in memory: no temporary files
	})
	if err != nil {
		return nil, fieldErrors{}, syntaxError(FormatXLSX, "", xlsxMessage(err))
	}
	x := &xlsxReader{f: f, sheets: map[string]string{}}
	for _, s := range f.GetSheetList() {
		x.sheets[sheetKey(s)] = s
	}
	root = &node{kind: kObject}
	if err := x.machine(root); err != nil {
		return nil, fieldErrors{}, err
	}
	sensors, err := x.table(sheetSensors, "sensors", sensorColumns, true)
	if err != nil {
		return nil, fieldErrors{}, err
	}
	regimes, err := x.table(sheetRegimes, "regimes", regimeColumns, true)
	if err != nil {
		return nil, fieldErrors{}, err
	}
	modes, err := x.table(sheetFailureModes, "failure_modes", failureModeColumns, true)
	if err != nil {
		return nil, fieldErrors{}, err
	}
	effects, err := x.table(sheetEffects, "failure_modes", effectColumns, true)
	if err != nil {
		return nil, fieldErrors{}, err
	}
	actions, err := x.table(sheetActions, "failure_modes", actionColumns, false)
	if err != nil {
		return nil, fieldErrors{}, err
	}
	if sensors != nil {
		root.obj = append(root.obj, member{"sensors", sensors})
	}
	if regimes != nil {
		root.obj = append(root.obj, member{"regimes", regimes})
	}
	if modes != nil {
		x.attach(modes, effects, sheetEffects, "effects")
		x.attach(modes, actions, sheetActions, "actions")
		root.obj = append(root.obj, member{"failure_modes", modes})
	}
	return root, x.errs, nil
}

func xlsxMessage(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "zip: not a valid zip file"), strings.Contains(msg, "zip:"):
		return "the file is not an .xlsx workbook, or it is damaged or truncated"
	case strings.Contains(msg, "unzip size"):
		return fmt.Sprintf("the workbook unpacks to more than %d MB; a profile is far smaller", xlsxUnzipLimit>>20)
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		return "the workbook is password-protected or not an .xlsx file"
	}
	return "the file is not an .xlsx workbook, or it is damaged (" + short(msg) + ")"
}

// sheetKey folds a sheet name for lenient matching: "Failure Modes" finds "FailureModes".
func sheetKey(s string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

type xlsxReader struct {
	f      *excelize.File
	sheets map[string]string // folded name → real name
	errs   fieldErrors
}

// rows reads a sheet's rows (raw cell values, numbers unformatted) with their 1-based row numbers,
// skipping blank rows and refusing sheets beyond the row and column limits.
type xrow struct {
	num   int
	cells []string
}

func (x *xlsxReader) rows(sheet string) ([]xrow, error) {
	it, err := x.f.Rows(sheet)
	if err != nil {
		return nil, syntaxError(FormatXLSX, sheet, xlsxMessage(err))
	}
	defer it.Close()
	var out []xrow
	n := 0
	for it.Next() {
		n++
		if n > xlsxMaxRows {
			return nil, syntaxError(FormatXLSX, "", fmt.Sprintf("the %q sheet has more than %d rows; a profile is far smaller", sheet, xlsxMaxRows))
		}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, syntaxError(FormatXLSX, fmt.Sprintf("%s row %d", sheet, n), xlsxMessage(err))
		}
		last := -1
		for i, c := range cells {
			if strings.TrimSpace(c) != "" {
				last = i
			}
		}
		if last < 0 {
			continue
		}
		if last >= xlsxMaxCols {
			return nil, syntaxError(FormatXLSX, fmt.Sprintf("%s row %d", sheet, n), fmt.Sprintf("the %q sheet uses more than %d columns", sheet, xlsxMaxCols))
		}
		for i := range cells[:last+1] {
			if !utf8.ValidString(cells[i]) {
				return nil, syntaxError(FormatXLSX, cellRef(sheet, i, n), "a cell holds text that is not valid UTF-8")
			}
		}
		out = append(out, xrow{num: n, cells: cells[:last+1]})
	}
	if err := it.Error(); err != nil {
		return nil, syntaxError(FormatXLSX, sheet, xlsxMessage(err))
	}
	return out, nil
}

func cellRef(sheet string, col0, row int) string {
	name, err := excelize.CoordinatesToCellName(col0+1, row)
	if err != nil {
		name = fmt.Sprintf("R%dC%d", row, col0+1)
	}
	return sheet + "!" + name
}

func cellNode(sheet string, col0, row int, text string) *node {
	return &node{kind: kString, text: strings.TrimSpace(text), loose: true, cell: true, ref: cellRef(sheet, col0, row)}
}

// machine reads the Machine sheet's key/value rows into root.
func (x *xlsxReader) machine(root *node) error {
	name, ok := x.sheets[sheetKey(sheetMachine)]
	if !ok {
		found := slices.Collect(maps.Values(x.sheets))
		slices.Sort(found)
		return syntaxError(FormatXLSX, "", fmt.Sprintf("the workbook has no %q sheet, so it is not a PdM Studio profile (sheets found: %s)", sheetMachine, strings.Join(found, ", ")))
	}
	rows, err := x.rows(name)
	if err != nil {
		return err
	}
	var specs, vlm, points *node
	seen := map[string]int{}
	for i, r := range rows {
		key := strings.TrimSpace(r.cells[0])
		if i == 0 && strings.EqualFold(key, "field") {
			continue // header row
		}
		if key == "" {
			x.errs.addf("", "%s: a value without a field name in column A", cellRef(name, 1, r.num))
			continue
		}
		if len(r.cells) < 2 || strings.TrimSpace(r.cells[1]) == "" {
			continue // empty value: not set
		}
		val := cellNode(name, 1, r.num, r.cells[1])
		if key == "vlm.visual_inspection_points" {
			if points == nil {
				points = &node{kind: kArray, ref: val.ref}
			}
			points.arr = append(points.arr, val)
			continue
		}
		if prev, dup := seen[key]; dup {
			x.errs.addf(key, "appears twice on the %s sheet (rows %d and %d)", name, prev, r.num)
			continue
		}
		seen[key] = r.num
		switch {
		case strings.HasPrefix(key, "rated_specs."):
			if specs == nil {
				specs = &node{kind: kObject, ref: val.ref}
				root.obj = append(root.obj, member{"rated_specs", specs})
			}
			specs.obj = append(specs.obj, member{strings.TrimPrefix(key, "rated_specs."), val})
		case strings.HasPrefix(key, "vlm."):
			if vlm == nil {
				vlm = &node{kind: kObject, ref: val.ref}
				root.obj = append(root.obj, member{"vlm", vlm})
			}
			vlm.obj = append(vlm.obj, member{strings.TrimPrefix(key, "vlm."), val})
		default:
			root.obj = append(root.obj, member{key, val})
		}
	}
	if points != nil {
		if vlm == nil {
			vlm = &node{kind: kObject, ref: points.ref}
			root.obj = append(root.obj, member{"vlm", vlm})
		}
		vlm.obj = append(vlm.obj, member{"visual_inspection_points", points})
	}
	root.ref = name + " sheet"
	return nil
}

// table reads a sheet with a header row into a list of objects. Effects and Actions rows carry
// their failure mode's name in the member "\x00failure_mode". A missing sheet is reported on
// field when required and yields nil.
func (x *xlsxReader) table(sheet, field string, cols []column, required bool) (*node, error) {
	name, ok := x.sheets[sheetKey(sheet)]
	if !ok {
		if required {
			x.errs.addf(field, "sheet %q is missing from the workbook", sheet)
		}
		return nil, nil
	}
	rows, err := x.rows(name)
	if err != nil {
		return nil, err
	}
	list := &node{kind: kArray, ref: name + " sheet"}
	if len(rows) == 0 {
		if required {
			x.errs.addf(field, "sheet %q is empty; its first row must hold the column headers", name)
		}
		return list, nil
	}
	// Header row: map columns by name, in any order.
	byHeader := map[string]column{}
	var known []string
	for _, c := range cols {
		byHeader[c.header] = c
		known = append(known, c.header)
	}
	head := rows[0]
	colOf := make([]*column, len(head.cells))
	seen := map[string]bool{}
	for i, h := range head.cells {
		key := headerKey(h)
		if key == "" {
			continue
		}
		c, ok := byHeader[key]
		if !ok {
			msg := fmt.Sprintf("%s: unknown column %q", cellRef(name, i, head.num), strings.TrimSpace(h))
			if s := suggest(key, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			x.errs.add(field, msg)
			continue
		}
		if seen[key] {
			x.errs.addf(field, "%s: column %q appears twice", cellRef(name, i, head.num), key)
			continue
		}
		seen[key] = true
		colOf[i] = &c
	}
	for _, r := range rows[1:] {
		obj := &node{kind: kObject, ref: fmt.Sprintf("%s row %d", name, r.num)}
		for i, text := range r.cells {
			if strings.TrimSpace(text) == "" {
				continue
			}
			if i >= len(colOf) || colOf[i] == nil {
				x.errs.addf(field, "%s: a value in a column without a known header", cellRef(name, i, r.num))
				continue
			}
			c := colOf[i]
			val := cellNode(name, i, r.num, text)
			if c.field == "" {
				obj.obj = append(obj.obj, member{"\x00failure_mode", val})
				continue
			}
			setPath(obj, c.field, val)
		}
		list.arr = append(list.arr, obj)
	}
	return list, nil
}

// headerKey folds a column header: "Normal min", "normal-min" and "normal_min (°C)" all give
// "normal_min".
func headerKey(h string) string {
	h = strings.TrimSpace(h)
	if i := strings.Index(h, "("); i > 0 {
		h = strings.TrimSpace(h[:i])
	}
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(h))
}

// setPath sets a dotted path ("time_to_failure.shape") inside obj, creating objects on the way.
func setPath(obj *node, path string, val *node) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		obj.obj = append(obj.obj, member{head, val})
		return
	}
	for _, m := range obj.obj {
		if m.key == head && m.val.kind == kObject {
			setPath(m.val, rest, val)
			return
		}
	}
	child := &node{kind: kObject, ref: obj.ref}
	obj.obj = append(obj.obj, member{head, child})
	setPath(child, rest, val)
}

// attach moves Effects/Actions rows under their failure mode (matched by name) as member key.
func (x *xlsxReader) attach(modes, rows *node, sheet, key string) {
	if rows == nil {
		return
	}
	index := map[string]*node{}
	for _, m := range modes.arr {
		for _, mem := range m.obj {
			if mem.key == "name" && mem.val.kind == kString {
				if _, dup := index[mem.val.text]; !dup {
					index[mem.val.text] = m
				}
			}
		}
	}
	for _, r := range rows.arr {
		var ref *node
		rest := r.obj[:0:0]
		for _, mem := range r.obj {
			if mem.key == "\x00failure_mode" {
				ref = mem.val
			} else {
				rest = append(rest, mem)
			}
		}
		r.obj = rest
		if ref == nil {
			x.errs.addf("failure_modes", "%s: the failure_mode column is empty", r.ref)
			continue
		}
		mode, ok := index[ref.text]
		if !ok {
			x.errs.addf("failure_modes", "%s: failure mode %q is not on the %s sheet", ref.ref, ref.text, sheetFailureModes)
			continue
		}
		var list *node
		for _, mem := range mode.obj {
			if mem.key == key {
				list = mem.val
			}
		}
		if list == nil {
			list = &node{kind: kArray, ref: r.ref}
			mode.obj = append(mode.obj, member{key, list})
		}
		list.arr = append(list.arr, r)
	}
}
