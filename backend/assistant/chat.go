package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/explain"
	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/llm"
	"pdmstudio/backend/store"
)

// GeneratorRetrieval labels chat answers made of manual passages because no language model
// is loaded.
const GeneratorRetrieval = "retrieval (no language model loaded)"

// Limits of a chat request.
const (
	MaxQuestion    = 4000 // characters
	historyLimit   = 20   // earlier messages of the session put in the prompt
	chatPassages   = 4    // manual passages per question
	excerptChars   = 700  // of a passage in an answer without a model
	titleChars     = 60
	stoppedMarker  = " … (stopped)"
	maxPromptChars = 1800 // of one passage in the prompt
)

// ChatRequest is one question to the assistant.
type ChatRequest struct {
	// SessionID continues a session; "" starts a new one (titled after the question).
	SessionID string `json:"session_id,omitempty"`
	// MachineID is the machine in view ("" = none; a session keeps the machine it was
	// started with). Its profile and latest prediction go into the prompt.
	MachineID string `json:"machine_id,omitempty"`
	// Question is the engineer's message (1 to 4000 characters).
	Question string `json:"question"`
	// Model loads this model file first ("" = use the loaded model, or none). It stays
	// loaded for later requests of the process but is not remembered for the next start
	// ([Assistant.LoadModel] does that).
	Model string `json:"model,omitempty"`
}

// ChatAnswer is the assistant's reply, as stored and returned.
type ChatAnswer struct {
	SessionID string `json:"session_id"`
	MessageID string `json:"message_id"`
	Answer    string `json:"answer"`
	// Sources are the manual sections given to the model (or listed in the answer).
	Sources []knowledge.Source `json:"sources"`
	// Generator is "language model <name> (<file>)" or [GeneratorRetrieval].
	Generator string `json:"generator"`
	// Stopped is true when the answer was cut short (cancelled, or the token budget ran out).
	Stopped bool `json:"stopped,omitempty"`
	// Tokens, TokensPerSecond and FirstTokenMS describe the generation (0 without a model).
	Tokens          int     `json:"tokens"`
	TokensPerSecond float64 `json:"tokens_per_second"`
	FirstTokenMS    float64 `json:"first_token_ms"`
	// Trimmed is how many earlier messages were left out to fit the model's context.
	Trimmed int `json:"trimmed"`
}

// StreamEvent is one line of `pdmstudio chat --json` (and a payload for UI events):
// {"type":"token","text":"…"}, then {"type":"done", …ChatAnswer fields} or
// {"type":"error","error":{"code","message"}}.
type StreamEvent struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	*ChatAnswer
	Error *apperr.Error `json:"error,omitempty"`
}

// TokenEvent, DoneEvent and ErrorEvent build the three kinds of [StreamEvent].
func TokenEvent(text string) StreamEvent { return StreamEvent{Type: "token", Text: text} }
func DoneEvent(a ChatAnswer) StreamEvent { return StreamEvent{Type: "done", ChatAnswer: &a} }
func ErrorEvent(err error) StreamEvent   { return StreamEvent{Type: "error", Error: apperr.As(err)} }

// Chat answers a question, streaming the answer through onToken (may be nil), and stores the
// question and the answer in the session. With a model: the prompt holds the rules, the
// machine's profile and latest prediction, the manual passages that match the question, and
// the session's history (the oldest turns are dropped when the context is full). Without a
// model: the answer lists the matching passages and, with a machine in view, its structured
// explanation — and says that no model is loaded.
//
// When ctx ends or onToken fails mid-answer, the partial answer is stored marked as stopped
// and the error returned. Errors: bad input (empty or too long question), not found
// (session, machine), model load errors for req.Model.
func (a *Assistant) Chat(ctx context.Context, req ChatRequest, onToken func(string) error) (ChatAnswer, error) {
	q := strings.TrimSpace(req.Question)
	if q == "" || utf8.RuneCountInString(q) > MaxQuestion {
		return ChatAnswer{}, apperr.BadInput("invalid question", apperr.FieldError{Field: "question",
			Message: fmt.Sprintf("must be 1 to %d characters", MaxQuestion)})
	}
	session, err := a.session(ctx, req)
	if err != nil {
		return ChatAnswer{}, err
	}
	eng, err := a.engine(ctx, req.Model)
	if err != nil {
		return ChatAnswer{}, err
	}
	var in *explain.Input
	if session.MachineID != nil {
		x, err := a.ExplainInput(ctx, *session.MachineID)
		if err != nil {
			return ChatAnswer{}, err
		}
		in = &x
	}
	passages := a.retrieve(q, in)

	ans := ChatAnswer{SessionID: session.ID, Sources: []knowledge.Source{}}
	var genErr error
	if eng == nil {
		ans.Generator = GeneratorRetrieval
		ans.Answer = a.retrievalAnswer(q, in, passages)
		for _, p := range passages {
			ans.Sources = append(ans.Sources, p.Source())
		}
		if onToken != nil {
			genErr = onToken(ans.Answer)
		}
	} else {
		ans.Generator = explain.GeneratorModel(eng)
		genErr = a.generate(ctx, eng, session.ID, q, in, passages, onToken, &ans)
	}
	if genErr != nil {
		ans.Stopped = true
		if ans.Answer == "" {
			return ans, genErr
		}
		ans.Answer += stoppedMarker
	}
	if err := a.store(context.WithoutCancel(ctx), session.ID, q, &ans); err != nil {
		return ans, err
	}
	return ans, genErr
}

// session returns the request's session, creating it when needed.
func (a *Assistant) session(ctx context.Context, req ChatRequest) (store.ChatSession, error) {
	if req.SessionID != "" {
		s, err := a.Store.GetChatSession(ctx, req.SessionID)
		if errors.Is(err, store.ErrNotFound) {
			return s, apperr.NotFoundf("chat session %q does not exist", req.SessionID)
		}
		if err == nil && s.MachineID == nil && req.MachineID != "" {
			s.MachineID = &req.MachineID // a general session can look at a machine
		}
		return s, err
	}
	cs := store.ChatSession{Title: title(req.Question)}
	if req.MachineID != "" {
		if _, err := a.Profile(ctx, req.MachineID); err != nil {
			return cs, err
		}
		cs.MachineID = &req.MachineID
	}
	return a.Store.CreateChatSession(ctx, cs)
}

func title(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if utf8.RuneCountInString(q) <= titleChars {
		return q
	}
	r := []rune(q)[:titleChars]
	if i := strings.LastIndex(string(r), " "); i > titleChars/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// retrieve finds the passages for a question: boosted to the machine's type (or the type the
// question names), the likely causes of the machine's condition added to the query.
func (a *Assistant) retrieve(q string, in *explain.Input) []knowledge.Passage {
	o := knowledge.SearchOptions{Limit: chatPassages, MachineType: knowledge.MachineTypeIn(q)}
	query := q
	if in != nil {
		o.MachineType = in.Profile.MachineType
		for _, c := range explain.Analyze(*in).Causes {
			query += " " + strings.ReplaceAll(c.FailureMode, "_", " ")
		}
	}
	return a.index().Search(query, o)
}

// retrievalAnswer is the honest answer without a model: the machine's structured state and
// the matching passages.
func (a *Assistant) retrievalAnswer(q string, in *explain.Input, passages []knowledge.Passage) string {
	var b strings.Builder
	b.WriteString("No language model is loaded, so this answer is not written by one: it lists the manual sections that best match your question. Load a GGUF model (Assistant settings) for written answers.\n")
	if in != nil {
		e := explain.Compose(*in, a.index())
		b.WriteString("\n**Current condition** (structured from the profile and the latest prediction): " + e.Summary + "\n")
		if len(e.Recommendations) > 0 {
			b.WriteString("Recommended first: " + e.Recommendations[0].Action + ".\n")
		}
	}
	if len(passages) == 0 {
		b.WriteString("\nNo manual section matches the question. Try the words of the manuals: a sensor (bearing temperature), a failure mode (cavitation) or a task (lockout, alignment).")
		return b.String()
	}
	for i, p := range passages {
		fmt.Fprintf(&b, "\n**[%d] %s**\n%s\n", i+1, p.Source().String(), excerpt(p.Text, excerptChars))
	}
	return strings.TrimRight(b.String(), "\n")
}

// excerpt shortens text to about n characters at a line or sentence end.
func excerpt(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := text[:n]
	if i := strings.LastIndex(cut, "\n"); i > n/2 {
		return cut[:i] + "\n…"
	}
	if i := strings.LastIndex(cut, ". "); i > n/2 {
		return cut[:i+1] + " …"
	}
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = cut[:i]
	}
	return cut + " …"
}

// chatSystem is the assistant's role in a chat.
const chatSystem = `You are the maintenance assistant of PdM Studio, an offline predictive-maintenance tool used by maintenance and reliability engineers.
Answer the engineer's question from the MACHINE facts and the MANUAL passages below; when they do not cover the question, say so, and keep to general good practice.
Be concise and practical: give numbers with units, name the sensor or part, and say what to check first. Mention lockout/tagout when the answer involves work on the machine.
Never invent readings, limits or sources. Cite passages by their number in brackets, e.g. [2].`

// generate runs the model; it retries with fewer passages, then without the machine facts,
// when the prompt does not fit.
func (a *Assistant) generate(ctx context.Context, eng *llm.Engine, sessionID, q string, in *explain.Input,
	passages []knowledge.Passage, onToken func(string) error, ans *ChatAnswer) error {
	history, err := a.Store.ChatMessages(ctx, sessionID, historyLimit)
	if err != nil {
		return err
	}
	var text strings.Builder
	stream := func(p string) error {
		text.WriteString(p)
		if onToken != nil {
			return onToken(p)
		}
		return nil
	}
	withMachine := in != nil
	for {
		msgs := []llm.Message{{Role: llm.RoleSystem, Content: systemPrompt(in, withMachine, passages)}}
		for _, m := range history {
			content := strings.TrimSuffix(m.Content, stoppedMarker)
			if m.Role == llm.RoleUser || m.Role == llm.RoleAssistant {
				msgs = append(msgs, llm.Message{Role: m.Role, Content: content})
			}
		}
		msgs = append(msgs, llm.Message{Role: llm.RoleUser, Content: q})
		res, err := eng.Chat(ctx, llm.ChatRequest{Messages: msgs}, stream)
		if errors.Is(err, llm.ErrPromptTooLong) && text.Len() == 0 {
			switch {
			case len(passages) > 0:
				passages = passages[:len(passages)/2]
				continue
			case withMachine:
				withMachine = false
				continue
			}
		}
		ans.Answer = strings.TrimSpace(text.String())
		ans.Tokens, ans.TokensPerSecond, ans.Trimmed = res.Tokens, res.TokensPerSecond, res.Trimmed
		ans.FirstTokenMS = float64(res.FirstToken) / float64(time.Millisecond)
		for _, p := range passages {
			ans.Sources = append(ans.Sources, p.Source())
		}
		if err == nil && res.StopReason != llm.StopEOS {
			ans.Stopped = true
		}
		return err
	}
}

// systemPrompt assembles the rules, the machine facts and the numbered passages.
func systemPrompt(in *explain.Input, withMachine bool, passages []knowledge.Passage) string {
	var b strings.Builder
	b.WriteString(chatSystem)
	if in != nil && withMachine {
		b.WriteString("\n\nMACHINE\n" + explain.ProfileSummary(in.Profile))
		if explain.HasData(*in) {
			a := explain.Analyze(*in)
			e := explain.Compose(*in, nil)
			b.WriteString("\nCurrent condition: " + e.Summary)
			for _, f := range a.Findings {
				b.WriteString("\n- " + f.Text)
			}
		} else {
			b.WriteString("\nNo prediction is available for this machine yet.")
		}
	}
	if len(passages) > 0 {
		b.WriteString("\n\nMANUAL")
		for i, p := range passages {
			fmt.Fprintf(&b, "\n[%d] %s\n%s", i+1, p.Source().String(), excerpt(p.Text, maxPromptChars))
		}
	}
	return b.String()
}

// store saves the question and the answer.
func (a *Assistant) store(ctx context.Context, sessionID, q string, ans *ChatAnswer) error {
	src, err := json.Marshal(ans.Sources)
	if err != nil {
		return err
	}
	msgs, err := a.Store.AddChatMessages(ctx, sessionID,
		store.ChatMessage{Role: llm.RoleUser, Content: q},
		store.ChatMessage{Role: llm.RoleAssistant, Content: ans.Answer, Sources: src})
	if err != nil {
		return err
	}
	ans.MessageID = msgs[1].ID
	return nil
}

// Session is a chat session with its messages.
type Session struct {
	store.ChatSession
	Messages []store.ChatMessage `json:"messages"`
}

// Sessions lists chat sessions, most recent first ("" = all machines).
func (a *Assistant) Sessions(ctx context.Context, machineID string, limit int) ([]store.ChatSession, error) {
	return a.Store.ListChatSessions(ctx, machineID, limit)
}

// Session returns one session with all its messages.
func (a *Assistant) Session(ctx context.Context, id string) (Session, error) {
	s, err := a.Store.GetChatSession(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, apperr.NotFoundf("chat session %q does not exist", id)
	}
	if err != nil {
		return Session{}, err
	}
	msgs, err := a.Store.ChatMessages(ctx, id, 0)
	return Session{ChatSession: s, Messages: msgs}, err
}

// RenameSession sets a session's title (1 to 200 characters).
func (a *Assistant) RenameSession(ctx context.Context, id, title string) error {
	title = strings.TrimSpace(title)
	if title == "" || utf8.RuneCountInString(title) > 200 {
		return apperr.BadInput("invalid title", apperr.FieldError{Field: "title", Message: "must be 1 to 200 characters"})
	}
	err := a.Store.RenameChatSession(ctx, id, title)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFoundf("chat session %q does not exist", id)
	}
	return err
}

// DeleteSession deletes a session and its messages.
func (a *Assistant) DeleteSession(ctx context.Context, id string) error {
	err := a.Store.DeleteChatSession(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFoundf("chat session %q does not exist", id)
	}
	return err
}
