// Package telemetry is the live fleet: each machine receives telemetry that advances over time
// (a replay of its held-out test data, or of its seed data, at a configurable speed; or readings
// the user imported), its latest readings are kept in a bounded ring in SQLite, and the whole
// fleet's predictions are refreshed on a schedule through the batch path (ml.PredictBatch), which
// also raises, updates and clears alerts (backend/alerts) and logs the predictions.
//
// A Monitor holds the replays in memory; Run refreshes on the interval of the saved Settings
// (and at once on Kick). One-shot callers use Refresh or Overview directly.
package telemetry

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"pdmstudio/backend/alerts"
	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datadir"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// Statuses of a machine on the dashboard.
const (
	StatusHealthy   = "healthy"
	StatusDegrading = "degrading"
	StatusWarning   = "warning"
	StatusCritical  = "critical"
	StatusUnknown   = "unknown" // not ready (no models yet) or no prediction
)

// StatusOf maps a health state (0–3) to its status.
func StatusOf(state int) string {
	switch state {
	case 0:
		return StatusHealthy
	case 1:
		return StatusDegrading
	case 2:
		return StatusWarning
	case 3:
		return StatusCritical
	}
	return StatusUnknown
}

// refreshTasks are the predictions a refresh makes (the forecast is for the detail page, which
// asks for it on demand).
var refreshTasks = []ml.Task{ml.Classification, ml.RUL, ml.Anomaly}

// PredictionKeep is how many logged predictions per machine and task the refresh keeps.
const PredictionKeep = 1000

// ModelLoader loads the model of a version (the registry, which keeps them loaded).
type ModelLoader interface {
	Model(v store.ModelVersion) (*ml.Model, error)
}

// KeySensor is one of the (up to three) sensors a machine card shows, with its latest value.
type KeySensor struct {
	Name       string   `json:"name"`
	Unit       string   `json:"unit"`
	Value      *float64 `json:"value"`
	Warning    *float64 `json:"warning"` // high-side warning threshold
	Trip       *float64 `json:"trip"`    // high-side trip threshold
	WarningLow *float64 `json:"warning_low,omitempty"`
	TripLow    *float64 `json:"trip_low,omitempty"`
}

// MachineStatus is one machine on the dashboard.
type MachineStatus struct {
	ID           string `json:"id"` // machine_id
	Name         string `json:"name"`
	Type         string `json:"type"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Site         string `json:"site"`
	Line         string `json:"line"`
	// Stage is the furthest workflow stage done; Ready says the machine has trained models.
	Stage string `json:"stage"`
	Ready bool   `json:"ready"`
	// Status is healthy, degrading, warning, critical or unknown.
	Status      string   `json:"status"`
	HealthState *int     `json:"health_state"`
	Confidence  *float64 `json:"confidence"`
	// RUL and its interval are in hours.
	RUL              *float64    `json:"rul"`
	RULLow           *float64    `json:"rul_low"`
	RULHigh          *float64    `json:"rul_high"`
	AnomalyScore     *float64    `json:"anomaly_score"`
	AnomalyThreshold *float64    `json:"anomaly_threshold"`
	KeySensors       []KeySensor `json:"key_sensors"`
	// UpdatedAt is when the machine's prediction was last refreshed (nil: never).
	UpdatedAt *string `json:"updated_at"`
	// Source is where its telemetry comes from (test, seed, import; "" when not ready).
	Source     string `json:"source"`
	OpenAlerts int    `json:"open_alerts"`
	Error      string `json:"error,omitempty"`
}

// Counts are machines per status.
type Counts struct {
	Healthy   int `json:"healthy"`
	Degrading int `json:"degrading"`
	Warning   int `json:"warning"`
	Critical  int `json:"critical"`
	Unknown   int `json:"unknown"`
}

func (c *Counts) add(status string) {
	switch status {
	case StatusHealthy:
		c.Healthy++
	case StatusDegrading:
		c.Degrading++
	case StatusWarning:
		c.Warning++
	case StatusCritical:
		c.Critical++
	default:
		c.Unknown++
	}
}

// Overview is the fleet as the dashboard shows it.
type Overview struct {
	Machines []MachineStatus `json:"machines"`
	Counts   Counts          `json:"counts"`
	// PreviousCounts are the counts of the refresh before (equal to Counts after the first).
	PreviousCounts Counts  `json:"previous_counts"`
	RefreshedAt    string  `json:"refreshed_at"`
	IntervalS      float64 `json:"interval_s"`
	Paused         bool    `json:"paused"`
	RULUnit        string  `json:"rul_unit"`
	// Refreshes counts the refreshes since the monitor started; RefreshMS is the last one's time.
	Refreshes int     `json:"refreshes"`
	RefreshMS float64 `json:"refresh_ms"`
	// Running says a scheduled refresh loop is running in this process (serve, desktop).
	Running bool `json:"running"`
	// Stale marks the overview of the last refresh stored by an earlier process, shown at start
	// until this process has refreshed (its refreshed_at says how old it is).
	Stale bool `json:"stale"`
}

// snapshotKey is the settings entry that keeps the last refresh's overview for the next start.
const snapshotKey = "fleet.overview"

// RefreshEvent is the payload of the fleet.refresh event.
type RefreshEvent struct {
	RefreshedAt    string `json:"refreshed_at"`
	Counts         Counts `json:"counts"`
	PreviousCounts Counts `json:"previous_counts"`
}

// AlertEvent is the payload of the alert event.
type AlertEvent struct {
	Change string      `json:"change"` // raised | escalated | acknowledged | cleared
	Alert  AlertDetail `json:"alert"`
}

// AlertDetail is an alert with its machine's name.
type AlertDetail struct {
	store.AlertRow
	MachineName string `json:"machine_name"`
}

// Monitor is the live fleet of one process.
type Monitor struct {
	Store  *store.Store
	Dir    datadir.Dir
	Models ModelLoader
	// Emit sends an event to the UI (nil: none).
	Emit func(name string, data any)
	Log  *slog.Logger
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// Workers bounds the prediction goroutines (0: GOMAXPROCS).
	Workers int
	// NoPredictionLog skips logging the refresh's predictions in the predictions table.
	NoPredictionLog bool
	// StartDelay holds Run's first refresh back this long when the last refresh's overview is
	// stored and can be shown meanwhile, so loading the fleet's models does not compete with the
	// UI's first render for the CPU. A kick (Refresh now, a finished job) ends the wait. 0: at once.
	StartDelay time.Duration

	refreshMu sync.Mutex     // one refresh at a time
	logs      sync.WaitGroup // the prediction log write of the last refresh

	mu        sync.Mutex
	replays   map[string]*replay
	sources   map[string]store.TelemetrySource
	profiles  map[string]cachedProfile
	overview  *Overview
	refreshes int
	running   bool
	kick      chan struct{}
}

type cachedProfile struct {
	updated string
	prof    profiles.Profile
	err     error
}

func (m *Monitor) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Monitor) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

func (m *Monitor) emit(name string, data any) {
	if m.Emit != nil {
		m.Emit(name, data)
	}
}

func (m *Monitor) isRunning() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.running
}

// Wait waits for the last refresh's background writes (the prediction log) to finish. Call it
// before closing the store.
func (m *Monitor) Wait() { m.logs.Wait() }

// Kick asks a running monitor to refresh now (without advancing the replay), e.g. when a
// machine's models are ready. It never blocks.
func (m *Monitor) Kick() {
	m.mu.Lock()
	if m.kick == nil {
		m.kick = make(chan struct{}, 1)
	}
	ch := m.kick
	m.mu.Unlock()
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Run refreshes the fleet at once and then on the saved interval until ctx ends. A Kick
// refreshes early (coalescing kicks within half a second).
func (m *Monitor) Run(ctx context.Context) {
	m.mu.Lock()
	if m.kick == nil {
		m.kick = make(chan struct{}, 1)
	}
	kick := m.kick
	m.running = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.running = false
		m.mu.Unlock()
	}()
	if m.StartDelay > 0 && m.hasSnapshot(ctx) {
		if _, stopped := wake(ctx, kick, m.StartDelay); stopped {
			return
		}
	}
	m.refreshLogged(ctx, false)
	last := m.now()
	for {
		s, err := LoadSettings(ctx, m.Store)
		if err != nil {
			s = DefaultSettings
		}
		kicked, stopped := wake(ctx, kick, max(0, s.Interval()-m.now().Sub(last)))
		if stopped {
			return
		}
		if !kicked {
			last = m.now()
			m.refreshLogged(ctx, true)
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
		select { // drop a kick that came during the pause
		case <-kick:
		default:
		}
		m.refreshLogged(ctx, false)
	}
}

// wake waits until d has passed or a kick comes (kicked), or ctx ends (stopped).
func wake(ctx context.Context, kick <-chan struct{}, d time.Duration) (kicked, stopped bool) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false, true
	case <-kick:
		return true, false
	case <-timer.C:
		return false, false
	}
}

func (m *Monitor) refreshLogged(ctx context.Context, advance bool) {
	if _, err := m.Refresh(ctx, advance); err != nil && ctx.Err() == nil {
		m.log().Error("fleet refresh", "err", err)
	}
}

// hasSnapshot reports whether a previous refresh's overview is stored (what Overview serves
// until this process's first refresh).
func (m *Monitor) hasSnapshot(ctx context.Context) bool {
	v, ok, err := m.Store.GetSetting(ctx, snapshotKey)
	if err != nil || !ok {
		return false
	}
	var snap struct {
		Machines []json.RawMessage `json:"machines"`
	}
	return json.Unmarshal([]byte(v), &snap) == nil && len(snap.Machines) > 0
}

// Overview returns the fleet as of the latest refresh. Before this process has refreshed, it
// returns the overview the last refresh stored (marked stale) so a start shows the fleet at once,
// or, when there is none, refreshes first (without advancing the replay).
func (m *Monitor) Overview(ctx context.Context) (*Overview, error) {
	m.mu.Lock()
	ov := m.overview
	m.mu.Unlock()
	if ov != nil {
		return ov, nil
	}
	if v, ok, err := m.Store.GetSetting(ctx, snapshotKey); err == nil && ok {
		var snap Overview
		if json.Unmarshal([]byte(v), &snap) == nil && len(snap.Machines) > 0 {
			snap.Stale, snap.Running = true, m.isRunning()
			return &snap, nil
		}
	}
	m.refreshMu.Lock()
	m.mu.Lock()
	ov = m.overview
	m.mu.Unlock()
	m.refreshMu.Unlock()
	if ov != nil {
		return ov, nil
	}
	return m.Refresh(ctx, false)
}

// machineWork is one machine's part of a refresh.
type machineWork struct {
	status   MachineStatus
	prof     profiles.Profile
	rp       *replay
	fresh    []store.Reading // readings to store
	newSrc   bool
	items    []int // indexes into the batch, one per refresh task (-1: none)
	versions []store.ModelVersion
}

// Refresh advances every ready machine's telemetry by the configured speed (when advance is
// true and the replay is not paused), predicts the whole fleet in one batch, reconciles alerts,
// stores readings and predictions, and emits fleet.refresh and alert events.
func (m *Monitor) Refresh(ctx context.Context, advance bool) (*Overview, error) {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	start := time.Now()
	now := m.now().UTC()
	ts := now.Format(time.RFC3339Nano)
	settings, err := LoadSettings(ctx, m.Store)
	if err != nil {
		return nil, err
	}
	rows, err := m.Store.MachineHeads(ctx)
	if err != nil {
		return nil, err
	}
	stages, err := m.Store.MachineStages(ctx)
	if err != nil {
		return nil, err
	}
	active, err := m.Store.ActiveModelVersions(ctx)
	if err != nil {
		return nil, err
	}
	versions := map[string]map[string]store.ModelVersion{}
	for _, v := range active {
		if versions[*v.MachineID] == nil {
			versions[*v.MachineID] = map[string]store.ModelVersion{}
		}
		versions[*v.MachineID][v.ModelType] = v
	}
	m.mu.Lock()
	if m.sources == nil {
		src, err := m.Store.TelemetrySources(ctx)
		if err != nil {
			m.mu.Unlock()
			return nil, err
		}
		m.sources = src
	}
	if m.replays == nil {
		m.replays = map[string]*replay{}
	}
	m.mu.Unlock()

	work := make([]*machineWork, 0, len(rows))
	var batch []ml.BatchItem
	alive := map[string]bool{}
	for _, r := range rows {
		alive[r.MachineID] = true
		w := &machineWork{status: MachineStatus{ID: r.MachineID, Type: r.MachineType, Manufacturer: r.Manufacturer, Model: r.Model,
			Site: r.Site, Line: r.Line, Stage: "profile", Status: StatusUnknown, KeySensors: []KeySensor{}}}
		work = append(work, w)
		for _, st := range stages[r.MachineID] {
			if st.State == store.StageDone {
				w.status.Stage = st.Stage
			}
		}
		prof, perr := m.profileOf(ctx, r.MachineID, r.UpdatedAt)
		w.prof = prof
		w.status.Name = prof.Name
		if w.status.Name == "" {
			w.status.Name = r.Manufacturer + " " + r.Model
		}
		if perr != nil {
			w.status.Error = perr.Error()
			continue
		}
		for _, k := range prof.KeySensors() {
			w.status.KeySensors = append(w.status.KeySensors, KeySensor{Name: k.Name, Unit: k.Unit, Warning: k.WarningHigh, Trip: k.TripHigh,
				WarningLow: k.WarningLow, TripLow: k.TripLow})
		}
		vs := versions[r.MachineID]
		_, hasClass := vs[string(ml.Classification)]
		w.status.Ready = w.status.Stage == "models" && hasClass
		if !w.status.Ready {
			continue
		}
		history, base := 1, 0
		var models []*ml.Model
		for _, task := range refreshTasks {
			v, ok := vs[string(task)]
			if !ok {
				models = append(models, nil)
				continue
			}
			mod, err := m.Models.Model(v)
			if err != nil {
				w.status.Error = err.Error()
				models = append(models, nil)
				continue
			}
			history = max(history, mod.Window())
			base = max(base, mod.BaseRows())
			models = append(models, mod)
			w.versions = append(w.versions, v)
		}
		rp, isNew, err := m.replayFor(ctx, r.MachineID, history)
		if err != nil {
			w.status.Error = err.Error()
			w.status.Ready = false
			continue
		}
		w.rp = rp
		sensors := sensorNames(prof)
		if isNew {
			w.newSrc = true
			step := settings.Interval() / time.Duration(max(1, settings.Speed))
			w.fresh = rp.backfill(min(store.TelemetryRing, 120), now, step, sensors)
		} else if advance && !settings.Paused {
			w.fresh = rp.advance(settings.Speed, now, settings.Interval(), sensors)
		}
		w.status.Source = rp.kind
		window := rp.window(history, base)
		for _, mod := range models {
			if mod == nil {
				w.items = append(w.items, -1)
				continue
			}
			w.items = append(w.items, len(batch))
			batch = append(batch, ml.BatchItem{Model: mod, Data: window, Options: ml.PredictOptions{Last: true}})
		}
	}
	m.forget(alive)

	results := ml.PredictBatch(ctx, batch, m.Workers)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Statuses, observations, predictions to log.
	conds := map[string][]alerts.Condition{}
	names := map[string]string{}
	var logs []store.PredictionRow
	rules := alerts.Rules{RULHorizonHours: settings.RULHorizon}
	for _, w := range work {
		names[w.status.ID] = w.status.Name
		if w.rp == nil {
			continue
		}
		for i := range w.status.KeySensors {
			w.status.KeySensors[i].Value = w.rp.latest(w.status.KeySensors[i].Name)
		}
		obs := alerts.Observation{MachineID: w.status.ID, MachineName: w.status.Name}
		var snapshot json.RawMessage
		vi := 0
		predicted := false
		for ti, task := range refreshTasks {
			idx := w.items[ti]
			if idx < 0 {
				continue
			}
			v := w.versions[vi]
			vi++
			res := results[idx]
			if res.Err != nil || len(res.Predictions) == 0 {
				if res.Err != nil {
					w.status.Error = fmt.Sprintf("%s: %v", task, res.Err)
				}
				continue
			}
			p := res.Predictions[len(res.Predictions)-1]
			predicted = true
			m.apply(&w.status, &obs, task, p, w.rp.stepHours)
			if !m.NoPredictionLog {
				if snapshot == nil {
					snapshot = w.snapshot()
				}
				b, _ := json.Marshal(p)
				vid := v.ID
				logs = append(logs, store.PredictionRow{ID: uuid.NewString(), MachineID: w.status.ID, PredictionType: string(task),
					ModelVersionID: &vid, InputData: snapshot, Result: b, Confidence: p.Confidence, Timestamp: ts, Origin: store.OriginRefresh})
			}
		}
		if predicted {
			w.status.UpdatedAt = &ts
			conds[w.status.ID] = rules.Conditions(obs)
		}
	}

	// Alerts.
	open, err := m.Store.Alerts(ctx, store.AlertFilter{State: "open", Limit: 5000})
	if err != nil {
		return nil, err
	}
	insert, update, changes := rules.Reconcile(open, conds, ts)
	openBy := map[string]int{}
	for _, a := range open {
		openBy[a.MachineID]++
	}
	for _, ch := range changes {
		switch ch.Kind {
		case "raised":
			openBy[ch.Alert.MachineID]++
		case "cleared":
			openBy[ch.Alert.MachineID]--
		}
	}

	// Readings, source positions, alerts and the prediction log in one transaction.
	var readings []store.MachineReadings
	for _, w := range work {
		if w.rp == nil || (!w.rp.dirty && !w.newSrc && len(w.fresh) == 0) {
			continue
		}
		readings = append(readings, store.MachineReadings{Source: w.rp.source(), Readings: w.fresh})
	}
	if err := m.Store.SaveRefresh(ctx, store.RefreshWrite{Readings: readings, InsertAlerts: insert, UpdateAlerts: update}); err != nil {
		return nil, err
	}
	for _, w := range work {
		if w.rp != nil {
			w.rp.dirty = false
		}
	}

	ov := &Overview{Machines: make([]MachineStatus, 0, len(work)), RefreshedAt: ts, IntervalS: settings.RefreshIntervalS,
		Paused: settings.Paused, RULUnit: "hours"}
	for _, w := range work {
		w.status.OpenAlerts = max(0, openBy[w.status.ID])
		ov.Machines = append(ov.Machines, w.status)
		ov.Counts.add(w.status.Status)
	}
	m.mu.Lock()
	ov.PreviousCounts = ov.Counts
	if m.overview != nil {
		ov.PreviousCounts = m.overview.Counts
	}
	m.refreshes++
	ov.Refreshes = m.refreshes
	ov.Running = m.running
	ov.RefreshMS = float64(time.Since(start).Microseconds()) / 1000
	m.overview = ov
	n := m.refreshes
	m.mu.Unlock()

	m.emit("fleet.refresh", RefreshEvent{RefreshedAt: ts, Counts: ov.Counts, PreviousCounts: ov.PreviousCounts})
	for _, ch := range changes {
		m.emit("alert", AlertEvent{Change: ch.Kind, Alert: AlertDetail{AlertRow: ch.Alert, MachineName: names[ch.Alert.MachineID]}})
	}

	// The prediction log is history, not what the dashboard waits for: it is written after the
	// overview is out, one write at a time (the next refresh's log waits for this one).
	m.logs.Wait()
	m.logs.Add(1)
	go func() {
		defer m.logs.Done()
		bg := context.WithoutCancel(ctx)
		if err := m.Store.SaveRefresh(bg, store.RefreshWrite{Predictions: logs}); err != nil {
			m.log().Error("log fleet predictions", "err", err)
		}
		if b, err := json.Marshal(ov); err == nil {
			if err := m.Store.SetSetting(bg, snapshotKey, string(b)); err != nil {
				m.log().Warn("store the fleet overview", "err", err)
			}
		}
		if n%20 == 0 {
			if _, err := m.Store.PruneReadings(bg); err != nil {
				m.log().Warn("prune readings", "err", err)
			}
		}
		if !m.NoPredictionLog && n%50 == 0 {
			if _, err := m.Store.PrunePredictions(bg, PredictionKeep); err != nil {
				m.log().Warn("prune predictions", "err", err)
			}
		}
	}()
	return ov, nil
}

// apply copies one task's prediction into a machine's status and alert observation.
func (m *Monitor) apply(s *MachineStatus, o *alerts.Observation, task ml.Task, p ml.Prediction, stepHours float64) {
	top := func() []alerts.Factor {
		out := make([]alerts.Factor, 0, len(p.TopFactors))
		for _, f := range p.TopFactors {
			out = append(out, alerts.Factor{Sensor: f.Sensor, Contribution: f.Contribution})
		}
		return out
	}
	switch task {
	case ml.Classification:
		f, ok := number(p.Prediction)
		if !ok {
			return
		}
		st := int(math.Round(f))
		s.HealthState, s.Status = &st, StatusOf(st)
		s.Confidence = p.Confidence
		o.HealthState, o.Confidence, o.StateTop = &st, p.Confidence, top()
	case ml.RUL:
		f, ok := number(p.Prediction)
		if !ok {
			return
		}
		h := math.Max(0, f) * stepHours
		s.RUL = &h
		if p.Interval != nil {
			lo, hi := math.Max(0, p.Interval.Lower)*stepHours, math.Max(0, p.Interval.Upper)*stepHours
			s.RULLow, s.RULHigh = &lo, &hi
		}
		o.RULHours, o.RULTop = &h, top()
	case ml.Anomaly:
		s.AnomalyScore, s.AnomalyThreshold = p.Score, p.Threshold
		o.AnomalyScore, o.AnomalyThreshold, o.AnomalyTop = p.Score, p.Threshold, top()
	}
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

// snapshot is the logged input of a prediction: the latest readings.
func (w *machineWork) snapshot() json.RawMessage {
	row := map[string]any{}
	for _, s := range w.prof.Sensors {
		if v := w.rp.latest(s.Name); v != nil {
			row[s.Name] = *v
		}
	}
	b, _ := json.Marshal(row)
	return b
}

func sensorNames(p profiles.Profile) []string {
	out := make([]string, 0, len(p.Sensors))
	for _, s := range p.Sensors {
		out = append(out, s.Name)
	}
	return out
}

// profile decodes a machine's profile, cached by its row's update time.
func (m *Monitor) profile(r store.MachineRow) (profiles.Profile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profiles == nil {
		m.profiles = map[string]cachedProfile{}
	}
	if c, ok := m.profiles[r.MachineID]; ok && c.updated == r.UpdatedAt {
		return c.prof, c.err
	}
	p, err := profiles.Decode([]byte(r.ProfileJSON), profiles.FormatJSON)
	m.profiles[r.MachineID] = cachedProfile{updated: r.UpdatedAt, prof: p, err: err}
	return p, err
}

// profileOf returns a machine's profile from the cache when its row has not changed since.
func (m *Monitor) profileOf(ctx context.Context, machineID, updatedAt string) (profiles.Profile, error) {
	m.mu.Lock()
	c, ok := m.profiles[machineID]
	m.mu.Unlock()
	if ok && c.updated == updatedAt {
		return c.prof, c.err
	}
	r, err := m.Store.GetMachine(ctx, machineID)
	if err != nil {
		return profiles.Profile{}, err
	}
	return m.profile(r)
}

// forget drops the state of machines that no longer exist.
func (m *Monitor) forget(alive map[string]bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id := range m.replays {
		if !alive[id] {
			delete(m.replays, id)
			delete(m.sources, id)
			delete(m.profiles, id)
		}
	}
}

// source returns the replay's row for telemetry_sources.
func (r *replay) source() store.TelemetrySource {
	path := ""
	if r.kind == SourceImport {
		path = r.rel
	}
	return store.TelemetrySource{MachineID: r.machineID, Kind: r.kind, Path: path, Position: int64(r.position), Rows: int64(r.rows()), Seq: r.seq}
}

// sourceFiles are the files a machine's telemetry can come from, in order of preference.
func (m *Monitor) sourceFiles(machineID string) ([][2]string, error) {
	dir, err := m.Dir.MachineDir(machineID)
	if err != nil {
		return nil, apperr.BadInputf("%v", err)
	}
	return [][2]string{{SourceTest, filepath.Join(dir, "test.parquet")}, {SourceSeed, filepath.Join(dir, "seed.parquet")}}, nil
}

// importPath is the file of an imported source (rel is relative to the machine's folder).
func (m *Monitor) importPath(machineID, rel string) (string, error) {
	dir, err := m.Dir.MachineDir(machineID)
	if err != nil {
		return "", apperr.BadInputf("%v", err)
	}
	if rel == "" || filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
		return "", apperr.BadInputf("imported telemetry path %q is not inside the machine's folder", rel)
	}
	return filepath.Join(dir, rel), nil
}

// replayFor returns a machine's replay, loading (or reloading, when its file changed) its source.
// isNew says the replay starts now (no stored position), so it needs its history back-filled.
func (m *Monitor) replayFor(ctx context.Context, machineID string, history int) (*replay, bool, error) {
	m.mu.Lock()
	rp := m.replays[machineID]
	saved, hasSaved := m.sources[machineID]
	m.mu.Unlock()
	if rp != nil {
		if mod, size, ok := fileStamp(rp.path); ok && mod.Equal(rp.mod) && size == rp.size {
			return rp, false, nil
		}
	}
	// Which file: an import stays the source while its file exists; otherwise test, then seed.
	var kind, path string
	if hasSaved && saved.Kind == SourceImport {
		if p, err := m.importPath(machineID, saved.Path); err == nil {
			if _, _, ok := fileStamp(p); ok {
				kind, path = SourceImport, p
			}
		}
	}
	if kind == "" {
		files, err := m.sourceFiles(machineID)
		if err != nil {
			return nil, false, err
		}
		for _, f := range files {
			if _, _, ok := fileStamp(f[1]); ok {
				kind, path = f[0], f[1]
				break
			}
		}
	}
	if kind == "" {
		return nil, false, apperr.Conflictf("machine %s has no data to replay yet", machineID)
	}
	next, err := m.load(machineID, kind, path)
	if err != nil {
		return nil, false, err
	}
	if kind == SourceImport {
		next.rel = saved.Path
	}
	isNew := true
	switch {
	case rp != nil && rp.kind == kind:
		// The same source changed on disk (regenerated): keep going from the same row.
		next.position, next.seq, isNew = min(rp.position, next.rows()), rp.seq, false
	case hasSaved && saved.Kind == kind && int(saved.Rows) == next.rows():
		next.position, next.seq, isNew = int(min(saved.Position, saved.Rows)), saved.Seq, false
	default:
		if rp != nil {
			next.seq = rp.seq
		} else if hasSaved {
			next.seq = saved.Seq
		}
		next.position = startPosition(machineID, next.rows(), history)
		if kind == SourceImport {
			next.position = next.rows()
		}
	}
	next.dirty = true
	m.mu.Lock()
	m.replays[machineID] = next
	m.mu.Unlock()
	return next, isNew, nil
}

// load reads a source file and the seed data's cadence.
func (m *Monitor) load(machineID, kind, path string) (*replay, error) {
	mod, size, _ := fileStamp(path)
	t, err := datasets.ReadParquet(path)
	if err != nil {
		return nil, fmt.Errorf("telemetry source of %s: %w", machineID, err)
	}
	if t.NumRows() == 0 {
		return nil, apperr.Conflictf("telemetry source %s of %s has no rows", kind, machineID)
	}
	rp := &replay{machineID: machineID, kind: kind, path: path, mod: mod, size: size, table: t, group: t.Column(groupColumn)}
	rp.stepHours = stepHoursOf(t)
	if kind != SourceSeed {
		// The models' RUL counts rows at the seed data's cadence.
		if files, err := m.sourceFiles(machineID); err == nil {
			if fi, err := datasets.InspectParquet(files[1][1]); err == nil {
				if s, err := strconv.ParseFloat(fi.Meta["step_seconds"], 64); err == nil && s > 0 {
					rp.stepHours = s / 3600
				}
			}
		}
	}
	return rp, nil
}

// Live returns a machine's live window of up to rows readings (the rows its models predict
// from; with base > 0, led by the episode's first base readings as [replay.window] says) and
// where it comes from; ok is false when the machine has no live telemetry yet.
func (m *Monitor) Live(ctx context.Context, machineID string, rows, base int) (*datasets.Table, string, bool) {
	m.refreshMu.Lock() // a refresh moves the replays
	defer m.refreshMu.Unlock()
	m.mu.Lock()
	rp := m.replays[machineID]
	m.mu.Unlock()
	if rp == nil {
		// Not replayed in this process yet: resume from the stored position, if any.
		src, err := m.Store.GetTelemetrySource(ctx, machineID)
		if err != nil {
			return nil, "", false
		}
		m.mu.Lock()
		if m.sources == nil {
			m.sources = map[string]store.TelemetrySource{}
		}
		if _, ok := m.sources[machineID]; !ok {
			m.sources[machineID] = src
		}
		if m.replays == nil {
			m.replays = map[string]*replay{}
		}
		m.mu.Unlock()
		rp, _, err = m.replayFor(ctx, machineID, rows)
		if err != nil {
			return nil, "", false
		}
	}
	if rp.position <= 0 {
		return nil, "", false
	}
	return rp.window(rows, base), "telemetry:" + rp.kind, true
}

// WithNames adds each alert's machine name.
func (m *Monitor) WithNames(ctx context.Context, rows []store.AlertRow) ([]AlertDetail, error) {
	out := make([]AlertDetail, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	machines, err := m.Store.ListMachines(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(machines))
	for _, r := range machines {
		p, err := m.profile(r)
		names[r.MachineID] = r.Manufacturer + " " + r.Model
		if err == nil && p.Name != "" {
			names[r.MachineID] = p.Name
		}
	}
	for _, a := range rows {
		out = append(out, AlertDetail{AlertRow: a, MachineName: names[a.MachineID]})
	}
	return out, nil
}
