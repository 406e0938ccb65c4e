package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// ModelVersion is one row of model_versions.
type ModelVersion struct {
	ID        string          `json:"id"`
	MachineID *string         `json:"machine_id"`
	ModelType string          `json:"model_type"` // classification | rul | anomaly | forecast
	Version   string          `json:"version"`
	FilePath  string          `json:"file_path"`
	Metrics   json.RawMessage `json:"metrics"`
	TrainedAt string          `json:"trained_at"`
	IsActive  bool            `json:"is_active"`
}

const mvColumns = `id, machine_id, model_type, version, file_path, metrics, trained_at, is_active`

func scanMV(r scanner) (ModelVersion, error) {
	var v ModelVersion
	var machine sql.NullString
	var metrics string
	err := r.Scan(&v.ID, &machine, &v.ModelType, &v.Version, &v.FilePath, &metrics, &v.TrainedAt, &v.IsActive)
	if machine.Valid {
		v.MachineID = &machine.String
	}
	v.Metrics = json.RawMessage(metrics)
	return v, err
}

// InsertModelVersion stores a new, inactive model version.
func (s *Store) InsertModelVersion(ctx context.Context, v ModelVersion) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO model_versions (`+mvColumns+`) VALUES (?,?,?,?,?,?,?,0)`,
		v.ID, v.MachineID, v.ModelType, v.Version, v.FilePath, string(v.Metrics), v.TrainedAt)
	if err != nil {
		return fmt.Errorf("insert model version: %w", err)
	}
	return nil
}

// ModelVersions lists the versions of a machine's models, newest first.
func (s *Store) ModelVersions(ctx context.Context, machineID string) ([]ModelVersion, error) {
	return queryRows(ctx, s.DB, scanMV, `SELECT `+mvColumns+` FROM model_versions WHERE machine_id = ?
		ORDER BY model_type, trained_at DESC`, machineID)
}

// GetModelVersion returns one version, or ErrNotFound.
func (s *Store) GetModelVersion(ctx context.Context, id string) (ModelVersion, error) {
	v, err := scanMV(s.DB.QueryRowContext(ctx, `SELECT `+mvColumns+` FROM model_versions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("model version %s: %w", id, ErrNotFound)
	}
	return v, err
}

// ActivateModelVersion makes a version the active one of its machine and task, in one transaction.
func (s *Store) ActivateModelVersion(ctx context.Context, id string) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var machine sql.NullString
	var task string
	if err := tx.QueryRowContext(ctx, `SELECT machine_id, model_type FROM model_versions WHERE id = ?`, id).Scan(&machine, &task); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("model version %s: %w", id, ErrNotFound)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE model_versions SET is_active = 0 WHERE machine_id IS ? AND model_type = ?`, machine, task); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE model_versions SET is_active = 1 WHERE id = ?`, id); err != nil {
		return err
	}
	return tx.Commit()
}

// PredictionRow is one logged prediction.
type PredictionRow struct {
	ID             string          `json:"id"`
	MachineID      string          `json:"machine_id"`
	PredictionType string          `json:"prediction_type"`
	ModelVersionID *string         `json:"model_version_id"`
	InputData      json.RawMessage `json:"input_data"`
	Result         json.RawMessage `json:"prediction_result"`
	Confidence     *float64        `json:"confidence"`
	InferenceMS    *float64        `json:"inference_ms"`
	Timestamp      string          `json:"timestamp"`
	// Origin is who asked: OriginUser (the default when empty) or OriginRefresh.
	Origin string `json:"origin"`
}

// Origins of a logged prediction: asked for by a user, or made by the live fleet's refresh
// (only those are pruned).
const (
	OriginUser    = "user"
	OriginRefresh = "refresh"
)

// InsertPredictions logs predictions in one transaction.
func (s *Store) InsertPredictions(ctx context.Context, ps []PredictionRow) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertPredictions(ctx, tx, ps); err != nil {
		return err
	}
	return tx.Commit()
}

// insertPredictions logs predictions inside tx (an empty Origin is OriginUser).
func insertPredictions(ctx context.Context, tx *sql.Tx, ps []PredictionRow) error {
	if len(ps) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO predictions (id, machine_id, prediction_type, model_version_id, input_data,
		prediction_result, confidence, inference_ms, timestamp, origin) VALUES (?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, p := range ps {
		origin := p.Origin
		if origin == "" {
			origin = OriginUser
		}
		if _, err := ins.ExecContext(ctx, p.ID, p.MachineID, p.PredictionType, p.ModelVersionID, string(p.InputData), string(p.Result),
			p.Confidence, p.InferenceMS, p.Timestamp, origin); err != nil {
			return fmt.Errorf("log prediction: %w", err)
		}
	}
	return nil
}

// Predictions returns a machine's logged predictions, newest first.
func (s *Store) Predictions(ctx context.Context, machineID, task string, limit int) ([]PredictionRow, error) {
	if limit <= 0 || limit > 10000 {
		limit = 100
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, machine_id, prediction_type, model_version_id, input_data, prediction_result,
		confidence, inference_ms, timestamp, origin FROM predictions WHERE machine_id = ? AND (? = '' OR prediction_type = ?)
		ORDER BY timestamp DESC LIMIT ?`, machineID, task, task, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []PredictionRow{}
	for rows.Next() {
		var p PredictionRow
		var mv sql.NullString
		var in, res string
		var conf, ms sql.NullFloat64
		if err := rows.Scan(&p.ID, &p.MachineID, &p.PredictionType, &mv, &in, &res, &conf, &ms, &p.Timestamp, &p.Origin); err != nil {
			return nil, err
		}
		if mv.Valid {
			p.ModelVersionID = &mv.String
		}
		if conf.Valid {
			p.Confidence = &conf.Float64
		}
		if ms.Valid {
			p.InferenceMS = &ms.Float64
		}
		p.InputData, p.Result = json.RawMessage(in), json.RawMessage(res)
		out = append(out, p)
	}
	return out, rows.Err()
}
