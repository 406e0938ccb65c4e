// Package alerts turns a machine's latest predictions into alerts: it decides which conditions
// hold (health state at warning or critical, anomaly score over its threshold, remaining useful
// life under a horizon), and reconciles them with the alerts already open so there is at most one
// open alert per machine and cause. An alert's lifecycle is active → acknowledged → cleared; it is
// cleared automatically once its condition has been absent for ClearAfter refreshes in a row (a
// little hysteresis so a flickering prediction does not raise and clear the same alert each
// refresh), or by hand. Cleared alerts stay as history.
package alerts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/store"
)

// Severities.
const (
	Warning  = "warning"
	Critical = "critical"
)

// Rules are the thresholds that raise alerts.
type Rules struct {
	// RULHorizonHours raises an RUL alert when the predicted remaining useful life is under it
	// (critical under half of it). 0 disables RUL alerts.
	RULHorizonHours float64
	// ClearAfter is how many refreshes in a row a condition must be absent before its alert
	// clears (default 2).
	ClearAfter int
}

// Factor is one input behind a prediction.
type Factor struct {
	Sensor       string
	Contribution float64
}

// Observation is what the latest refresh predicted for one machine.
type Observation struct {
	MachineID   string
	MachineName string
	// HealthState is 0 healthy, 1 degrading, 2 warning, 3 critical (nil: no prediction).
	HealthState *int
	Confidence  *float64
	StateTop    []Factor
	// AnomalyScore and AnomalyThreshold come from the anomaly model.
	AnomalyScore     *float64
	AnomalyThreshold *float64
	AnomalyTop       []Factor
	// RULHours is the predicted remaining useful life in hours.
	RULHours *float64
	RULTop   []Factor
}

// Condition is one alert-worthy condition that holds now.
type Condition struct {
	Cause     string
	Severity  string
	Message   string
	Value     *float64
	Threshold *float64
	Factors   []store.AlertFactor
}

var stateLabels = []string{"healthy", "degrading", "warning", "critical"}

// Conditions returns the conditions that hold for o under the rules, at most one per cause.
func (r Rules) Conditions(o Observation) []Condition {
	var out []Condition
	name := o.MachineName
	if name == "" {
		name = o.MachineID
	}
	if o.HealthState != nil && *o.HealthState >= 2 {
		sev := Warning
		if *o.HealthState >= 3 {
			sev = Critical
		}
		v := float64(*o.HealthState)
		thr := 2.0
		msg := fmt.Sprintf("%s is in %s state", name, stateLabels[min(*o.HealthState, 3)])
		if o.Confidence != nil {
			msg += fmt.Sprintf(" (%.0f%% confidence)", *o.Confidence*100)
		}
		out = append(out, Condition{Cause: store.CauseState, Severity: sev, Message: msg + topText(o.StateTop), Value: &v, Threshold: &thr,
			Factors: factors(o.StateTop)})
	}
	if o.AnomalyScore != nil && o.AnomalyThreshold != nil && *o.AnomalyScore > *o.AnomalyThreshold {
		sev := Warning
		if *o.AnomalyThreshold > 0 && *o.AnomalyScore >= 2**o.AnomalyThreshold {
			sev = Critical
		}
		s, t := *o.AnomalyScore, *o.AnomalyThreshold
		out = append(out, Condition{Cause: store.CauseAnomaly, Severity: sev,
			Message: fmt.Sprintf("%s: anomaly score %.3g is over its threshold %.3g", name, s, t) + topText(o.AnomalyTop),
			Value:   &s, Threshold: &t, Factors: factors(o.AnomalyTop)})
	}
	if r.RULHorizonHours > 0 && o.RULHours != nil && *o.RULHours < r.RULHorizonHours {
		sev := Warning
		if *o.RULHours < r.RULHorizonHours/2 {
			sev = Critical
		}
		v, t := math.Max(0, *o.RULHours), r.RULHorizonHours
		out = append(out, Condition{Cause: store.CauseRUL, Severity: sev,
			Message: fmt.Sprintf("%s: remaining useful life %s is under the %s horizon", name, hours(v), hours(t)) + topText(o.RULTop),
			Value:   &v, Threshold: &t, Factors: factors(o.RULTop)})
	}
	return out
}

func hours(h float64) string {
	switch {
	case h < 1:
		return fmt.Sprintf("%.0f min", h*60)
	case h >= 100:
		return fmt.Sprintf("%.0f h", h)
	}
	return fmt.Sprintf("%.1f h", h)
}

func topText(fs []Factor) string {
	if len(fs) == 0 {
		return ""
	}
	var names []string
	for _, f := range fs[:min(3, len(fs))] {
		names = append(names, f.Sensor)
	}
	return "; top factors: " + strings.Join(names, ", ")
}

func factors(fs []Factor) []store.AlertFactor {
	out := []store.AlertFactor{}
	for _, f := range fs[:min(5, len(fs))] {
		out = append(out, store.AlertFactor{Feature: f.Sensor, Sensor: f.Sensor, Contribution: f.Contribution})
	}
	return out
}

// Change is an alert that was raised, updated or cleared by Reconcile.
type Change struct {
	Kind  string // raised | escalated | cleared
	Alert store.AlertRow
}

// Reconcile compares the conditions that hold now for the observed machines (by machine id; a
// machine observed with no condition has an empty list) with the open alerts, and returns the
// alerts to insert and to update. Machines not in now are left alone (not refreshed this time).
// ts is the time stamp for the changes.
func (r Rules) Reconcile(open []store.AlertRow, now map[string][]Condition, ts string) (insert, update []store.AlertRow, changes []Change) {
	clearAfter := r.ClearAfter
	if clearAfter <= 0 {
		clearAfter = 2
	}
	type key struct{ machine, cause string }
	byKey := map[key]store.AlertRow{}
	for _, a := range open {
		if a.Open() {
			byKey[key{a.MachineID, a.Cause}] = a
		}
	}
	seen := map[key]bool{}
	for machine, conds := range now {
		for _, c := range conds {
			k := key{machine, c.Cause}
			seen[k] = true
			a, ok := byKey[k]
			if !ok {
				row := store.AlertRow{ID: uuid.NewString(), MachineID: machine, Cause: c.Cause, Severity: c.Severity, Message: c.Message,
					Factors: c.Factors, State: store.AlertActive, Value: c.Value, Threshold: c.Threshold, RaisedAt: ts, UpdatedAt: ts}
				insert = append(insert, row)
				changes = append(changes, Change{Kind: "raised", Alert: row})
				continue
			}
			// The alert keeps the value that raised (or escalated) it; a condition that merely
			// persists writes nothing.
			escalated := a.Severity == Warning && c.Severity == Critical
			if !escalated && a.OKRefreshes == 0 {
				continue
			}
			if escalated {
				a.Severity = Critical
				a.Message, a.Factors = c.Message, c.Factors
				if a.State == store.AlertAcknowledged {
					// A worse condition needs a fresh look.
					a.State, a.AcknowledgedAt, a.AcknowledgedBy = store.AlertActive, nil, nil
				}
			}
			if escalated {
				a.Value, a.Threshold = c.Value, c.Threshold
				changes = append(changes, Change{Kind: "escalated", Alert: a})
			}
			a.OKRefreshes, a.UpdatedAt = 0, ts
			update = append(update, a)
		}
	}
	for k, a := range byKey {
		if seen[k] {
			continue
		}
		if _, observed := now[k.machine]; !observed {
			continue
		}
		a.OKRefreshes++
		a.UpdatedAt = ts
		if a.OKRefreshes >= clearAfter {
			empty := ""
			a.State, a.ClearedAt, a.ClearedBy = store.AlertCleared, &ts, &empty
			changes = append(changes, Change{Kind: "cleared", Alert: a})
		}
		update = append(update, a)
	}
	return insert, update, changes
}

// Service lists alerts and moves them through their lifecycle by hand.
type Service struct {
	Store *store.Store
}

// List returns alerts, newest first. state is "", active, acknowledged, cleared or open.
func (s *Service) List(ctx context.Context, f store.AlertFilter) ([]store.AlertRow, error) {
	switch f.State {
	case "", "open", store.AlertActive, store.AlertAcknowledged, store.AlertCleared:
	default:
		return nil, apperr.BadInput("unknown alert state", apperr.FieldError{Field: "state",
			Message: fmt.Sprintf("%q is not one of active, acknowledged, cleared, open", f.State)})
	}
	if f.Limit < 0 {
		return nil, apperr.BadInput("limit must not be negative", apperr.FieldError{Field: "limit", Message: "must be 0 (default) or more"})
	}
	return s.Store.Alerts(ctx, f)
}

// Acknowledge marks an active alert acknowledged by user.
func (s *Service) Acknowledge(ctx context.Context, id, user string) (store.AlertRow, error) {
	a, err := s.Store.AcknowledgeAlert(ctx, id, user)
	return a, mapErr(id, err)
}

// Clear closes an open alert by hand.
func (s *Service) Clear(ctx context.Context, id, user string) (store.AlertRow, error) {
	a, err := s.Store.ClearAlert(ctx, id, user)
	return a, mapErr(id, err)
}

func mapErr(id string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return apperr.NotFoundf("alert %s does not exist", id)
	case errors.Is(err, store.ErrAlertCleared):
		return apperr.Conflictf("alert %s is already cleared", id)
	}
	return err
}
