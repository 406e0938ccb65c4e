package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// TrainingRun is one row of gan_training_jobs: a TVAE training of a machine with its loss history.
type TrainingRun struct {
	ID          string    `json:"id"`
	MachineID   string    `json:"machine_id"`
	JobID       *string   `json:"job_id"`
	Epochs      int       `json:"epochs"`
	Status      string    `json:"status"` // pending, running, completed, failed, cancelled, interrupted
	LossHistory []float64 `json:"loss_history"`
	StartedAt   *string   `json:"started_at"`
	CompletedAt *string   `json:"completed_at"`
}

// InsertTrainingRun stores a new training run.
func (s *Store) InsertTrainingRun(ctx context.Context, r TrainingRun) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO gan_training_jobs (id, machine_id, job_id, epochs, status, loss_history, started_at)
		VALUES (?, ?, ?, ?, ?, '[]', ?)`, r.ID, r.MachineID, r.JobID, r.Epochs, r.Status, r.StartedAt)
	if err != nil {
		return fmt.Errorf("insert training run of %s: %w", r.MachineID, err)
	}
	return nil
}

// UpdateTrainingRun stores a run's status, loss history and completion time.
func (s *Store) UpdateTrainingRun(ctx context.Context, id, status string, loss []float64, completed bool) error {
	if loss == nil {
		loss = []float64{}
	}
	b, _ := json.Marshal(loss)
	var done any
	if completed {
		done = now()
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE gan_training_jobs SET status = ?, loss_history = ?,
		completed_at = COALESCE(?, completed_at) WHERE id = ?`, status, string(b), done, id)
	return err
}

// TrainingRuns returns a machine's training runs, newest first.
func (s *Store) TrainingRuns(ctx context.Context, machineID string, limit int) ([]TrainingRun, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, machine_id, job_id, epochs, status, loss_history, started_at, completed_at
		FROM gan_training_jobs WHERE machine_id = ? ORDER BY started_at DESC LIMIT ?`, machineID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TrainingRun{}
	for rows.Next() {
		var r TrainingRun
		var job, started, completed sql.NullString
		var loss string
		if err := rows.Scan(&r.ID, &r.MachineID, &job, &r.Epochs, &r.Status, &loss, &started, &completed); err != nil {
			return nil, err
		}
		if job.Valid {
			r.JobID = &job.String
		}
		if started.Valid {
			r.StartedAt = &started.String
		}
		if completed.Valid {
			r.CompletedAt = &completed.String
		}
		json.Unmarshal([]byte(loss), &r.LossHistory)
		out = append(out, r)
	}
	return out, rows.Err()
}

// InterruptTrainingRuns marks runs still "running" whose job is no longer live as interrupted
// (after a crash).
func (s *Store) InterruptTrainingRuns(ctx context.Context) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE gan_training_jobs SET status = 'interrupted', completed_at = ?
		WHERE status IN ('pending','running') AND (job_id IS NULL OR job_id NOT IN
		(SELECT id FROM jobs WHERE status IN ('queued','running')))`, now())
	return err
}
