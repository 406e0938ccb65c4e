package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Alert states and causes.
const (
	AlertActive       = "active"
	AlertAcknowledged = "acknowledged"
	AlertCleared      = "cleared"

	CauseState   = "state"   // health state reached warning or critical
	CauseAnomaly = "anomaly" // anomaly score crossed its threshold
	CauseRUL     = "rul"     // remaining useful life under the horizon
)

// AlertFactor is one of the top factors behind an alert.
type AlertFactor struct {
	Feature      string  `json:"feature"`
	Sensor       string  `json:"sensor"`
	Contribution float64 `json:"contribution"`
}

// AlertRow is one row of alerts.
type AlertRow struct {
	ID             string        `json:"id"`
	MachineID      string        `json:"machine_id"`
	Cause          string        `json:"cause"`
	Severity       string        `json:"severity"`
	Message        string        `json:"message"`
	Factors        []AlertFactor `json:"factors"`
	State          string        `json:"state"`
	Value          *float64      `json:"value"`
	Threshold      *float64      `json:"threshold"`
	RaisedAt       string        `json:"raised_at"`
	UpdatedAt      string        `json:"updated_at"`
	AcknowledgedAt *string       `json:"acknowledged_at"`
	AcknowledgedBy *string       `json:"acknowledged_by"`
	ClearedAt      *string       `json:"cleared_at"`
	ClearedBy      *string       `json:"cleared_by"`
	OKRefreshes    int           `json:"-"`
}

// Open reports whether the alert is active or acknowledged.
func (a AlertRow) Open() bool { return a.State != AlertCleared }

// AlertFilter selects alerts; zero fields select everything.
type AlertFilter struct {
	State     string // active | acknowledged | cleared | open (active or acknowledged) | ""
	MachineID string
	Limit     int // default 200, at most 5000
}

const alertColumns = `id, machine_id, cause, severity, message, factors, state, value, threshold, raised_at, updated_at,
	acknowledged_at, acknowledged_by, cleared_at, cleared_by, ok_refreshes`

func scanAlert(r scanner) (AlertRow, error) {
	var a AlertRow
	var factors string
	var value, threshold sql.NullFloat64
	var ackAt, ackBy, clrAt, clrBy sql.NullString
	err := r.Scan(&a.ID, &a.MachineID, &a.Cause, &a.Severity, &a.Message, &factors, &a.State, &value, &threshold,
		&a.RaisedAt, &a.UpdatedAt, &ackAt, &ackBy, &clrAt, &clrBy, &a.OKRefreshes)
	if err != nil {
		return a, err
	}
	if value.Valid {
		a.Value = &value.Float64
	}
	if threshold.Valid {
		a.Threshold = &threshold.Float64
	}
	a.AcknowledgedAt, a.AcknowledgedBy = nullable(ackAt), nullable(ackBy)
	a.ClearedAt, a.ClearedBy = nullable(clrAt), nullable(clrBy)
	a.Factors = []AlertFactor{}
	if factors != "" {
		if err := json.Unmarshal([]byte(factors), &a.Factors); err != nil {
			return a, fmt.Errorf("alert %s factors: %w", a.ID, err)
		}
	}
	return a, nil
}

func nullable(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// Alerts lists alerts, newest first.
func (s *Store) Alerts(ctx context.Context, f AlertFilter) ([]AlertRow, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	f.Limit = min(f.Limit, 5000)
	var where []string
	var args []any
	switch f.State {
	case "":
	case "open":
		where = append(where, "state <> 'cleared'")
	default:
		where = append(where, "state = ?")
		args = append(args, f.State)
	}
	if f.MachineID != "" {
		where = append(where, "machine_id = ?")
		args = append(args, f.MachineID)
	}
	q := `SELECT ` + alertColumns + ` FROM alerts`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY raised_at DESC, id LIMIT ?`
	args = append(args, f.Limit)
	return queryRows(ctx, s.DB, scanAlert, q, args...)
}

// GetAlert returns one alert, or ErrNotFound.
func (s *Store) GetAlert(ctx context.Context, id string) (AlertRow, error) {
	a, err := scanAlert(s.DB.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("alert %s: %w", id, ErrNotFound)
	}
	return a, err
}

// SaveAlerts inserts new alerts and updates changed ones in one transaction.
func (s *Store) SaveAlerts(ctx context.Context, insert, update []AlertRow) error {
	if len(insert) == 0 && len(update) == 0 {
		return nil
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := saveAlerts(ctx, tx, insert, update); err != nil {
		return err
	}
	return tx.Commit()
}

func saveAlerts(ctx context.Context, tx *sql.Tx, insert, update []AlertRow) error {
	for _, a := range insert {
		f, _ := json.Marshal(a.Factors)
		if _, err := tx.ExecContext(ctx, `INSERT INTO alerts (`+alertColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			a.ID, a.MachineID, a.Cause, a.Severity, a.Message, string(f), a.State, a.Value, a.Threshold, a.RaisedAt, a.UpdatedAt,
			a.AcknowledgedAt, a.AcknowledgedBy, a.ClearedAt, a.ClearedBy, a.OKRefreshes); err != nil {
			return fmt.Errorf("raise alert for %s: %w", a.MachineID, err)
		}
	}
	if len(update) == 0 {
		return nil
	}
	up, err := tx.PrepareContext(ctx, `UPDATE alerts SET severity = ?, message = ?, factors = ?, state = ?, value = ?, threshold = ?,
		updated_at = ?, acknowledged_at = ?, acknowledged_by = ?, cleared_at = ?, cleared_by = ?, ok_refreshes = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer up.Close()
	for _, a := range update {
		f, _ := json.Marshal(a.Factors)
		if _, err := up.ExecContext(ctx, a.Severity, a.Message, string(f), a.State, a.Value, a.Threshold, a.UpdatedAt, a.AcknowledgedAt,
			a.AcknowledgedBy, a.ClearedAt, a.ClearedBy, a.OKRefreshes, a.ID); err != nil {
			return fmt.Errorf("update alert %s: %w", a.ID, err)
		}
	}
	return nil
}

// AcknowledgeAlert marks an active alert acknowledged by user. Acknowledging an acknowledged
// alert changes nothing; a cleared one is a conflict (ErrAlertCleared).
func (s *Store) AcknowledgeAlert(ctx context.Context, id, user string) (AlertRow, error) {
	return s.transitionAlert(ctx, id, func(a *AlertRow, ts string) error {
		switch a.State {
		case AlertCleared:
			return ErrAlertCleared
		case AlertAcknowledged:
			return nil
		}
		a.State, a.AcknowledgedAt, a.AcknowledgedBy = AlertAcknowledged, &ts, &user
		return nil
	})
}

// ClearAlert closes an open alert by hand (user) before its condition went away.
func (s *Store) ClearAlert(ctx context.Context, id, user string) (AlertRow, error) {
	return s.transitionAlert(ctx, id, func(a *AlertRow, ts string) error {
		if a.State == AlertCleared {
			return nil
		}
		a.State, a.ClearedAt, a.ClearedBy = AlertCleared, &ts, &user
		return nil
	})
}

// ErrAlertCleared is returned when acknowledging an alert that is already cleared.
var ErrAlertCleared = errors.New("alert is already cleared")

func (s *Store) transitionAlert(ctx context.Context, id string, fn func(a *AlertRow, ts string) error) (AlertRow, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return AlertRow{}, err
	}
	defer tx.Rollback()
	a, err := scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("alert %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, err
	}
	ts := now()
	before := a.State
	if err := fn(&a, ts); err != nil {
		return a, err
	}
	if a.State == before {
		return a, nil
	}
	a.UpdatedAt = ts
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET state = ?, updated_at = ?, acknowledged_at = ?, acknowledged_by = ?,
		cleared_at = ?, cleared_by = ? WHERE id = ?`, a.State, a.UpdatedAt, a.AcknowledgedAt, a.AcknowledgedBy, a.ClearedAt, a.ClearedBy, a.ID); err != nil {
		return a, err
	}
	return a, tx.Commit()
}
