package telemetry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// SensorInfo describes one sensor of a history: its unit and thresholds from the profile.
type SensorInfo struct {
	Name        string   `json:"name"`
	Unit        string   `json:"unit"`
	Kind        string   `json:"kind"`
	Key         bool     `json:"key"`
	Warning     *float64 `json:"warning"` // high-side warning threshold
	Trip        *float64 `json:"trip"`    // high-side trip threshold
	WarningLow  *float64 `json:"warning_low"`
	TripLow     *float64 `json:"trip_low"`
	Min         float64  `json:"min"` // normal range
	Max         float64  `json:"max"`
	PhysicalMin float64  `json:"physical_min"` // measuring range
	PhysicalMax float64  `json:"physical_max"`
}

// History is a machine's latest readings, column-wise.
type History struct {
	MachineID string `json:"machine_id"`
	// Source is where the telemetry comes from: test, seed or import ("" when none yet).
	Source string `json:"source"`
	// Time holds each reading's RFC 3339 time, oldest first; Cycle the source row it came from.
	Time    []string              `json:"time"`
	Cycle   []int64               `json:"cycle"`
	Series  map[string][]*float64 `json:"series"` // by sensor; null = missing reading
	Sensors []SensorInfo          `json:"sensors"`
}

// HistoryOptions choose what History returns.
type HistoryOptions struct {
	Sensors []string `json:"sensors"` // empty: every sensor of the profile
	Limit   int      `json:"limit"`   // latest readings, 1–500 (0: 200)
}

func (m *Monitor) machineProfile(ctx context.Context, machineID string) (profiles.Profile, error) {
	r, err := m.Store.GetMachine(ctx, machineID)
	if errors.Is(err, store.ErrNotFound) {
		return profiles.Profile{}, apperr.NotFoundf("machine %q does not exist", machineID)
	}
	if err != nil {
		return profiles.Profile{}, err
	}
	return m.profile(r)
}

// History returns a machine's latest readings (at most opts.Limit) for the chosen sensors.
func (m *Monitor) History(ctx context.Context, machineID string, opts HistoryOptions) (*History, error) {
	prof, err := m.machineProfile(ctx, machineID)
	if err != nil {
		return nil, err
	}
	if opts.Limit < 0 || opts.Limit > store.TelemetryRing {
		return nil, apperr.BadInput("limit out of range", apperr.FieldError{Field: "limit",
			Message: fmt.Sprintf("must be 1 to %d readings (0 for 200), got %d", store.TelemetryRing, opts.Limit)})
	}
	if opts.Limit == 0 {
		opts.Limit = 200
	}
	var chosen []profiles.Sensor
	if len(opts.Sensors) == 0 {
		chosen = prof.Sensors
	} else {
		var unknown []string
		for _, name := range opts.Sensors {
			s, ok := prof.Sensor(name)
			if !ok {
				unknown = append(unknown, name)
				continue
			}
			chosen = append(chosen, s)
		}
		if len(unknown) > 0 {
			return nil, apperr.BadInput("unknown sensor", apperr.FieldError{Field: "sensors",
				Message: fmt.Sprintf("%s has no sensor %s (it has %s)", machineID, strings.Join(unknown, ", "), strings.Join(sensorNames(prof), ", "))})
		}
	}
	rs, err := m.Store.LatestReadings(ctx, machineID, opts.Limit)
	if err != nil {
		return nil, err
	}
	h := &History{MachineID: machineID, Time: make([]string, len(rs)), Cycle: make([]int64, len(rs)), Series: map[string][]*float64{}}
	if src, err := m.Store.GetTelemetrySource(ctx, machineID); err == nil {
		h.Source = src.Kind
	}
	for i, r := range rs {
		h.Time[i], h.Cycle[i] = r.Time, r.Cycle
	}
	for _, s := range chosen {
		vals := make([]*float64, len(rs))
		for i, r := range rs {
			vals[i] = r.Values[s.Name]
		}
		h.Series[s.Name] = vals
		h.Sensors = append(h.Sensors, SensorInfo{Name: s.Name, Unit: s.Unit, Kind: s.Kind, Key: s.Key, Warning: s.WarningHigh, Trip: s.TripHigh,
			WarningLow: s.WarningLow, TripLow: s.TripLow, Min: s.NormalMin, Max: s.NormalMax, PhysicalMin: s.PhysicalMin, PhysicalMax: s.PhysicalMax})
	}
	if h.Sensors == nil {
		h.Sensors = []SensorInfo{}
	}
	return h, nil
}

// ImportResult says what an import stored.
type ImportResult struct {
	MachineID string   `json:"machine_id"`
	Rows      int      `json:"rows"`
	Sensors   []string `json:"sensors"`
	// Ignored are columns of the file that are not sensors of the machine.
	Ignored []string `json:"ignored"`
	// Notes say what was assumed (a missing time or regime column).
	Notes []string `json:"notes"`
	First string   `json:"first"`
	Last  string   `json:"last"`
	Path  string   `json:"path"`
}

// MaxImportRows is the most rows an import takes.
const MaxImportRows = 1_000_000

// Import reads a CSV or Parquet file of real readings for a machine, checks its columns against
// the machine's sensors, and makes it the machine's telemetry: the file is stored beside the
// machine's data and its latest readings replace the ones kept. Nothing is stored when the file
// is refused.
func (m *Monitor) Import(ctx context.Context, machineID, path string) (*ImportResult, error) {
	prof, err := m.machineProfile(ctx, machineID)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(path) == "" {
		return nil, apperr.BadInput("no file given", apperr.FieldError{Field: "path", Message: "give a CSV or Parquet file of readings"})
	}
	var t *datasets.Table
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		t, err = datasets.ReadCSVFile(ctx, path, datasets.CSVOptions{})
	case ".parquet":
		if _, serr := os.Stat(path); serr != nil {
			return nil, apperr.NotFoundf("file %s does not exist", path)
		}
		t, err = datasets.ReadParquet(path)
	default:
		return nil, apperr.BadInput("unsupported file type", apperr.FieldError{Field: "path",
			Message: fmt.Sprintf("%s is not a .csv or .parquet file", filepath.Base(path))})
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	out, res, err := importTable(t, prof, m.now())
	if err != nil {
		return nil, err
	}
	res.MachineID = machineID

	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	dir, err := m.Dir.MachineDir(machineID)
	if err != nil {
		return nil, apperr.BadInputf("%v", err)
	}
	rel := filepath.Join("telemetry", "import-"+uuid.NewString()[:8]+".parquet")
	abs := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, err
	}
	if err := datasets.WriteParquet(abs, out); err != nil {
		return nil, fmt.Errorf("store imported readings: %w", err)
	}
	prev, _ := m.Store.GetTelemetrySource(ctx, machineID)
	rp, err := m.load(machineID, SourceImport, abs)
	if err != nil {
		os.Remove(abs)
		return nil, err
	}
	rp.rel = rel
	rp.position = rp.rows()
	rp.seq = prev.Seq
	lo := max(0, rp.rows()-store.TelemetryRing)
	times := out.Column(orderColumn)
	readings := make([]store.Reading, 0, rp.rows()-lo)
	sensors := sensorNames(prof)
	for i := lo; i < rp.rows(); i++ {
		readings = append(readings, rp.reading(i, time.UnixMilli(times.Times[i]), sensors))
	}
	src := rp.source()
	src.Path = rel
	if err := m.Store.ReplaceReadings(ctx, store.MachineReadings{Source: src, Readings: readings}); err != nil {
		os.Remove(abs)
		return nil, fmt.Errorf("store imported readings: %w", err)
	}
	if prev.Kind == SourceImport && prev.Path != "" && prev.Path != rel {
		os.Remove(filepath.Join(dir, prev.Path))
	}
	m.mu.Lock()
	if m.replays == nil {
		m.replays = map[string]*replay{}
	}
	if m.sources == nil {
		m.sources = map[string]store.TelemetrySource{}
	}
	m.replays[machineID] = rp
	m.sources[machineID] = src
	m.mu.Unlock()
	res.Path = abs
	return res, nil
}

// UseReplay ends a machine's imported telemetry: the imported readings file is deleted and the
// next refresh starts a replay of the machine's data sets again (test set, else seed data) with
// its history back-filled. It is a conflict when the machine's telemetry is not imported.
func (m *Monitor) UseReplay(ctx context.Context, machineID string) error {
	if _, err := m.machineProfile(ctx, machineID); err != nil {
		return err
	}
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	// The live replay knows its kind; the saved source speaks for a machine not replayed yet.
	m.mu.Lock()
	src, ok := m.sources[machineID]
	if rp := m.replays[machineID]; rp != nil {
		src, ok = rp.source(), true
		src.Path = rp.rel
	}
	m.mu.Unlock()
	if !ok {
		var err error
		if src, err = m.Store.GetTelemetrySource(ctx, machineID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if src.Kind != SourceImport {
		return apperr.Conflictf("the telemetry of %s is not imported: it already replays the machine's data", machineID)
	}
	files, err := m.sourceFiles(machineID)
	if err != nil {
		return err
	}
	kind := ""
	for _, f := range files {
		if _, _, ok := fileStamp(f[1]); ok {
			kind = f[0]
			break
		}
	}
	if kind == "" {
		return apperr.Conflictf("machine %s has no data to replay: keep the imported readings or make its seed data first", machineID)
	}
	// The kept readings go with the import (the charts would jump from the file's times to the
	// replay's); the sequence goes on. Rows 0 tells the next refresh to start the replay afresh.
	next := store.TelemetrySource{MachineID: machineID, Kind: kind, Seq: src.Seq}
	if err := m.Store.ReplaceReadings(ctx, store.MachineReadings{Source: next}); err != nil {
		return err
	}
	if p, err := m.importPath(machineID, src.Path); err == nil {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			m.log().Warn("remove imported readings", "machine", machineID, "err", err)
		}
	}
	m.mu.Lock()
	delete(m.replays, machineID)
	if m.sources != nil {
		m.sources[machineID] = next
	}
	m.mu.Unlock()
	return nil
}

// importTable checks a file's columns against the profile and returns the table to store: a
// time column, an episode column, the regime and every sensor, in that order.
func importTable(t *datasets.Table, prof profiles.Profile, now time.Time) (*datasets.Table, *ImportResult, error) {
	n := t.NumRows()
	if n == 0 {
		return nil, nil, apperr.BadInput("the file has no rows", apperr.FieldError{Field: "path", Message: "the file has a header but no readings"})
	}
	if n > MaxImportRows {
		return nil, nil, apperr.BadInput("too many rows", apperr.FieldError{Field: "path",
			Message: fmt.Sprintf("%d rows; at most %d can be imported at once", n, MaxImportRows)})
	}
	res := &ImportResult{Rows: n, Ignored: []string{}, Notes: []string{}}
	var fields []apperr.FieldError
	var cols []*datasets.Column
	for _, s := range prof.Sensors {
		c := t.Column(s.Name)
		switch {
		case c == nil:
			fields = append(fields, apperr.FieldError{Field: s.Name, Message: fmt.Sprintf("column %s (%s, %s) is missing", s.Name, s.Kind, s.Unit)})
		case !c.Type.Numeric():
			fields = append(fields, apperr.FieldError{Field: s.Name, Message: fmt.Sprintf("column %s must hold numbers in %s, not %s values", s.Name, s.Unit, c.Type)})
		default:
			vals := make([]float64, n)
			for i := range vals {
				v, ok := c.Number(i)
				if !ok {
					v = nanValue
				}
				vals[i] = v
			}
			cols = append(cols, datasets.NewFloat(s.Name, vals, datasets.Meta{Unit: s.Unit, Kind: s.Kind, Role: datasets.RoleSensor}))
			res.Sensors = append(res.Sensors, s.Name)
		}
	}
	if len(fields) > 0 {
		return nil, nil, apperr.BadInput(fmt.Sprintf("the file does not match the sensors of %s", prof.MachineID), fields...)
	}
	// Time axis.
	var times []int64
	if c := t.Column(orderColumn); c != nil {
		switch c.Type {
		case datasets.Timestamp:
			times = slices.Clone(c.Times)
		case datasets.String:
			times = make([]int64, n)
			for i := range times {
				ts, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(c.Strings[i]))
				if err != nil {
					return nil, nil, apperr.BadInput("bad timestamp", apperr.FieldError{Field: orderColumn,
						Message: fmt.Sprintf("row %d: %q is not an RFC 3339 time such as 2026-01-31T08:00:00Z", i+1, c.Strings[i])})
				}
				times[i] = ts.UnixMilli()
			}
		default:
			return nil, nil, apperr.BadInput("bad timestamp column", apperr.FieldError{Field: orderColumn,
				Message: fmt.Sprintf("must hold times, not %s values", c.Type)})
		}
		for i := 1; i < n; i++ {
			if times[i] < times[i-1] {
				return nil, nil, apperr.BadInput("readings out of order", apperr.FieldError{Field: orderColumn,
					Message: fmt.Sprintf("row %d is earlier than row %d; sort the readings by time", i+1, i)})
			}
		}
	} else {
		step := time.Minute
		if s := minSampleInterval(prof); s > 0 {
			step = time.Duration(s * float64(time.Second))
		}
		times = make([]int64, n)
		for i := range times {
			times[i] = now.Add(-time.Duration(n-1-i) * step).UnixMilli()
		}
		res.Notes = append(res.Notes, fmt.Sprintf("no %s column: readings were spaced %s apart ending now", orderColumn, step))
	}
	units := make([]int64, n)
	for i := range units {
		units[i] = 1
	}
	head := []*datasets.Column{
		datasets.NewTimestamp(orderColumn, times, datasets.Meta{Role: datasets.RoleTime, Description: "reading time, UTC"}),
		datasets.NewInt(groupColumn, units, datasets.Meta{Role: datasets.RoleID, Description: "imported readings form one history"}),
	}
	if len(prof.Regimes) > 0 {
		regimes := make([]string, n)
		if c := t.Column("regime"); c != nil && c.Type == datasets.String {
			known := map[string]bool{}
			for _, r := range prof.Regimes {
				known[r.Name] = true
			}
			for i := range regimes {
				if !known[c.Strings[i]] {
					return nil, nil, apperr.BadInput("unknown regime", apperr.FieldError{Field: "regime",
						Message: fmt.Sprintf("row %d: %q is not a regime of %s", i+1, c.Strings[i], prof.MachineID)})
				}
				regimes[i] = c.Strings[i]
			}
		} else {
			main := prof.Regimes[0]
			for _, r := range prof.Regimes {
				if r.Probability > main.Probability {
					main = r
				}
			}
			for i := range regimes {
				regimes[i] = main.Name
			}
			res.Notes = append(res.Notes, fmt.Sprintf("no regime column: the machine's main regime %q was assumed", main.Name))
		}
		head = append(head, datasets.NewString("regime", regimes, datasets.Meta{Role: datasets.RoleContext, Description: "operating regime"}))
	}
	known := map[string]bool{orderColumn: true, "regime": true}
	for _, s := range prof.Sensors {
		known[s.Name] = true
	}
	for _, c := range t.Columns {
		if !known[c.Name] {
			res.Ignored = append(res.Ignored, c.Name)
		}
	}
	out, err := datasets.NewTable(append(head, cols...)...)
	if err != nil {
		return nil, nil, err
	}
	out.Meta = map[string]string{"generator": "pdmstudio-import", "machine_id": prof.MachineID}
	res.First = time.UnixMilli(times[0]).UTC().Format(time.RFC3339)
	res.Last = time.UnixMilli(times[n-1]).UTC().Format(time.RFC3339)
	return out, res, nil
}

func minSampleInterval(p profiles.Profile) float64 {
	best := 0.0
	for _, s := range p.Sensors {
		if s.SampleIntervalS > 0 && (best == 0 || s.SampleIntervalS < best) {
			best = s.SampleIntervalS
		}
	}
	return best
}
