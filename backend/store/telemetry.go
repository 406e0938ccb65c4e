package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// TelemetryRing is how many readings per machine telemetry_readings keeps.
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

func appendReadings(ctx context.Context, tx *sql.Tx, batch []MachineReadings) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO telemetry_readings (machine_id, slot, seq, ts, cycle, readings) VALUES (?,?,?,?,?,?)
		ON CONFLICT(machine_id, slot) DO UPDATE SET seq = excluded.seq, ts = excluded.ts, cycle = excluded.cycle, readings = excluded.readings`)
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
		// Only the last ring's worth can survive; older ones would be overwritten at once.
		rs := b.Readings
		if len(rs) > TelemetryRing {
			rs = rs[len(rs)-TelemetryRing:]
		}
		for _, r := range rs {
			vals, err := json.Marshal(r.Values)
			if err != nil {
				return err
			}
			if _, err := ins.ExecContext(ctx, b.Source.MachineID, r.Seq%TelemetryRing, r.Seq, r.Time, r.Cycle, string(vals)); err != nil {
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

// ReplaceReadings drops a machine's readings and stores new ones with its new source, in one
// transaction (an import).
func (s *Store) ReplaceReadings(ctx context.Context, b MachineReadings) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM telemetry_readings WHERE machine_id = ?`, b.Source.MachineID); err != nil {
		return err
	}
	if err := appendReadings(ctx, tx, []MachineReadings{b}); err != nil {
		return err
	}
	return tx.Commit()
}

// LatestReadings returns a machine's latest readings (at most limit), oldest first.
func (s *Store) LatestReadings(ctx context.Context, machineID string, limit int) ([]Reading, error) {
	if limit <= 0 || limit > TelemetryRing {
		limit = TelemetryRing
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT seq, ts, cycle, readings FROM telemetry_readings WHERE machine_id = ?
		ORDER BY seq DESC LIMIT ?`, machineID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reading
	for rows.Next() {
		var r Reading
		var vals string
		if err := rows.Scan(&r.Seq, &r.Time, &r.Cycle, &vals); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
			return nil, fmt.Errorf("readings of %s: %w", machineID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// ActiveModelVersions returns the active model version of every machine and task, in one query.
func (s *Store) ActiveModelVersions(ctx context.Context) ([]ModelVersion, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+mvColumns+` FROM model_versions WHERE is_active = 1 AND machine_id IS NOT NULL
		ORDER BY machine_id, model_type`)
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

// PrunePredictions keeps the newest keep logged predictions of each machine and task and deletes
// the rest. It returns how many rows it deleted.
func (s *Store) PrunePredictions(ctx context.Context, keep int) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM predictions WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER
		(PARTITION BY machine_id, prediction_type ORDER BY timestamp DESC) AS rn FROM predictions) WHERE rn > ?)`, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
