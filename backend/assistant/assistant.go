// Package assistant ties the language model ([llm.Manager]), the manuals ([knowledge]) and
// the explainer ([explain]) to the database: persisted chat sessions with machine context,
// explanations of one machine or of every at-risk machine of the fleet, and the model
// settings. It is what the bound Assistant service and the CLI commands call; it never
// imports app/ or Wails.
//
// Everything works without a language model: chat answers then list the manual sections
// that match the question (and the machine's structured explanation), labelled
// [GeneratorRetrieval]; explanations are composed by rules, labelled
// [explain.GeneratorStructured]. Nothing pretends to come from a model that is not loaded.
package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/explain"
	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/llm"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// Keys of the settings table the assistant uses.
const (
	SettingModel    = "llm.model"     // path of the last loaded model ("" = none)
	SettingModelDir = "llm.model_dir" // the user's extra model folder
	SettingSettings = "llm.settings"  // llm.Settings as JSON
)

// Assistant is the assistant of one data directory. Create it with [New]; it is safe for
// concurrent use.
type Assistant struct {
	Store  *store.Store
	Models *llm.Manager
	// Index is the manuals' search index; nil means [knowledge.Default], built on first use
	// (about 60 ms of CPU that every start of the app paid before its first screen).
	Index *knowledge.Index
	// Profile returns a machine's profile. The default reads the machines table's
	// profile_json; the wiring may pass machines.Service.Profile instead.
	Profile func(ctx context.Context, machineID string) (profiles.Profile, error)
	// Prediction returns the latest prediction of a machine as an explain.Input (Profile
	// may be left empty: it is filled in), or nil when there is none. Until the ML package
	// provides one, leave it nil: chats and explanations then use the profile alone.
	Prediction func(ctx context.Context, machineID string) (*explain.Input, error)
	// Log receives non-fatal problems (a saved model that no longer loads); nil = slog.Default().
	Log *slog.Logger
}

// New returns an assistant over st, serving models from dataDir's models/ folder (and the
// folders beside the app), with the embedded manuals.
func New(st *store.Store, dataDir string) *Assistant {
	a := &Assistant{Store: st, Models: llm.NewManager(dataDir)}
	a.Profile = a.storedProfile
	return a
}

// index is a.Index, or the embedded manuals' index when none was set.
func (a *Assistant) index() *knowledge.Index {
	if a.Index != nil {
		return a.Index
	}
	return knowledge.Default()
}

func (a *Assistant) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

func (a *Assistant) storedProfile(ctx context.Context, machineID string) (profiles.Profile, error) {
	row, err := a.Store.GetMachine(ctx, machineID)
	if errors.Is(err, store.ErrNotFound) {
		return profiles.Profile{}, apperr.NotFoundf("machine %q does not exist", machineID)
	}
	if err != nil {
		return profiles.Profile{}, err
	}
	return profiles.Decode([]byte(row.ProfileJSON), profiles.FormatJSON)
}

// Settings returns the stored model settings over [llm.DefaultSettings].
func (a *Assistant) Settings(ctx context.Context) (llm.Settings, error) {
	s := llm.DefaultSettings()
	v, ok, err := a.Store.GetSetting(ctx, SettingSettings)
	if err != nil || !ok {
		return s, err
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		a.log().Warn("stored language model settings are unreadable; using the defaults", "error", err)
		return llm.DefaultSettings(), nil
	}
	if err := s.Validate(); err != nil {
		a.log().Warn("stored language model settings are invalid; using the defaults", "error", err)
		return llm.DefaultSettings(), nil
	}
	return s, nil
}

// SaveSettings validates and stores s, and applies it to the loaded model (reloading it when
// the GPU layers change).
func (a *Assistant) SaveSettings(ctx context.Context, s llm.Settings) (llm.Status, error) {
	if err := s.Validate(); err != nil {
		return a.Models.Status(), err
	}
	data, _ := json.Marshal(s)
	if err := a.Store.SetSetting(ctx, SettingSettings, string(data)); err != nil {
		return a.Models.Status(), err
	}
	if st := a.Models.Status(); st.Loaded {
		return a.Models.Load(st.Model.Path, s)
	}
	return a.Models.Status(), nil
}

// SetModelDir stores and applies the user's extra model folder ("" = none).
func (a *Assistant) SetModelDir(ctx context.Context, dir string) error {
	dir = strings.TrimSpace(dir)
	if err := a.Store.SetSetting(ctx, SettingModelDir, dir); err != nil {
		return err
	}
	a.Models.SetExtraDir(dir)
	return nil
}

// Restore applies the stored extra model folder and reloads the model that was loaded last.
// Call it once at start-up (in the background: loading a large model takes seconds). A
// model that no longer loads is logged and forgotten, not an error.
func (a *Assistant) Restore(ctx context.Context) error {
	if dir, ok, err := a.Store.GetSetting(ctx, SettingModelDir); err != nil {
		return err
	} else if ok {
		a.Models.SetExtraDir(dir)
	}
	path, ok, err := a.Store.GetSetting(ctx, SettingModel)
	if err != nil || !ok || path == "" {
		return err
	}
	s, err := a.Settings(ctx)
	if err != nil {
		return err
	}
	if _, err := a.Models.Load(path, s); err != nil {
		a.log().Warn("the last language model could not be loaded again", "model", path, "error", err)
		return a.Store.SetSetting(ctx, SettingModel, "")
	}
	return nil
}

// Info is what `pdmstudio llm info` prints and the assistant's settings page shows.
type Info struct {
	llm.Status
	// Models are the GGUF files found, each inspected.
	Models []llm.ModelFile `json:"models"`
	// Saved are the stored settings (applied to the next load).
	Saved llm.Settings `json:"saved_settings"`
	// ModelDir is the user's extra model folder.
	ModelDir string `json:"model_dir"`
	// Documents are the manuals the assistant cites.
	Documents []knowledge.Document `json:"documents"`
}

// Info reports the library, the loaded model, the models found and the settings. It loads
// the llama.cpp library if it is not loaded yet (so the report says whether it can be).
func (a *Assistant) Info(ctx context.Context) (Info, error) {
	llm.Probe()
	s, err := a.Settings(ctx)
	if err != nil {
		return Info{}, err
	}
	dir, _, err := a.Store.GetSetting(ctx, SettingModelDir)
	if err != nil {
		return Info{}, err
	}
	models := a.Models.List()
	if models == nil {
		models = []llm.ModelFile{}
	}
	return Info{Status: a.Models.Status(), Models: models, Saved: s, ModelDir: dir, Documents: a.index().Documents()}, nil
}

// LoadModel loads a model file (a path, or a file name in the model folders) with the
// stored settings, and remembers it for [Assistant.Restore].
func (a *Assistant) LoadModel(ctx context.Context, model string) (llm.Status, error) {
	s, err := a.Settings(ctx)
	if err != nil {
		return a.Models.Status(), err
	}
	st, err := a.Models.Load(model, s)
	if err != nil {
		return st, err
	}
	return st, a.Store.SetSetting(ctx, SettingModel, st.Model.Path)
}

// UnloadModel frees the loaded model and forgets it for the next start.
func (a *Assistant) UnloadModel(ctx context.Context) error {
	if err := a.Models.Unload(); err != nil {
		return err
	}
	return a.Store.SetSetting(ctx, SettingModel, "")
}

// engine returns the engine to use: model loaded first when given (a --model flag), else the
// loaded one, else nil.
func (a *Assistant) engine(ctx context.Context, model string) (*llm.Engine, error) {
	if model != "" {
		s, err := a.Settings(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := a.Models.Load(model, s); err != nil {
			return nil, err
		}
	}
	return a.Models.Engine(), nil
}

// ExplainInput gathers what is known about a machine: its profile and, when the Prediction
// hook provides one, its latest prediction.
func (a *Assistant) ExplainInput(ctx context.Context, machineID string) (explain.Input, error) {
	p, err := a.Profile(ctx, machineID)
	if err != nil {
		return explain.Input{}, err
	}
	in := explain.Input{Profile: p}
	if a.Prediction != nil {
		pred, err := a.Prediction(ctx, machineID)
		if err != nil {
			return in, fmt.Errorf("latest prediction of %s: %w", machineID, err)
		}
		if pred != nil {
			in = *pred
			in.Profile = p
		}
	}
	return in, nil
}

// ExplainOptions tune [Assistant.Explain].
type ExplainOptions struct {
	// Model loads this model file first ("" = the loaded model, or none), as
	// [ChatRequest.Model] does.
	Model string `json:"model,omitempty"`
	// Structured composes the explanation without the language model even when one is loaded.
	Structured bool `json:"structured,omitempty"`
	// NoSave leaves the explanation out of the explanations table.
	NoSave bool `json:"no_save,omitempty"`
}

// Explain explains one machine's latest prediction (see [explain.Explain]) and stores the
// result. onPiece (may be nil) receives the model's raw JSON as it is generated.
func (a *Assistant) Explain(ctx context.Context, machineID string, o ExplainOptions, onPiece func(string) error) (explain.Explanation, error) {
	in, err := a.ExplainInput(ctx, machineID)
	if err != nil {
		return explain.Explanation{}, err
	}
	return a.ExplainInputs(ctx, in, o, onPiece)
}

// ExplainInputs explains a given input (the caller gathered the prediction itself).
func (a *Assistant) ExplainInputs(ctx context.Context, in explain.Input, o ExplainOptions, onPiece func(string) error) (explain.Explanation, error) {
	eo, err := a.explainOptions(ctx, o)
	if err != nil {
		return explain.Explanation{}, err
	}
	eo.OnPiece = onPiece
	return explain.Explain(ctx, in, eo)
}

func (a *Assistant) explainOptions(ctx context.Context, o ExplainOptions) (explain.Options, error) {
	eo := explain.Options{Index: a.index()}
	if !o.NoSave {
		eo.Store = a.Store
	}
	if !o.Structured {
		eng, err := a.engine(ctx, o.Model)
		if err != nil {
			return eo, err
		}
		eo.Engine = eng
	}
	return eo, nil
}

// FleetResult is the outcome of [Assistant.AnalyzeFleet].
type FleetResult struct {
	explain.BatchResult
	// Machines is how many machines were looked at; AtRisk lists those explained.
	Machines int      `json:"machines"`
	AtRisk   []string `json:"at_risk"`
}

// AnalyzeFleet explains every at-risk machine ([explain.AtRisk]) of the fleet and stores the
// explanations. inputs nil gathers them for every machine in the database (profile plus the
// Prediction hook). Run it as a job: p is the job's progress (may be nil), ctx its cancel.
func (a *Assistant) AnalyzeFleet(ctx context.Context, inputs []explain.Input, o ExplainOptions, p explain.Progress) (FleetResult, error) {
	if inputs == nil {
		rows, err := a.Store.ListMachines(ctx)
		if err != nil {
			return FleetResult{}, err
		}
		for _, r := range rows {
			in, err := a.ExplainInput(ctx, r.MachineID)
			if err != nil {
				return FleetResult{}, err
			}
			inputs = append(inputs, in)
		}
	}
	risky := explain.SelectAtRisk(inputs)
	res := FleetResult{Machines: len(inputs), AtRisk: []string{}}
	for _, in := range risky {
		res.AtRisk = append(res.AtRisk, in.Profile.MachineID)
	}
	eo, err := a.explainOptions(ctx, o)
	if err != nil {
		return res, err
	}
	res.BatchResult, err = explain.Batch(ctx, risky, eo, p)
	return res, err
}

// Explanations returns a machine's stored explanations, newest first ("" = all machines).
func (a *Assistant) Explanations(ctx context.Context, machineID string, limit int) ([]explain.Explanation, error) {
	rows, err := a.Store.ListExplanations(ctx, machineID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]explain.Explanation, len(rows))
	for i, r := range rows {
		out[i] = explain.FromRow(r)
	}
	return out, nil
}

// Search returns the manual passages that match a query (machineType "" = all manuals).
func (a *Assistant) Search(query, machineType string, limit int) []knowledge.Passage {
	return a.index().Search(query, knowledge.SearchOptions{MachineType: machineType, Limit: limit})
}
