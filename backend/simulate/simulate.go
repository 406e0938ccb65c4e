// Package simulate generates temporal run-to-failure seed data for a machine from its profile.
//
// The data is a sequence of episodes ("units"): a machine starts new (or freshly repaired),
// runs through its operating regimes, develops one failure mode that starts at a random onset
// and grows as the profile's progression says, and the episode ends either at failure or
// earlier at time-based preventive maintenance (every machine is renewed at the 75th
// percentile of its simulated life). Either way the repair resets all wear and the next
// episode starts new. In each episode the failure modes compete: each draws a time to failure
// from its Weibull distribution and the first to fail is the one that shows. The first
// episodes, though, cover every failure mode once, in random order (life drawn the same way,
// at least a typical episode long but shortened where needed to fit them all into the rows),
// and run to failure, so that each mode's whole signature is in the data. The onset is the mode's onset fraction of the time to failure, scaled by a random
// factor between 0.7 and 1.3. Sensors follow the load of the current regime (with thermal lag
// for temperatures), the active failure mode shifts the affected sensors in the profile's
// direction and magnitude, mechanical wear warms temperatures (friction), and measurements
// carry Gaussian noise, occasional dropouts (nulls) and occasional outliers (flagged).
//
// # Time
//
// One profile step lasts the smallest sensor sample interval. Failure times drawn from the
// profile (tens of thousands of steps) would leave room for barely one episode in 10,000 rows,
// so each row is a snapshot every StepsPerRow profile steps, chosen so that a typical episode
// spans about Rows/8 rows (at least 120, at most 5,000). Timestamps advance by StepsPerRow ×
// step seconds per row, plus a repair gap between episodes (8 h after a failure, 4 h after
// preventive maintenance). Regime dwell times are converted the same way, but capped at a
// 40th of a typical episode (but not below 10 rows) so that every stage of wear is seen in
// several regimes. Runs to
// failure are at least a third of a typical episode long, and the stretch from onset to
// failure at least a fifth, so that every health state gets rows.
//
// # Labels
//
//   - degradation: the wear level d in [0, 1] of the episode's failure mode: 0 before onset,
//     then growing to 1 at the failure row ("linear": d = p; "exponential": d = (e^{3p}−1)/(e^3−1);
//     "step": d = min(1, p/0.1), i.e. full size shortly after onset), p being the fraction of the
//     way from onset to failure.
//   - health_state: 0 when d < 0.25 (healthy), 1 when d < 0.5 (degrading), 2 when d < 0.8
//     (warning), 3 when d ≥ 0.8 (critical); see HealthThresholds.
//   - failure_mode: "none" while health_state is 0, else the episode's failure mode.
//   - rul: rows (steps of this dataset) until the episode's failure; 0 on the failure row. The
//     simulator knows when a machine would have failed, so episodes ended by preventive
//     maintenance carry that latent remaining life too (it is never 0 there); episode_end says
//     how the episode really ended, so a consumer that wants only observed failures filters on
//     episode_end = "failure".
//   - episode_end: "failure", "maintenance" or "ongoing" (the last episode, cut off by the end of
//     the data), the same on every row of the episode.
//   - outlier: true on rows where at least one sensor carries an injected outlier.
//
// The same profile, options and seed always give identical data.
package simulate

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/profiles"
)

// Row limits of Run.
const (
	DefaultRows = 10_000
	MinRows     = 1_000
	MaxRows     = 100_000
)

// DefaultStart is the timestamp of the first row when Options.Start is zero (a fixed instant,
// so that the same seed gives the same data).
var DefaultStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Column names of the generated table besides one float column per sensor (named as the
// sensor). The order is: timestamp, unit, regime, the sensors in profile order, failure_mode,
// degradation, health_state, rul, episode_end, outlier.
const (
	ColTimestamp   = "timestamp"    // timestamp, UTC, ms precision
	ColUnit        = "unit"         // int: episode number, 1-based
	ColRegime      = "regime"       // string: operating regime name
	ColFailureMode = "failure_mode" // string: FailureModeNone or a failure mode name
	ColDegradation = "degradation"  // float: wear level d in [0, 1]
	ColHealthState = "health_state" // int: 0..3, see HealthThresholds
	ColRUL         = "rul"          // int: rows until failure
	ColEpisodeEnd  = "episode_end"  // string: EndFailure, EndMaintenance or EndOngoing
	ColOutlier     = "outlier"      // bool: row carries an injected outlier
)

// ReservedColumns lists the column names a sensor may not have.
var ReservedColumns = []string{ColTimestamp, ColUnit, ColRegime, ColFailureMode, ColDegradation,
	ColHealthState, ColRUL, ColEpisodeEnd, ColOutlier}

// FailureModeNone is the failure_mode value of healthy rows.
const FailureModeNone = "none"

// Values of the episode_end column.
const (
	EndFailure     = "failure"     // the episode ran to failure
	EndMaintenance = "maintenance" // preventive maintenance renewed the machine before failure
	EndOngoing     = "ongoing"     // the data ends while the episode is still running
)

// HealthThresholds are the degradation levels at which health_state steps up: state 0 below
// 0.25, state 1 from 0.25, state 2 from 0.5, state 3 from 0.8.
var HealthThresholds = [3]float64{0.25, 0.5, 0.8}

// HealthLabels names the health states 0..3.
var HealthLabels = [4]string{"healthy", "degrading", "warning", "critical"}

// HealthState maps a degradation level to a health state 0..3 (see HealthThresholds).
func HealthState(d float64) int {
	s := 0
	for _, th := range HealthThresholds {
		if d >= th {
			s++
		}
	}
	return s
}

// Options control Run. The zero value asks for the defaults.
type Options struct {
	// Rows is the number of rows, MinRows..MaxRows; 0 means DefaultRows.
	Rows int `json:"rows"`
	// Seed makes the data reproducible: the same seed gives the same data.
	Seed uint64 `json:"seed"`
	// Start is the timestamp of the first row; the zero time means DefaultStart.
	Start time.Time `json:"start,omitzero"`
}

// Table metadata keys set by Run (values are decimal strings unless noted).
const (
	MetaGenerator    = "generator"    // "pdmstudio-simulate/1"
	MetaMachineID    = "machine_id"   // the profile's machine id
	MetaSeed         = "seed"         // Options.Seed
	MetaEpisodes     = "episodes"     // number of episodes (units)
	MetaFailures     = "failures"     // episodes that ended at failure
	MetaMaintenance  = "maintenance"  // episodes ended by preventive maintenance
	MetaStepSeconds  = "step_seconds" // seconds between consecutive rows of an episode
	MetaStepsPerRow  = "profile_steps_per_row"
	MetaHealthBounds = "health_thresholds" // "0.25,0.5,0.8"
)

// Run simulates opts.Rows rows of run-to-failure data for profile p. progress, if not nil, is
// called with the completed fraction (0..1, at most about 100 times, the last call with 1).
// The profile must pass profiles.Check and no sensor may be named like a ReservedColumns
// entry; otherwise, and for rows out of range, Run returns a bad-input error. Cancelling ctx
// stops the generation within 256 rows and returns ctx.Err().
func Run(ctx context.Context, p profiles.Profile, opts Options, progress func(frac float64)) (*datasets.Table, error) {
	rows := opts.Rows
	if rows == 0 {
		rows = DefaultRows
	}
	if rows < MinRows || rows > MaxRows {
		return nil, apperr.BadInput("rows out of range", apperr.FieldError{Field: "rows",
			Message: fmt.Sprintf("must be between %d and %d, got %d", MinRows, MaxRows, rows)})
	}
	for i, s := range p.Sensors {
		if slices.Contains(ReservedColumns, s.Name) {
			return nil, apperr.BadInput("a sensor name is reserved for a label column", apperr.FieldError{
				Field: fmt.Sprintf("sensors[%d].name", i), Message: fmt.Sprintf("%q is a column of the simulated data; rename the sensor", s.Name)})
		}
	}
	if err := profiles.Check(p, profiles.ValidateOptions{}); err != nil {
		return nil, err
	}
	start := opts.Start
	if start.IsZero() {
		start = DefaultStart
	}
	m := newModel(p, rows, opts.Seed)
	t, err := m.generate(ctx, start.UnixMilli(), progress)
	if err != nil {
		return nil, err
	}
	t.Meta[MetaSeed] = strconv.FormatUint(opts.Seed, 10)
	return t, nil
}
