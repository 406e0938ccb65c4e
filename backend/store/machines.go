package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Workflow stages of a machine, in order.
var Stages = []string{"profile", "seed", "trained", "synthetic", "validated", "models"}

// Stage states.
const (
	StagePending = "pending"
	StageRunning = "running"
	StageDone    = "done"
	StageFailed  = "failed"
)

// MachineRow is one row of the machines table.
type MachineRow struct {
	ID           string  `json:"id"`
	MachineID    string  `json:"machine_id"`
	MachineType  string  `json:"machine_type"`
	Manufacturer string  `json:"manufacturer"`
	Model        string  `json:"model"`
	Site         string  `json:"site"`
	Line         string  `json:"line"`
	MetadataPath string  `json:"metadata_path"`
	ProfileJSON  string  `json:"-"`
	VLMMetadata  *string `json:"vlm_metadata"`
	CreatedAt    string  `json:"created_at"`
	UpdatedAt    string  `json:"updated_at"`
}

// StageRow is the state of one workflow stage of a machine.
type StageRow struct {
	Stage     string `json:"stage"`
	State     string `json:"state"`
	Detail    string `json:"detail"`
	UpdatedAt string `json:"updated_at"`
}

const machineColumns = `id, machine_id, machine_type, manufacturer, model, site, line, metadata_path, profile_json,
	vlm_metadata, created_at, updated_at`

func scanMachine(r scanner) (MachineRow, error) {
	var m MachineRow
	var vlm sql.NullString
	err := r.Scan(&m.ID, &m.MachineID, &m.MachineType, &m.Manufacturer, &m.Model, &m.Site, &m.Line, &m.MetadataPath,
		&m.ProfileJSON, &vlm, &m.CreatedAt, &m.UpdatedAt)
	if vlm.Valid {
		m.VLMMetadata = &vlm.String
	}
	return m, err
}

// InsertMachine adds a machine row and its stages (profile done, the rest pending) inside tx.
func InsertMachine(ctx context.Context, tx *sql.Tx, m MachineRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO machines (`+machineColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		m.ID, m.MachineID, m.MachineType, m.Manufacturer, m.Model, m.Site, m.Line, m.MetadataPath, m.ProfileJSON,
		m.VLMMetadata, m.CreatedAt, m.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert machine %s: %w", m.MachineID, err)
	}
	for _, s := range Stages {
		state := StagePending
		if s == "profile" {
			state = StageDone
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO machine_stages (machine_id, stage, state, updated_at) VALUES (?,?,?,?)`,
			m.MachineID, s, state, m.CreatedAt); err != nil {
			return fmt.Errorf("insert stage %s of %s: %w", s, m.MachineID, err)
		}
	}
	return nil
}

// UpdateMachineProfile replaces the descriptive columns and profile of a machine inside tx.
func UpdateMachineProfile(ctx context.Context, tx *sql.Tx, m MachineRow) error {
	res, err := tx.ExecContext(ctx, `UPDATE machines SET machine_type=?, manufacturer=?, model=?, site=?, line=?,
		profile_json=?, vlm_metadata=?, updated_at=? WHERE machine_id=?`,
		m.MachineType, m.Manufacturer, m.Model, m.Site, m.Line, m.ProfileJSON, m.VLMMetadata, m.UpdatedAt, m.MachineID)
	if err != nil {
		return fmt.Errorf("update machine %s: %w", m.MachineID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("machine %s: %w", m.MachineID, ErrNotFound)
	}
	return nil
}

// GetMachine returns one machine row, or ErrNotFound.
func (s *Store) GetMachine(ctx context.Context, machineID string) (MachineRow, error) {
	m, err := scanMachine(s.DB.QueryRowContext(ctx, `SELECT `+machineColumns+` FROM machines WHERE machine_id = ?`, machineID))
	if errors.Is(err, sql.ErrNoRows) {
		return MachineRow{}, fmt.Errorf("machine %s: %w", machineID, ErrNotFound)
	}
	return m, err
}

// MachineExists reports whether a machine id is taken.
func (s *Store) MachineExists(ctx context.Context, machineID string) (bool, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM machines WHERE machine_id = ?`, machineID).Scan(&n)
	return n > 0, err
}

// ListMachines returns every machine, ordered by machine id.
func (s *Store) ListMachines(ctx context.Context) ([]MachineRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+machineColumns+` FROM machines ORDER BY machine_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MachineRow{}
	for rows.Next() {
		m, err := scanMachine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MachineStages returns the workflow stages of every machine, keyed by machine id, in stage order.
func (s *Store) MachineStages(ctx context.Context) (map[string][]StageRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT machine_id, stage, state, detail, updated_at FROM machine_stages`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]StageRow{}
	for rows.Next() {
		var id string
		var r StageRow
		if err := rows.Scan(&id, &r.Stage, &r.State, &r.Detail, &r.UpdatedAt); err != nil {
			return nil, err
		}
		out[id] = append(out[id], r)
	}
	for id, rs := range out {
		out[id] = orderStages(rs)
	}
	return out, rows.Err()
}

func orderStages(rs []StageRow) []StageRow {
	ordered := make([]StageRow, 0, len(rs))
	for _, name := range Stages {
		for _, r := range rs {
			if r.Stage == name {
				ordered = append(ordered, r)
			}
		}
	}
	return ordered
}

// SetStage records the state of one workflow stage of a machine.
func (s *Store) SetStage(ctx context.Context, machineID, stage, state, detail string) error {
	res, err := s.DB.ExecContext(ctx, `UPDATE machine_stages SET state = ?, detail = ?, updated_at = ?
		WHERE machine_id = ? AND stage = ?`, state, detail, now(), machineID, stage)
	if err != nil {
		return fmt.Errorf("set stage %s of %s: %w", stage, machineID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("stage %s of machine %s: %w", stage, machineID, ErrNotFound)
	}
	return nil
}

// DeleteMachine removes a machine row inside tx; its stages, jobs, training runs, model versions,
// predictions and explanations go with it (ON DELETE CASCADE).
func DeleteMachine(ctx context.Context, tx *sql.Tx, machineID string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM machines WHERE machine_id = ?`, machineID)
	if err != nil {
		return fmt.Errorf("delete machine %s: %w", machineID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("machine %s: %w", machineID, ErrNotFound)
	}
	return nil
}

// CountMachineRows counts the rows that refer to a machine in each dependent table.
func (s *Store) CountMachineRows(ctx context.Context, machineID string) (map[string]int, error) {
	out := map[string]int{}
	for _, t := range []string{"machine_stages", "jobs", "gan_training_jobs", "model_versions", "predictions", "explanations"} {
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM `+t+` WHERE machine_id = ?`, machineID).Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}
