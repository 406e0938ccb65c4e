package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// ChatSession is one row of chat_sessions: a conversation with the assistant, optionally about
// one machine.
type ChatSession struct {
	ID        string  `json:"id"`
	MachineID *string `json:"machine_id"`
	Title     string  `json:"title"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
	// Messages is the number of messages (filled by ListChatSessions and GetChatSession).
	Messages int `json:"messages"`
}

// ChatMessage is one row of chat_messages.
type ChatMessage struct {
	ID        string `json:"id"`
	SessionID string `json:"session_id"`
	// Role is "system", "user" or "assistant".
	Role    string `json:"role"`
	Content string `json:"content"`
	// Sources is JSON: the passages the answer cites, [{"document","section"}].
	Sources   json.RawMessage `json:"sources"`
	CreatedAt string          `json:"created_at"`
}

// CreateChatSession inserts a session; an empty ID gets a new UUID and empty times the current
// time. It returns the stored row. A machine id that does not exist is ErrNotFound.
func (s *Store) CreateChatSession(ctx context.Context, cs ChatSession) (ChatSession, error) {
	if cs.ID == "" {
		cs.ID = uuid.NewString()
	}
	if cs.CreatedAt == "" {
		cs.CreatedAt = now()
	}
	if cs.UpdatedAt == "" {
		cs.UpdatedAt = cs.CreatedAt
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO chat_sessions (id, machine_id, title, created_at, updated_at) VALUES (?,?,?,?,?)`,
		cs.ID, cs.MachineID, cs.Title, cs.CreatedAt, cs.UpdatedAt)
	if err != nil {
		if cs.MachineID != nil && isForeignKey(err) {
			return cs, fmt.Errorf("machine %s: %w", *cs.MachineID, ErrNotFound)
		}
		return cs, fmt.Errorf("create chat session: %w", err)
	}
	return cs, nil
}

func isForeignKey(err error) bool {
	return err != nil && strings.Contains(strings.ToUpper(err.Error()), "FOREIGN KEY")
}

const chatSessionColumns = `s.id, s.machine_id, s.title, s.created_at, s.updated_at,
	(SELECT count(*) FROM chat_messages m WHERE m.session_id = s.id)`

func scanChatSession(r scanner) (ChatSession, error) {
	var cs ChatSession
	var mid sql.NullString
	err := r.Scan(&cs.ID, &mid, &cs.Title, &cs.CreatedAt, &cs.UpdatedAt, &cs.Messages)
	if mid.Valid {
		cs.MachineID = &mid.String
	}
	return cs, err
}

// GetChatSession returns one session, or ErrNotFound.
func (s *Store) GetChatSession(ctx context.Context, id string) (ChatSession, error) {
	cs, err := scanChatSession(s.DB.QueryRowContext(ctx, `SELECT `+chatSessionColumns+` FROM chat_sessions s WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cs, fmt.Errorf("chat session %s: %w", id, ErrNotFound)
	}
	return cs, err
}

// ListChatSessions returns sessions, most recently updated first: all of them when machineID
// is "", else those about that machine. limit ≤ 0 means 100.
func (s *Store) ListChatSessions(ctx context.Context, machineID string, limit int) ([]ChatSession, error) {
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT ` + chatSessionColumns + ` FROM chat_sessions s`
	args := []any{}
	if machineID != "" {
		q += ` WHERE s.machine_id = ?`
		args = append(args, machineID)
	}
	q += ` ORDER BY s.updated_at DESC, s.rowid DESC LIMIT ?`
	args = append(args, limit)
	return queryRows(ctx, s.DB, scanChatSession, q, args...)
}

// RenameChatSession sets a session's title.
func (s *Store) RenameChatSession(ctx context.Context, id, title string) error {
	res, err := s.DB.ExecContext(ctx, `UPDATE chat_sessions SET title = ?, updated_at = ? WHERE id = ?`, title, now(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("chat session %s: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteChatSession deletes a session and its messages.
func (s *Store) DeleteChatSession(ctx context.Context, id string) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM chat_sessions WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("chat session %s: %w", id, ErrNotFound)
	}
	return nil
}

// AddChatMessages appends messages to a session in one transaction and touches the session's
// updated_at. Empty IDs get UUIDs, empty times the current time, nil Sources "[]". It returns
// the stored messages. An unknown session is ErrNotFound.
func (s *Store) AddChatMessages(ctx context.Context, sessionID string, msgs ...ChatMessage) ([]ChatMessage, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ts := now()
	res, err := tx.ExecContext(ctx, `UPDATE chat_sessions SET updated_at = ? WHERE id = ?`, ts, sessionID)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, fmt.Errorf("chat session %s: %w", sessionID, ErrNotFound)
	}
	out := make([]ChatMessage, 0, len(msgs))
	for _, m := range msgs {
		m.SessionID = sessionID
		if m.ID == "" {
			m.ID = uuid.NewString()
		}
		if m.CreatedAt == "" {
			m.CreatedAt = ts
		}
		if len(m.Sources) == 0 {
			m.Sources = json.RawMessage("[]")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO chat_messages (id, session_id, role, content, sources, created_at) VALUES (?,?,?,?,?,?)`,
			m.ID, m.SessionID, m.Role, m.Content, string(m.Sources), m.CreatedAt); err != nil {
			return nil, fmt.Errorf("add chat message: %w", err)
		}
		out = append(out, m)
	}
	return out, tx.Commit()
}

// ChatMessages returns a session's messages in the order they were added. limit > 0 keeps
// only the newest limit messages (still oldest first).
func (s *Store) ChatMessages(ctx context.Context, sessionID string, limit int) ([]ChatMessage, error) {
	q := `SELECT id, session_id, role, content, sources, created_at FROM chat_messages WHERE session_id = ? ORDER BY created_at, rowid`
	args := []any{sessionID}
	if limit > 0 {
		q = `SELECT * FROM (SELECT id, session_id, role, content, sources, created_at, rowid AS r FROM chat_messages
			WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?) ORDER BY created_at, r`
		args = append(args, limit)
	}
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ChatMessage{}
	for rows.Next() {
		var m ChatMessage
		var src string
		dest := []any{&m.ID, &m.SessionID, &m.Role, &m.Content, &src, &m.CreatedAt}
		if limit > 0 {
			var r int64
			dest = append(dest, &r)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		m.Sources = json.RawMessage(src)
		out = append(out, m)
	}
	return out, rows.Err()
}

// ExplanationRow is one row of the explanations table.
type ExplanationRow struct {
	ID           string  `json:"id"`
	PredictionID *string `json:"prediction_id"`
	MachineID    *string `json:"machine_id"`
	// Text is the explanation's summary.
	Text string `json:"explanation_text"`
	// Recommendations, RiskFactors and Sources are JSON.
	Recommendations json.RawMessage `json:"recommendations"`
	RiskFactors     json.RawMessage `json:"risk_factors"`
	Sources         json.RawMessage `json:"sources"`
	// Generator names what wrote it: a model, or the structured composer.
	Generator string `json:"generator"`
	CreatedAt string `json:"created_at"`
}

// SaveExplanation inserts an explanation; an empty ID gets a UUID, an empty time the current
// time, empty JSON "[]". It returns the stored row. An unknown machine or prediction is
// ErrNotFound.
func (s *Store) SaveExplanation(ctx context.Context, e ExplanationRow) (ExplanationRow, error) {
	if e.ID == "" {
		e.ID = uuid.NewString()
	}
	if e.CreatedAt == "" {
		e.CreatedAt = now()
	}
	for _, j := range []*json.RawMessage{&e.Recommendations, &e.RiskFactors, &e.Sources} {
		if len(*j) == 0 {
			*j = json.RawMessage("[]")
		}
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO explanations (id, prediction_id, machine_id, explanation_text, recommendations,
		risk_factors, sources, generator, created_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		e.ID, e.PredictionID, e.MachineID, e.Text, string(e.Recommendations), string(e.RiskFactors), string(e.Sources), e.Generator, e.CreatedAt)
	if err != nil {
		if isForeignKey(err) {
			return e, fmt.Errorf("explanation for machine %v / prediction %v: %w", deref(e.MachineID), deref(e.PredictionID), ErrNotFound)
		}
		return e, fmt.Errorf("save explanation: %w", err)
	}
	return e, nil
}

func deref(p *string) string {
	if p == nil {
		return "-"
	}
	return *p
}

const explanationColumns = `id, prediction_id, machine_id, explanation_text, recommendations, risk_factors, sources, generator, created_at`

func scanExplanation(r scanner) (ExplanationRow, error) {
	var e ExplanationRow
	var pid, mid sql.NullString
	var rec, risk, src string
	err := r.Scan(&e.ID, &pid, &mid, &e.Text, &rec, &risk, &src, &e.Generator, &e.CreatedAt)
	if pid.Valid {
		e.PredictionID = &pid.String
	}
	if mid.Valid {
		e.MachineID = &mid.String
	}
	e.Recommendations, e.RiskFactors, e.Sources = json.RawMessage(rec), json.RawMessage(risk), json.RawMessage(src)
	return e, err
}

// ListExplanations returns a machine's explanations, newest first ("" = all machines);
// limit ≤ 0 means 50.
func (s *Store) ListExplanations(ctx context.Context, machineID string, limit int) ([]ExplanationRow, error) {
	if limit <= 0 {
		limit = 50
	}
	q := `SELECT ` + explanationColumns + ` FROM explanations`
	args := []any{}
	if machineID != "" {
		q += ` WHERE machine_id = ?`
		args = append(args, machineID)
	}
	q += ` ORDER BY created_at DESC, rowid DESC LIMIT ?`
	args = append(args, limit)
	return queryRows(ctx, s.DB, scanExplanation, q, args...)
}

// GetExplanation returns one explanation, or ErrNotFound.
func (s *Store) GetExplanation(ctx context.Context, id string) (ExplanationRow, error) {
	e, err := scanExplanation(s.DB.QueryRowContext(ctx, `SELECT `+explanationColumns+` FROM explanations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("explanation %s: %w", id, ErrNotFound)
	}
	return e, err
}
