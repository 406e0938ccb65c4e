package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Job statuses. queued and running are live; the others are final.
const (
	JobQueued      = "queued"
	JobRunning     = "running"
	JobSucceeded   = "succeeded"
	JobFailed      = "failed"
	JobCancelled   = "cancelled"
	JobInterrupted = "interrupted"
)

// Job is one row of the jobs table, as the faces see it.
type Job struct {
	ID         string          `json:"id"`
	Kind       string          `json:"kind"`
	MachineID  *string         `json:"machine_id"`
	Status     string          `json:"status"`
	Stage      string          `json:"stage"`
	Progress   float64         `json:"progress"`
	ETASeconds *float64        `json:"eta_seconds"`
	Metrics    json.RawMessage `json:"metrics"`
	Params     json.RawMessage `json:"params"`
	Result     json.RawMessage `json:"result"`
	Error      string          `json:"error"`
	OwnerPID   int             `json:"-"`
	CreatedAt  string          `json:"created_at"`
	StartedAt  *string         `json:"started_at"`
	FinishedAt *string         `json:"finished_at"`
}

// Final reports whether the job has reached a final status.
func (j Job) Final() bool {
	switch j.Status {
	case JobQueued, JobRunning:
		return false
	}
	return true
}

// JobFilter narrows ListJobs. Zero values mean "any"; Limit 0 means 100.
type JobFilter struct {
	Status    string `json:"status,omitempty"`
	Kind      string `json:"kind,omitempty"`
	MachineID string `json:"machine_id,omitempty"`
	Limit     int    `json:"limit,omitempty"`
}

const jobColumns = `id, kind, machine_id, status, stage, progress, eta_seconds, metrics, params, result,
	error, owner_pid, created_at, started_at, finished_at`

type scanner interface{ Scan(dest ...any) error }

// queryRows runs a query and scans every row with scan; no rows give an empty (non-nil) slice.
func queryRows[T any](ctx context.Context, db *sql.DB, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanJob(r scanner) (Job, error) {
	var j Job
	var machine, result, started, finished sql.NullString
	var eta sql.NullFloat64
	var metrics, params string
	err := r.Scan(&j.ID, &j.Kind, &machine, &j.Status, &j.Stage, &j.Progress, &eta, &metrics, &params,
		&result, &j.Error, &j.OwnerPID, &j.CreatedAt, &started, &finished)
	if err != nil {
		return Job{}, err
	}
	if machine.Valid {
		j.MachineID = &machine.String
	}
	if eta.Valid {
		j.ETASeconds = &eta.Float64
	}
	j.Metrics = json.RawMessage(metrics)
	j.Params = json.RawMessage(params)
	if result.Valid {
		j.Result = json.RawMessage(result.String)
	} else {
		j.Result = json.RawMessage("null")
	}
	if started.Valid {
		j.StartedAt = &started.String
	}
	if finished.Valid {
		j.FinishedAt = &finished.String
	}
	return j, nil
}

// InsertJob stores a new job row.
func (s *Store) InsertJob(ctx context.Context, j Job) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO jobs (id, kind, machine_id, status, stage, progress, metrics,
		params, owner_pid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.Kind, j.MachineID, j.Status, j.Stage, j.Progress, orEmptyObject(j.Metrics), orEmptyObject(j.Params),
		j.OwnerPID, j.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert job %s: %w", j.Kind, err)
	}
	return nil
}

// UpdateJob writes the mutable fields of a job (status, stage, progress, ETA, metrics, result,
// error, start and finish times) and refreshes its heartbeat.
func (s *Store) UpdateJob(ctx context.Context, j Job) error {
	var result any
	if len(j.Result) > 0 && string(j.Result) != "null" {
		result = string(j.Result)
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE jobs SET status = ?, stage = ?, progress = ?, eta_seconds = ?,
		metrics = ?, result = ?, error = ?, owner_pid = ?, started_at = ?, finished_at = ?, heartbeat_at = ?
		WHERE id = ?`,
		j.Status, j.Stage, j.Progress, j.ETASeconds, orEmptyObject(j.Metrics), result, j.Error, j.OwnerPID,
		j.StartedAt, j.FinishedAt, now(), j.ID)
	if err != nil {
		return fmt.Errorf("update job %s: %w", j.ID, err)
	}
	return nil
}

// Heartbeat marks the given live jobs as still owned by a running process.
func (s *Store) Heartbeat(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{now()}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE jobs SET heartbeat_at = ? WHERE id IN (?`+
		strings.Repeat(",?", len(ids)-1)+`)`, args...)
	return err
}

// GetJob returns one job, or ErrNotFound.
func (s *Store) GetJob(ctx context.Context, id string) (Job, error) {
	j, err := scanJob(s.DB.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	return j, err
}

// ListJobs returns jobs, newest first.
func (s *Store) ListJobs(ctx context.Context, f JobFilter) ([]Job, error) {
	where := []string{"1=1"}
	var args []any
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.MachineID != "" {
		where = append(where, "machine_id = ?")
		args = append(args, f.MachineID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// LiveJob is a queued or running job with what recovery needs to judge whether its owner is gone.
type LiveJob struct {
	ID          string
	OwnerPID    int
	HeartbeatAt string
	CreatedAt   string
}

// LiveJobs lists queued and running jobs.
func (s *Store) LiveJobs(ctx context.Context) ([]LiveJob, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, owner_pid, COALESCE(heartbeat_at, ''), created_at FROM jobs
		WHERE status IN ('queued','running')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LiveJob
	for rows.Next() {
		var l LiveJob
		if err := rows.Scan(&l.ID, &l.OwnerPID, &l.HeartbeatAt, &l.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// MarkInterrupted turns a live job into an interrupted one with the given reason. It does nothing
// to a job that has meanwhile reached a final status.
func (s *Store) MarkInterrupted(ctx context.Context, id, reason string) (bool, error) {
	t := now()
	res, err := s.DB.ExecContext(ctx, `UPDATE jobs SET status = 'interrupted', error = ?, finished_at = ?, eta_seconds = NULL
		WHERE id = ? AND status IN ('queued','running')`, reason, t, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func orEmptyObject(b json.RawMessage) string {
	if len(b) == 0 || string(b) == "null" {
		return "{}"
	}
	return string(b)
}
