package app

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/assistant"
	"pdmstudio/backend/explain"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/llm"
	"pdmstudio/backend/store"
)

// Assistant is the service for the local AI assistant: models, chat, explanations, manuals.
type Assistant struct {
	c       *Core
	mu      sync.Mutex
	streams map[string]context.CancelFunc
}

func (a *Assistant) a() *assistant.Assistant { return a.c.Assistant }

// Info returns the llama.cpp library, the loaded model, the models found and the settings.
func (a *Assistant) Info(ctx context.Context) (assistant.Info, error) { return a.a().Info(ctx) }

// LoadModel loads a GGUF model (validated first) and remembers it for the next start.
func (a *Assistant) LoadModel(ctx context.Context, model string) (llm.Status, error) {
	return a.a().LoadModel(ctx, model)
}

// UnloadModel unloads the language model.
func (a *Assistant) UnloadModel(ctx context.Context) error { return a.a().UnloadModel(ctx) }

// Settings returns the generation settings (GPU layers, context size, threads, temperature).
func (a *Assistant) Settings(ctx context.Context) (llm.Settings, error) { return a.a().Settings(ctx) }

// SaveSettings stores the generation settings and applies them.
func (a *Assistant) SaveSettings(ctx context.Context, s llm.Settings) (llm.Status, error) {
	return a.a().SaveSettings(ctx, s)
}

// SetModelDir sets an extra folder where GGUF models are looked for.
func (a *Assistant) SetModelDir(ctx context.Context, dir string) error {
	return a.a().SetModelDir(ctx, dir)
}

// TokenEvent is the payload of the "assistant.token" event.
type TokenEvent struct {
	StreamID string `json:"stream_id"`
	Text     string `json:"text"`
}

// Chat answers a question with the machine in view as context; tokens stream as
// "assistant.token" events tagged with streamID (cancel with CancelChat).
func (a *Assistant) Chat(ctx context.Context, req assistant.ChatRequest, streamID string) (assistant.ChatAnswer, error) {
	if streamID == "" {
		streamID = uuid.NewString()
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.mu.Lock()
	if a.streams == nil {
		a.streams = map[string]context.CancelFunc{}
	}
	if _, dup := a.streams[streamID]; dup {
		a.mu.Unlock()
		cancel()
		return assistant.ChatAnswer{}, apperr.Conflictf("stream %s is already running", streamID)
	}
	a.streams[streamID] = cancel
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.streams, streamID)
		a.mu.Unlock()
		cancel()
	}()
	return a.a().Chat(ctx, req, func(t string) error {
		a.c.Events.Emit("assistant.token", TokenEvent{StreamID: streamID, Text: t})
		return nil
	})
}

// CancelChat stops a running (or queued) chat answer.
func (a *Assistant) CancelChat(streamID string) error {
	a.mu.Lock()
	cancel, ok := a.streams[streamID]
	a.mu.Unlock()
	if !ok {
		return apperr.NotFoundf("no running answer %s", streamID)
	}
	cancel()
	return nil
}

// Sessions lists chat sessions (of one machine, or all when machineID is "").
func (a *Assistant) Sessions(ctx context.Context, machineID string) ([]store.ChatSession, error) {
	return a.a().Sessions(ctx, machineID, 100)
}

// Session returns a chat session with its messages.
func (a *Assistant) Session(ctx context.Context, id string) (assistant.Session, error) {
	return a.a().Session(ctx, id)
}

// RenameSession renames a chat session.
func (a *Assistant) RenameSession(ctx context.Context, id, title string) error {
	return a.a().RenameSession(ctx, id, title)
}

// DeleteSession deletes a chat session and its messages.
func (a *Assistant) DeleteSession(ctx context.Context, id string) error {
	return a.a().DeleteSession(ctx, id)
}

// Explain explains a machine's latest prediction (stored in explanations).
func (a *Assistant) Explain(ctx context.Context, machineID string, o assistant.ExplainOptions) (explain.Explanation, error) {
	return a.a().Explain(ctx, machineID, o, nil)
}

// Explanations lists a machine's stored explanations, newest first.
func (a *Assistant) Explanations(ctx context.Context, machineID string, limit int) ([]explain.Explanation, error) {
	return a.a().Explanations(ctx, machineID, limit)
}

// AnalyzeFleet explains every at-risk machine, as a job.
func (a *Assistant) AnalyzeFleet(ctx context.Context, model string) (jobs.Job, error) {
	return a.c.Jobs.Submit(ctx, jobs.Spec{Kind: "assistant.analyze_fleet", Params: map[string]string{"model": model}},
		func(ctx context.Context, p *jobs.Progress) (any, error) {
			return a.a().AnalyzeFleet(ctx, nil, assistant.ExplainOptions{Model: model}, p)
		})
}

// Search searches the equipment manuals.
func (a *Assistant) Search(query, machineType string, limit int) []knowledge.Passage {
	return a.a().Search(query, machineType, limit)
}
