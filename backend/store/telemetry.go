package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// TelemetryRing is how many of each machine's latest readings are kept (telemetry_batches holds
// them in batches; PruneReadings drops older batches).
const TelemetryRing = 500

// Reading is one row of a machine's telemetry: sensor values at a time.
type Reading struct {
	Seq    int64               `json:"seq"`
	Time   string              `json:"ts"`
	Cycle  int64               `json:"cycle"`
	Values map[string]*float64 `json:"readings"` // nil: missing (sensor dropout)
}

// TelemetrySource is where a machine's telemetry comes from and how far its replay has got.
type TelemetrySource struct {
	MachineID string `json:"machine_id"`
	Kind      string `json:"kind"` // test | seed | import
	Path      string `json:"path"`
	Position  int64  `json:"position"` // next source row to replay
	Rows      int64  `json:"rows"`
	Seq       int64  `json:"seq"` // last reading's sequence number
	UpdatedAt string `json:"updated_at"`
}

// MachineReadings are new readings of one machine and its source's new position, for
// AppendReadings.
type MachineReadings struct {
	Source   TelemetrySource
	Readings []Reading
}

// TelemetrySources returns every machine's telemetry source, by machine id.
func (s *Store) TelemetrySources(ctx context.Context) (map[string]TelemetrySource, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT machine_id, kind, path, position, rows, seq, updated_at FROM telemetry_sources`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]TelemetrySource{}
	for rows.Next() {
		var t TelemetrySource
		if err := rows.Scan(&t.MachineID, &t.Kind, &t.Path, &t.Position, &t.Rows, &t.Seq, &t.UpdatedAt); err != nil {
			return nil, err
		}
		out[t.MachineID] = t
	}
	return out, rows.Err()
}

// GetTelemetrySource returns one machine's telemetry source, or ErrNotFound.
func (s *Store) GetTelemetrySource(ctx context.Context, machineID string) (TelemetrySource, error) {
	t := TelemetrySource{MachineID: machineID}
	err := s.DB.QueryRowContext(ctx, `SELECT kind, path, position, rows, seq, updated_at FROM telemetry_sources WHERE machine_id = ?`,
		machineID).Scan(&t.Kind, &t.Path, &t.Position, &t.Rows, &t.Seq, &t.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("telemetry source of %s: %w", machineID, ErrNotFound)
	}
	return t, err
}

// AppendReadings stores new readings of many machines and their sources' positions in one
// transaction. Each machine keeps its latest TelemetryRing readings.
func (s *Store) AppendReadings(ctx context.Context, batch []MachineReadings) error {
	if len(batch) == 0 {
		return nil
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := appendReadings(ctx, tx, batch); err != nil {
		return err
	}
	return tx.Commit()
}

// batchJSON is how a batch of readings is stored: the sensor names once, then per reading its
// sequence number, time, source row and values in sensor order (null: missing).
type batchJSON struct {
	Sensors []string     `json:"sensors"`
	Seqs    []int64      `json:"seqs"`
	Times   []string     `json:"times"`
	Cycles  []int64      `json:"cycles"`
	Values  [][]*float64 `json:"values"`
}

func encodeBatch(rs []Reading) (string, error) {
	b := batchJSON{Seqs: make([]int64, len(rs)), Times: make([]string, len(rs)), Cycles: make([]int64, len(rs)), Values: make([][]*float64, len(rs))}
	seen := map[string]int{}
	for _, r := range rs {
		for name := range r.Values {
			if _, ok := seen[name]; !ok {
				seen[name] = len(b.Sensors)
				b.Sensors = append(b.Sensors, name)
			}
		}
	}
	for i, r := range rs {
		b.Seqs[i], b.Times[i], b.Cycles[i] = r.Seq, r.Time, r.Cycle
		row := make([]*float64, len(b.Sensors))
		for name, v := range r.Values {
			row[seen[name]] = v
		}
		b.Values[i] = row
	}
	out, err := json.Marshal(b)
	return string(out), err
}

func decodeBatch(s string) ([]Reading, error) {
	var b batchJSON
	if err := json.Unmarshal([]byte(s), &b); err != nil {
		return nil, err
	}
	if len(b.Times) != len(b.Seqs) || len(b.Cycles) != len(b.Seqs) || len(b.Values) != len(b.Seqs) {
		return nil, fmt.Errorf("batch columns of unequal length")
	}
	out := make([]Reading, len(b.Seqs))
	for i := range out {
		vals := make(map[string]*float64, len(b.Sensors))
		for k, name := range b.Sensors {
			if k < len(b.Values[i]) {
				vals[name] = b.Values[i][k]
			}
		}
		out[i] = Reading{Seq: b.Seqs[i], Time: b.Times[i], Cycle: b.Cycles[i], Values: vals}
	}
	return out, nil
}

func appendReadings(ctx context.Context, tx *sql.Tx, batch []MachineReadings) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO telemetry_batches (machine_id, last_seq, n, batch) VALUES (?,?,?,?)
		ON CONFLICT(machine_id, last_seq) DO UPDATE SET n = excluded.n, batch = excluded.batch`)
	if err != nil {
		return err
	}
	defer ins.Close()
	src, err := tx.PrepareContext(ctx, `INSERT INTO telemetry_sources (machine_id, kind, path, position, rows, seq, updated_at) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(machine_id) DO UPDATE SET kind = excluded.kind, path = excluded.path, position = excluded.position,
		rows = excluded.rows, seq = excluded.seq, updated_at = excluded.updated_at`)
	if err != nil {
		return err
	}
	defer src.Close()
	ts := now()
	for _, b := range batch {
		// Only the latest ring's worth is ever read back.
		rs := b.Readings
		if len(rs) > TelemetryRing {
			rs = rs[len(rs)-TelemetryRing:]
		}
		if len(rs) > 0 {
			enc, err := encodeBatch(rs)
			if err != nil {
				return err
			}
			if _, err := ins.ExecContext(ctx, b.Source.MachineID, rs[len(rs)-1].Seq, len(rs), enc); err != nil {
				return fmt.Errorf("store readings of %s: %w", b.Source.MachineID, err)
			}
		}
		t := b.Source
		if _, err := src.ExecContext(ctx, t.MachineID, t.Kind, t.Path, t.Position, t.Rows, t.Seq, ts); err != nil {
			return fmt.Errorf("store telemetry source of %s: %w", t.MachineID, err)
		}
	}
	return nil
}

// PruneReadings deletes the stored batches that hold only readings older than each machine's
// latest TelemetryRing.
func (s *Store) PruneReadings(ctx context.Context) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM telemetry_batches WHERE last_seq <= (SELECT s.seq FROM telemetry_sources s
		WHERE s.machine_id = telemetry_batches.machine_id) - ?`, TelemetryRing)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RefreshWrite is everything one fleet refresh stores.
type RefreshWrite struct {
	Readings     []MachineReadings
	InsertAlerts []AlertRow
	UpdateAlerts []AlertRow
	Predictions  []PredictionRow
}

// SaveRefresh stores a fleet refresh's readings, source positions, alert changes and prediction
// log in one transaction.
func (s *Store) SaveRefresh(ctx context.Context, w RefreshWrite) error {
	if len(w.Readings) == 0 && len(w.InsertAlerts) == 0 && len(w.UpdateAlerts) == 0 && len(w.Predictions) == 0 {
		return nil
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if len(w.Readings) > 0 {
		if err := appendReadings(ctx, tx, w.Readings); err != nil {
			return err
		}
	}
	if err := saveAlerts(ctx, tx, w.InsertAlerts, w.UpdateAlerts); err != nil {
		return err
	}
	if err := insertPredictions(ctx, tx, w.Predictions); err != nil {
		return err
	}
	return tx.Commit()
}

// ReplaceReadings drops a machine's readings and stores new ones with its new source, in one
// transaction (an import).
func (s *Store) ReplaceReadings(ctx context.Context, b MachineReadings) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM telemetry_batches WHERE machine_id = ?`, b.Source.MachineID); err != nil {
		return err
	}
	if err := appendReadings(ctx, tx, []MachineReadings{b}); err != nil {
		return err
	}
	return tx.Commit()
}

// LatestReadings returns a machine's latest readings (at most limit, at most TelemetryRing),
// oldest first.
func (s *Store) LatestReadings(ctx context.Context, machineID string, limit int) ([]Reading, error) {
	if limit <= 0 || limit > TelemetryRing {
		limit = TelemetryRing
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT batch FROM telemetry_batches WHERE machine_id = ? ORDER BY last_seq DESC`, machineID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var batches [][]Reading
	n := 0
	for rows.Next() && n < limit {
		var enc string
		if err := rows.Scan(&enc); err != nil {
			return nil, err
		}
		b, err := decodeBatch(enc)
		if err != nil {
			return nil, fmt.Errorf("readings of %s: %w", machineID, err)
		}
		batches = append(batches, b)
		n += len(b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Reading, 0, min(n, limit))
	for i := len(batches) - 1; i >= 0; i-- {
		out = append(out, batches[i]...)
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// MachineHead is a machine row without its profile, for listings that run often.
type MachineHead struct {
	MachineID    string
	MachineType  string
	Manufacturer string
	Model        string
	Site         string
	Line         string
	UpdatedAt    string
}

// MachineHeads lists every machine without its profile JSON, by machine id.
func (s *Store) MachineHeads(ctx context.Context) ([]MachineHead, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT machine_id, machine_type, manufacturer, model, site, line, updated_at FROM machines ORDER BY machine_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MachineHead
	for rows.Next() {
		var h MachineHead
		if err := rows.Scan(&h.MachineID, &h.MachineType, &h.Manufacturer, &h.Model, &h.Site, &h.Line, &h.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// ActiveModelVersions returns the active model version of every machine and task, in one query,
// without their metrics.
func (s *Store) ActiveModelVersions(ctx context.Context) ([]ModelVersion, error) {
	// Metrics (kilobytes of JSON per version) are left out: a refresh runs this every time.
	rows, err := s.DB.QueryContext(ctx, `SELECT id, machine_id, model_type, version, file_path, '{}', trained_at, is_active
		FROM model_versions WHERE is_active = 1 AND machine_id IS NOT NULL ORDER BY machine_id, model_type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ModelVersion
	for rows.Next() {
		v, err := scanMV(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PrunePredictions keeps the newest keep predictions the live fleet's refresh logged for each
// machine and task and deletes the older ones; predictions a user asked for are kept. It
// returns how many rows it deleted.
func (s *Store) PrunePredictions(ctx context.Context, keep int) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM predictions WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER
		(PARTITION BY machine_id, prediction_type ORDER BY timestamp DESC) AS rn FROM predictions WHERE origin = 'refresh')
		WHERE rn > ?)`, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
