package llm

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"pdmstudio/backend/apperr"
)

// Manager owns the application's one loaded model: it finds GGUF files (the data
// directory's models/, the folders beside the app, and a user-configured extra folder),
// loads one as an [Engine] (the file is checked with [Inspect] before llama.cpp sees it), and
// unloads it. It is safe for concurrent use.
type Manager struct {
	loadMu   sync.Mutex // serialises Load and Unload
	mu       sync.Mutex // guards the fields below
	dataDir  string
	extraDir string
	engine   *Engine
	path     string
}

// NewManager returns a manager for the data directory dataDir ("" = none) with nothing loaded.
func NewManager(dataDir string) *Manager { return &Manager{dataDir: dataDir} }

// SetExtraDir sets the user's extra model folder ("" = none); it is searched after the
// standard folders.
func (m *Manager) SetExtraDir(dir string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.extraDir = strings.TrimSpace(dir)
}

// Dirs are the folders searched for models, in order: [ModelDirs] of the data directory,
// then the extra folder.
func (m *Manager) Dirs() []string {
	m.mu.Lock()
	extra := m.extraDir
	m.mu.Unlock()
	dirs := ModelDirs(m.dataDir)
	if extra != "" {
		dirs = append(dirs, filepath.Clean(extra))
	}
	return dirs
}

// List returns the GGUF files in [Manager.Dirs], each inspected ([FindModels]).
func (m *Manager) List() []ModelFile { return FindModels(m.Dirs()...) }

// Resolve turns what a user typed into a model file path: an existing file path as is
// (made absolute), else a file name (with or without ".gguf") found in [Manager.Dirs].
// A name found nowhere is a not-found [apperr] error naming the folders searched.
func (m *Manager) Resolve(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.BadInput("no model given", apperr.FieldError{Field: "model", Message: "name a GGUF file"})
	}
	if st, err := os.Stat(name); err == nil && !st.IsDir() {
		if abs, err := filepath.Abs(name); err == nil {
			return abs, nil
		}
		return name, nil
	}
	dirs := m.Dirs()
	if !strings.ContainsAny(name, `/\`) {
		for _, d := range dirs {
			for _, cand := range []string{name, name + ".gguf"} {
				p := filepath.Join(d, cand)
				if st, err := os.Stat(p); err == nil && !st.IsDir() {
					if abs, err := filepath.Abs(p); err == nil {
						return abs, nil
					}
					return p, nil
				}
			}
		}
	}
	return "", apperr.NotFoundf("model %q not found (looked in %s)", name, strings.Join(dirs, ", "))
}

// Status describes the loaded model, if any. JSON-friendly.
type Status struct {
	// Library is the llama.cpp library state (see [Probe]).
	Library Info `json:"library"`
	// Loaded is true when a model is loaded; Model, Template and ContextSize describe it.
	Loaded      bool          `json:"loaded"`
	Model       *ModelInfo    `json:"model,omitempty"`
	Template    *ChatTemplate `json:"template,omitempty"`
	ContextSize int           `json:"context_size,omitempty"`
	// Settings are the loaded model's settings.
	Settings *Settings `json:"settings,omitempty"`
	// Queued is the number of requests waiting behind the running one.
	Queued int `json:"queued"`
	// Dirs are the folders searched for models.
	Dirs []string `json:"dirs"`
}

// Status reports the library and the loaded model. It does not scan for models ([Manager.List]).
func (m *Manager) Status() Status {
	st := Status{Library: Current(), Dirs: m.Dirs()}
	m.mu.Lock()
	e := m.engine
	m.mu.Unlock()
	if e != nil {
		info, tmpl, s := e.Info(), e.Template(), e.Settings()
		st.Loaded, st.Model, st.Template, st.Settings = true, &info, &tmpl, &s
		st.ContextSize, st.Queued = e.ContextSize(), e.Queued()
	}
	return st
}

// Engine returns the loaded model's engine, or nil when none is loaded.
func (m *Manager) Engine() *Engine {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.engine
}

// ErrNoModel is returned by [Manager.Require] when no model is loaded.
var ErrNoModel = errors.New("no language model is loaded")

// Require returns the loaded engine or [ErrNoModel].
func (m *Manager) Require() (*Engine, error) {
	if e := m.Engine(); e != nil {
		return e, nil
	}
	return nil, ErrNoModel
}

// Load makes the model at path (see [Manager.Resolve]) the loaded one with settings s. It
// loads llama.cpp first if needed. The same file with the same GPU layers only takes the new
// settings. Otherwise the file is inspected first — a malformed file is a bad-input error
// wrapping [ErrInvalidModel] and the current model stays — then the current model is unloaded
// (queued requests fail with [ErrEngineClosed], a running one finishes) and the new one
// loaded.
func (m *Manager) Load(path string, s Settings) (Status, error) {
	if err := s.Validate(); err != nil {
		return m.Status(), err
	}
	p, err := m.Resolve(path)
	if err != nil {
		return m.Status(), err
	}
	if _, err := Init(); err != nil {
		return m.Status(), fmt.Errorf("cannot load a language model: %w", err)
	}
	m.loadMu.Lock()
	defer m.loadMu.Unlock()
	m.mu.Lock()
	cur, curPath := m.engine, m.path
	m.mu.Unlock()
	if cur != nil && curPath == p && cur.Settings().GPULayers == s.GPULayers {
		err := cur.SetSettings(s)
		return m.Status(), err
	}
	if _, err := Inspect(p); err != nil {
		if errors.Is(err, ErrInvalidModel) {
			return m.Status(), badInput(err)
		}
		return m.Status(), apperr.NotFoundf("%v", err)
	}
	if cur != nil {
		m.mu.Lock()
		m.engine, m.path = nil, ""
		m.mu.Unlock()
		cur.Close()
	}
	e, err := OpenEngine(p, s)
	if err != nil {
		return m.Status(), err
	}
	m.mu.Lock()
	m.engine, m.path = e, p
	m.mu.Unlock()
	return m.Status(), nil
}

// Unload frees the loaded model (queued requests fail with [ErrEngineClosed]; a running one
// finishes first). Unloading when nothing is loaded is not an error.
func (m *Manager) Unload() error {
	m.loadMu.Lock()
	defer m.loadMu.Unlock()
	m.mu.Lock()
	e := m.engine
	m.engine, m.path = nil, ""
	m.mu.Unlock()
	if e == nil {
		return nil
	}
	return e.Close()
}
