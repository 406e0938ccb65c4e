package ml

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
)

// Task is what a model predicts.
type Task string

// The four tasks.
const (
	// Classification predicts a class (the health state 0–3 of simulated data) with calibrated
	// class probabilities.
	Classification Task = "classification"
	// RUL predicts the remaining useful life with a prediction interval.
	RUL Task = "rul"
	// Anomaly scores how far the recent history is from healthy operation, with a threshold
	// calibrated for a target false-alarm rate and per-sensor contributions.
	Anomaly Task = "anomaly"
	// Forecast predicts the next Horizon values of chosen sensors with intervals.
	Forecast Task = "forecast"
)

// Tasks lists the tasks in display order.
var Tasks = []Task{Classification, RUL, Anomaly, Forecast}

// Model families tried by Fit.
const (
	FamilyGBT         = "gbt"         // gradient-boosted trees (ONNX-ML TreeEnsemble)
	FamilyMLP         = "mlp"         // multilayer perceptron (Gemm + ReLU)
	FamilyLinear      = "linear"      // ridge / multinomial logistic regression (one Gemm)
	FamilyPCA         = "pca"         // anomaly: residual off the healthy principal subspace
	FamilyZScore      = "zscore"      // anomaly: RMS of per-feature healthy z-scores
	FamilyAutoencoder = "autoencoder" // anomaly: MLP autoencoder reconstruction error
	FamilyOrdinal     = "ordinal"     // classification of ordered classes: regression trees + cumulative-logistic link
	FamilySignature   = "signature"   // classification of wear levels from fault signatures (FitSpec.Signatures)
)

// DefaultFamilies are the candidate families Fit tries per task when FitSpec.Families is empty.
var DefaultFamilies = map[Task][]string{
	Classification: {FamilyGBT, FamilyMLP, FamilyLinear, FamilyOrdinal, FamilySignature},
	RUL:            {FamilyGBT, FamilyMLP, FamilyLinear},
	Anomaly:        {FamilyPCA, FamilyZScore, FamilyAutoencoder},
	Forecast:       {FamilyGBT, FamilyMLP, FamilyLinear},
}

// Column names of simulated seed data (backend/simulate) used by SeedSpec.
const (
	SeedTarget      = "health_state"
	SeedRUL         = "rul"
	SeedGroup       = "unit"
	SeedOrder       = "timestamp"
	SeedNormalValue = "0"
	// SeedProgress is the wear level (0 new … 1 failed) the health states are thresholds of;
	// SeedSpec gives it to Classification as FitSpec.Progress.
	SeedProgress = "degradation"
)

// Limits and defaults of FitSpec.
const (
	MinTrainRows         = 50
	DefaultHorizon       = 10
	MaxHorizon           = 200
	DefaultIntervalLevel = 0.8
	DefaultFalseAlarm    = 0.01
	DefaultValidShare    = 0.2
	maxClasses           = 50
)

// FitSpec says what to train on what.
type FitSpec struct {
	// Task is one of Classification, RUL, Anomaly, Forecast.
	Task Task `json:"task"`
	// Train is the training data (one row per time step of an asset).
	Train *datasets.Table `json:"-"`
	// Valid is held-out data for early stopping, model selection and calibration. Nil: the
	// last ValidShare of the groups of Train (or of each group's rows when Train has fewer
	// than 3 groups) is held out.
	Valid *datasets.Table `json:"-"`
	// Target is the label column: the class (Classification), the remaining life (RUL), or
	// the health label whose Normal value marks healthy rows (Anomaly; optional — without
	// it every training row counts as healthy). Unused for Forecast.
	Target string `json:"target,omitempty"`
	// Progress is an optional numeric column that orders the classes of Classification (e.g.
	// the wear level the health states are thresholds of): the ordinal family regresses it
	// instead of the class index. It is never a model input.
	Progress string `json:"progress,omitempty"`
	// Signatures are known fault signatures (e.g. from the machine profile's failure modes:
	// the shift of each affected sensor at failure). For Classification they add deviation
	// features (healthy levels from the first class's rows at the start of wear) and the
	// signature family; other tasks ignore them.
	Signatures []features.Signature `json:"signatures,omitempty"`
	// SignatureWindow is the number of recent readings the signature deviations average
	// (default features.DefaultSignatureWindow).
	SignatureWindow int `json:"signature_window,omitempty"`
	// NoAssetBase turns off each asset's own healthy baseline in the signature deviations
	// (features.DefaultAssetBase; see "Fault signatures" in backend/ml/features): set it when
	// the data's groups do not start with the asset new or repaired (the seed data's episodes
	// do), as their first readings are then no healthy baseline.
	NoAssetBase bool `json:"no_asset_base,omitempty"`
	// Synthetic says the training rows come from a generator that was fitted on data holding
	// the validation rows too (the registry's TVAE learns from all the seed episodes and half
	// of them validate). A family that learns from such rows has in effect seen the
	// validation episodes, so its validation score is no evidence against the signature model
	// (see fitClassification). [FitSpec.ForSynthetic] sets it.
	Synthetic bool `json:"synthetic,omitempty"`
	// Normal is the Target value of healthy rows for Anomaly (default "0").
	Normal string `json:"normal,omitempty"`
	// Sensors are the columns to forecast (Forecast; default: up to three sensor columns).
	Sensors []string `json:"sensors,omitempty"`
	// Horizon is the number of steps to forecast, 1..MaxHorizon (default 10).
	Horizon int `json:"horizon,omitempty"`
	// Group is the asset/episode column; "" treats the table as one history.
	Group string `json:"group,omitempty"`
	// Order is the time column; "" keeps the row order.
	Order string `json:"order,omitempty"`
	// Drop lists columns that must not be model inputs.
	Drop []string `json:"drop,omitempty"`
	// Window is the number of rows of history per feature vector (default 20; 1 for data
	// without a time axis).
	Window int `json:"window,omitempty"`
	// Seed makes training reproducible.
	Seed uint64 `json:"seed,omitempty"`
	// Families restricts the candidate model families (default DefaultFamilies[Task]).
	Families []string `json:"families,omitempty"`
	// IntervalLevel is the nominal coverage of RUL and forecast intervals (default 0.8).
	IntervalLevel float64 `json:"interval_level,omitempty"`
	// FalseAlarmRate is the share of healthy validation rows the anomaly threshold lets
	// through (default 0.01).
	FalseAlarmRate float64 `json:"false_alarm_rate,omitempty"`
	// ValidShare is the share of Train held out when Valid is nil (default 0.2).
	ValidShare float64 `json:"valid_share,omitempty"`
	// Trees caps the boosting rounds (default 300) and Epochs the MLP epochs (default 60);
	// both stop early on validation loss.
	Trees  int `json:"trees,omitempty"`
	Epochs int `json:"epochs,omitempty"`
}

// SeedSpec returns a FitSpec for data shaped like backend/simulate's seed data: grouped by
// episode ("unit"), ordered by "timestamp", with the task's label column ("health_state" for
// Classification and Anomaly, "rul" for RUL). sensors are the columns to forecast (the
// profile's key sensors); they are used by Forecast only.
func SeedSpec(task Task, train, valid *datasets.Table, sensors []string) FitSpec {
	s := FitSpec{Task: task, Train: train, Valid: valid, Group: SeedGroup, Order: SeedOrder}
	switch task {
	case Classification:
		s.Target, s.Progress = SeedTarget, SeedProgress
	case RUL:
		s.Target = SeedRUL
	case Anomaly:
		s.Target, s.Normal = SeedTarget, SeedNormalValue
	case Forecast:
		s.Sensors = slices.Clone(sensors)
	}
	return s
}

// SignaturesFrom turns fault shifts (failure mode → sensor → shift at failure, as
// profiles.Profile.FaultShifts gives them) into FitSpec.Signatures, in name order. growth
// says how each fault's wear grows from onset to failure (profiles.Profile.FaultProgressions:
// "linear", "exponential", "step"; nil or a missing name reads as linear); faults that grow
// fast get the shorter windows of GrowthWindows.
func SignaturesFrom(shifts map[string]map[string]float64, growth map[string]string) []features.Signature {
	var out []features.Signature
	for _, name := range slices.Sorted(maps.Keys(shifts)) {
		out = append(out, features.Signature{Name: name, Shift: maps.Clone(shifts[name]), Window: GrowthWindows[growth[name]]})
	}
	return out
}

// GrowthWindows are the signature windows (readings the severity is read over, see
// features.Signature.Window) of faults whose wear grows fast, by how it grows; other faults
// use the pipeline's window (features.DefaultSignatureWindow, 10). A step change crosses the
// health states within a few readings and wear that grows exponentially crosses the last ones
// fast, so a 10-reading median lags them by a state. Picked on the development simulation
// (26 machines, train on synthetic): macro-F1 0.939 with 10 readings for every fault, 0.942
// with 3 for steps, 0.943 with 3 for steps and 7 for exponential wear (5: 0.943, 10: 0.942);
// the fault is still picked over the pipeline's window (picking it over its own window: 0.934).
var GrowthWindows = map[string]int{"exponential": 7, "step": 3}

// SyntheticWindow is the history window of the health-state and RUL models when they learn from
// synthetic sets (see [FitSpec.ForSynthetic]).
const SyntheticWindow = 3

// ForSynthetic adapts a [SeedSpec] to training data made of TVAE rows reassembled into episodes
// (backend/onboard orders each episode's rows by RUL): the TVAE draws rows independently, so
// within a synthetic episode the operating regime and the noise change every row, while a real
// machine stays in a regime for tens of rows. Statistics over a long window then describe
// synthetic and real histories differently; over a short one they agree. Train on synthetic,
// test on real (6 built-in machines, 300-epoch TVAE, `TestSyntheticToReal`): health-state
// macro-F1 0.715 with 20 rows, 0.743 with 10, 0.750 with 5, 0.778 with 3; RUL RMSE over the
// mean baseline 1.107 with 20 rows, 0.950 with 3. Classification and RUL get SyntheticWindow;
// anomaly (trained on healthy rows) and forecast (trends of the last rows) keep theirs. An
// explicit Window is kept. It also sets Synthetic.
func (s *FitSpec) ForSynthetic() {
	if s.Window == 0 && (s.Task == Classification || s.Task == RUL) {
		s.Window = SyntheticWindow
	}
	s.Synthetic = true
}

func field(name, format string, args ...any) *apperr.Error {
	msg := fmt.Sprintf(format, args...)
	return apperr.BadInput(msg, apperr.FieldError{Field: name, Message: msg})
}

// normalize fills defaults and checks the spec; problems are bad-input errors naming the field.
func (s *FitSpec) normalize() error {
	if !slices.Contains(Tasks, s.Task) {
		return field("task", "unknown task %q (want classification, rul, anomaly or forecast)", s.Task)
	}
	if s.Train == nil || s.Train.NumRows() == 0 {
		return field("train", "the training data has no rows")
	}
	if s.Train.NumRows() < MinTrainRows {
		return field("train", "the training data has %d rows; at least %d are needed", s.Train.NumRows(), MinTrainRows)
	}
	if s.Valid != nil && s.Valid.NumRows() == 0 {
		return field("valid", "the validation data has no rows")
	}
	if s.SignatureWindow < 0 || s.SignatureWindow > features.MaxWindow/5 {
		return field("signature_window", "must be between 1 and %d rows, got %d", features.MaxWindow/5, s.SignatureWindow)
	}
	if s.Window < 0 || s.Window > features.MaxWindow {
		return field("window", "must be between 1 and %d rows, got %d", features.MaxWindow, s.Window)
	}
	if s.Window == 0 {
		s.Window = features.DefaultWindow
	}
	tables := []struct {
		name string
		t    *datasets.Table
	}{{"train", s.Train}, {"valid", s.Valid}}
	for _, tb := range tables {
		if tb.t == nil {
			continue
		}
		for _, c := range []struct{ field, name string }{{"group", s.Group}, {"order", s.Order}} {
			if c.name != "" && tb.t.Column(c.name) == nil {
				return field(c.field, "no column %q in the %s data", c.name, tb.name)
			}
		}
		if s.Order != "" {
			if c := tb.t.Column(s.Order); !c.Type.Numeric() && c.Type != datasets.Timestamp {
				return field("order", "column %q must be a timestamp or a number, is %s", s.Order, c.Type)
			}
		}
	}
	for _, d := range s.Drop {
		if s.Train.Column(d) == nil {
			return field("drop", "no column %q in the training data", d)
		}
	}
	if s.IntervalLevel == 0 {
		s.IntervalLevel = DefaultIntervalLevel
	}
	if s.IntervalLevel <= 0 || s.IntervalLevel >= 1 {
		return field("interval_level", "must be between 0 and 1, got %g", s.IntervalLevel)
	}
	if s.FalseAlarmRate == 0 {
		s.FalseAlarmRate = DefaultFalseAlarm
	}
	if s.FalseAlarmRate <= 0 || s.FalseAlarmRate >= 0.5 {
		return field("false_alarm_rate", "must be between 0 and 0.5, got %g", s.FalseAlarmRate)
	}
	if s.ValidShare == 0 {
		s.ValidShare = DefaultValidShare
	}
	if s.ValidShare <= 0 || s.ValidShare >= 0.9 {
		return field("valid_share", "must be between 0 and 0.9, got %g", s.ValidShare)
	}
	if len(s.Families) == 0 {
		s.Families = DefaultFamilies[s.Task]
		if len(s.Signatures) == 0 || s.Progress == "" {
			s.Families = slices.DeleteFunc(slices.Clone(s.Families), func(f string) bool { return f == FamilySignature })
		}
	}
	for _, f := range s.Families {
		if !slices.Contains(DefaultFamilies[s.Task], f) {
			return field("families", "family %q does not fit task %s (choose from %s)", f, s.Task, strings.Join(DefaultFamilies[s.Task], ", "))
		}
	}
	if s.Trees < 0 || s.Epochs < 0 {
		return field("trees", "trees and epochs must not be negative")
	}
	switch s.Task {
	case Classification, RUL:
		if s.Task == Classification && s.Progress != "" {
			for _, tb := range []struct {
				name string
				t    *datasets.Table
			}{{"train", s.Train}, {"valid", s.Valid}} {
				if tb.t == nil {
					continue
				}
				c := tb.t.Column(s.Progress)
				if c == nil {
					return field("progress", "no column %q in the %s data", s.Progress, tb.name)
				}
				if !c.Type.Numeric() {
					return field("progress", "column %q must be numeric, is %s", s.Progress, c.Type)
				}
			}
		}
		if s.Target == "" {
			return field("target", "a %s model needs a target column", s.Task)
		}
		if err := s.checkTarget(); err != nil {
			return err
		}
	case Anomaly:
		if s.Target != "" {
			if err := s.checkTarget(); err != nil {
				return err
			}
			if s.Normal == "" {
				s.Normal = SeedNormalValue
			}
		}
	case Forecast:
		if s.Horizon == 0 {
			s.Horizon = DefaultHorizon
		}
		if s.Horizon < 1 || s.Horizon > MaxHorizon {
			return field("horizon", "must be between 1 and %d steps, got %d", MaxHorizon, s.Horizon)
		}
		if len(s.Sensors) == 0 {
			for _, c := range s.Train.Columns {
				if c.Meta.Role == datasets.RoleSensor && len(s.Sensors) < 3 && !slices.Contains(s.Drop, c.Name) {
					s.Sensors = append(s.Sensors, c.Name)
				}
			}
		}
		if len(s.Sensors) == 0 {
			return field("sensors", "name the columns to forecast (no column has the sensor role)")
		}
		for _, name := range s.Sensors {
			c := s.Train.Column(name)
			if c == nil {
				return field("sensors", "no column %q in the training data", name)
			}
			if !c.Type.Numeric() {
				return field("sensors", "column %q is %s; only numeric columns can be forecast", name, c.Type)
			}
			if slices.Contains(s.Drop, name) {
				return field("sensors", "column %q is both forecast and dropped", name)
			}
		}
	}
	return nil
}

func (s *FitSpec) checkTarget() error {
	for _, tb := range []struct {
		name string
		t    *datasets.Table
	}{{"train", s.Train}, {"valid", s.Valid}} {
		if tb.t == nil {
			continue
		}
		c := tb.t.Column(s.Target)
		if c == nil {
			return field("target", "no column %q in the %s data", s.Target, tb.name)
		}
		if c.Name == s.Group || c.Name == s.Order {
			return field("target", "column %q is the group or order column", s.Target)
		}
		switch s.Task {
		case RUL:
			if !c.Type.Numeric() {
				return field("target", "a rul target must be numeric; column %q is %s", s.Target, c.Type)
			}
		case Classification:
			if c.Type == datasets.Timestamp {
				return field("target", "a class target cannot be a timestamp (column %q)", s.Target)
			}
			if c.Type == datasets.Float {
				for i, v := range c.Floats {
					if !c.IsNull(i) && v != math.Trunc(v) {
						return field("target", "column %q has fractional values (%g); a class target must be categorical — use the rul task for a number", s.Target, v)
					}
				}
			}
		}
	}
	return nil
}
