package explain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"pdmstudio/backend/knowledge"
	"pdmstudio/backend/llm"
	"pdmstudio/backend/store"
)

// Schema is the JSON the language model must write. Its grammar bounds every string and
// list, so the output is always complete JSON when the model gets Schema.MaxBytes() tokens.
var Schema = llm.Schema{Type: "object", Properties: []llm.Property{
	{Name: "summary", Schema: llm.Schema{Type: "string", MinLength: 1, MaxLength: 600}},
	{Name: "risk_factors", Schema: llm.Schema{Type: "array", MaxItems: 6, Items: &llm.Schema{Type: "string", MinLength: 1, MaxLength: 200}}},
	{Name: "recommendations", Schema: llm.Schema{Type: "array", MinItems: 1, MaxItems: 6, Items: &llm.Schema{Type: "object", Properties: []llm.Property{
		{Name: "action", Schema: llm.Schema{Type: "string", MinLength: 1, MaxLength: 200}},
		{Name: "priority", Schema: llm.Schema{Type: "string", Enum: []string{"high", "medium", "low"}}},
		{Name: "rationale", Schema: llm.Schema{Type: "string", MaxLength: 300}},
	}}}},
}}

var schemaGrammar = func() string {
	g, err := Schema.Grammar()
	if err != nil {
		panic(err) // Schema is a constant of this package; its test builds it
	}
	return g
}()

// maxAnswerTokens caps the model's answer; a real model writes this schema in 300 to 1000
// tokens. An answer cut off there falls back to the structured explanation.
const maxAnswerTokens = 4096

// Options configure [Explain] and [Batch].
type Options struct {
	// Index supplies the manual passages [knowledge.Default()].
	Index *knowledge.Index
	// Engine is the loaded language model; nil composes the explanation without one.
	Engine *llm.Engine
	// OnPiece receives the model's raw JSON as it is generated (progress for a UI); may be nil.
	OnPiece func(string) error
	// Passages is how many retrieved manual passages go into the prompt [4], besides the
	// failure-mode sections of the likely causes.
	Passages int
	// Store, when set, saves each explanation in the explanations table (its ID is set).
	Store *store.Store
}

// Explain explains in: with o.Engine through the language model (falling back to [Compose]
// when the model's answer cannot be used, and saying so in Generator), else with [Compose].
// It saves the result when o.Store is set. Errors: bad input, ctx's error, store errors,
// and engine errors other than an unloaded model (which falls back too).
func Explain(ctx context.Context, in Input, o Options) (Explanation, error) {
	if err := in.Validate(); err != nil {
		return Explanation{}, err
	}
	if o.Index == nil {
		o.Index = knowledge.Default()
	}
	e := Compose(in, o.Index)
	if o.Engine != nil && HasData(in) {
		var err error
		e, err = generate(ctx, in, e, o)
		if err != nil {
			return Explanation{}, err
		}
	}
	if o.Store != nil {
		return Save(ctx, o.Store, e, in.PredictionID)
	}
	return e, nil
}

// modelAnswer is Schema in Go.
type modelAnswer struct {
	Summary         string           `json:"summary"`
	RiskFactors     []string         `json:"risk_factors"`
	Recommendations []Recommendation `json:"recommendations"`
}

// GeneratorModel labels an explanation written by the engine's model.
func GeneratorModel(e *llm.Engine) string {
	info := e.Info()
	name := info.Name
	if name == "" {
		name = info.Architecture
	}
	return fmt.Sprintf("language model %s (%s)", name, filepath.Base(info.Path))
}

// generate asks the model; base is the structured explanation it falls back to.
func generate(ctx context.Context, in Input, base Explanation, o Options) (Explanation, error) {
	n := o.Passages
	if n <= 0 {
		n = 4
	}
	a := Analyze(in)
	for {
		passages := gather(in, a, o.Index, n)
		msgs := Prompt(in, a, passages)
		res, err := o.Engine.Chat(ctx, llm.ChatRequest{Messages: msgs, Grammar: schemaGrammar,
			MaxTokens: min(Schema.MaxBytes(), maxAnswerTokens)}, o.OnPiece)
		switch {
		case errors.Is(err, llm.ErrPromptTooLong) && len(passages) > 0 && n > 0:
			n /= 2 // fewer passages (the failure-mode sections go last)
			if n == 0 {
				n = -1
			}
			continue
		case errors.Is(err, llm.ErrPromptTooLong):
			return fallback(base, "the facts alone do not fit the model's context; raise the context size"), nil
		case errors.Is(err, llm.ErrEngineClosed):
			base.Generator = GeneratorStructured
			return base, nil
		case err != nil:
			return Explanation{}, err
		}
		var ans modelAnswer
		if res.StopReason != llm.StopEOS {
			return fallback(base, fmt.Sprintf("the answer was cut off (%s after %d tokens)", res.StopReason, res.Tokens)), nil
		}
		if err := json.Unmarshal([]byte(res.Text), &ans); err != nil {
			return fallback(base, "the answer did not parse: "+err.Error()), nil
		}
		e := Explanation{MachineID: in.Profile.MachineID, Summary: strings.TrimSpace(ans.Summary),
			RiskFactors: []string{}, Recommendations: []Recommendation{}, Sources: []knowledge.Source{},
			Generator: GeneratorModel(o.Engine), LikelyCauses: base.LikelyCauses}
		for _, r := range ans.RiskFactors {
			if r = strings.TrimSpace(r); r != "" {
				e.RiskFactors = append(e.RiskFactors, r)
			}
		}
		for _, r := range ans.Recommendations {
			r.Action, r.Rationale = strings.TrimSpace(r.Action), strings.TrimSpace(r.Rationale)
			if r.Action != "" {
				e.Recommendations = append(e.Recommendations, r)
			}
		}
		if e.Summary == "" || len(e.Recommendations) == 0 {
			return fallback(base, "the answer was empty"), nil
		}
		for _, p := range passages {
			e.Sources = addSource(e.Sources, p.Source())
		}
		return e, nil
	}
}

func fallback(base Explanation, why string) Explanation {
	base.Generator = "structured (the language model's answer was not usable: " + why + ")"
	return base
}

// maxPassageChars bounds one passage in the prompt.
const maxPassageChars = 1800

// gather picks the passages for the prompt: the manual sections of the likely causes, then
// the best retrieved passages for the findings (the machine's manual and the general
// documents only), n in all besides the causes; n < 0 leaves out the retrieved ones too.
func gather(in Input, a Analysis, ix *knowledge.Index, n int) []knowledge.Chunk {
	var out []knowledge.Chunk
	seen := map[int]bool{}
	take := func(c knowledge.Chunk) {
		if !seen[c.ID] {
			seen[c.ID] = true
			if len(c.Text) > maxPassageChars {
				c.Text = c.Text[:strings.LastIndex(c.Text[:maxPassageChars], " ")] + " …"
			}
			out = append(out, c)
		}
	}
	if n < 0 {
		return nil
	}
	for i, c := range a.Causes {
		if i >= 2 {
			break
		}
		if ch, ok := ix.FailureMode(in.Profile.MachineType, c.FailureMode); ok {
			take(ch)
		}
	}
	var q []string
	for _, f := range a.Findings {
		q = append(q, strings.ReplaceAll(f.Sensor, "_", " "), directionWord(f))
	}
	for _, c := range a.Causes {
		q = append(q, humanMode(c.FailureMode))
	}
	if in.HealthState != nil {
		q = append(q, "health state "+HealthLabels[*in.HealthState])
	}
	if len(q) == 0 {
		q = append(q, "inspection intervals routine monitoring")
	}
	for _, p := range ix.Search(strings.Join(q, " "), knowledge.SearchOptions{MachineType: in.Profile.MachineType, Only: true, Limit: n + len(out)}) {
		if len(out) >= n+min(2, len(a.Causes)) {
			break
		}
		take(p.Chunk)
	}
	return out
}

// systemPrompt sets the assistant's role and the answer's rules.
const systemPrompt = `You are the maintenance assistant of PdM Studio, an offline predictive-maintenance tool used by maintenance and reliability engineers.
Explain the machine's condition using only the FACTS and the MANUAL passages given. Never invent readings, limits, part numbers or sources.
Answer with one JSON object:
- "summary": 2 to 4 sentences: the state, the likely cause and the evidence for it.
- "risk_factors": short statements, each naming a sensor or prediction, its value and the limit it crosses.
- "recommendations": concrete actions, most urgent first, each with "priority" (high, medium or low) and a "rationale" that cites the evidence.
If the facts show no problem, say so and recommend routine monitoring.`

// Prompt builds the conversation for the model: the rules, then the facts (profile,
// prediction, findings, candidate causes with the profile's actions) and the numbered manual
// passages, then the request.
func Prompt(in Input, a Analysis, passages []knowledge.Chunk) []llm.Message {
	var b strings.Builder
	b.WriteString("FACTS\n")
	b.WriteString(ProfileSummary(in.Profile))
	if facts := predictionFacts(in); len(facts) > 0 {
		b.WriteString("\nPrediction: " + strings.Join(facts, "; ") + ".")
	}
	if len(a.Findings) > 0 {
		b.WriteString("\nReadings that matter:")
		for _, f := range a.Findings {
			b.WriteString("\n- " + f.Text)
		}
	} else {
		b.WriteString("\nAll reported readings are within their normal ranges.")
	}
	for _, r := range forecastRisks(in) {
		b.WriteString("\n- " + r)
	}
	if len(a.Causes) > 0 {
		b.WriteString("\nFailure modes whose signature matches the readings (most likely first):")
		for i, c := range a.Causes {
			if i >= 3 {
				break
			}
			fmt.Fprintf(&b, "\n- %s (matches %s): %s", c.FailureMode, strings.Join(c.Matched, ", "), firstSentence(c.mode.Description))
			for _, act := range c.mode.Actions {
				fmt.Fprintf(&b, "\n  action (%s): %s", act.Urgency, act.Description)
			}
		}
	}
	if len(passages) > 0 {
		b.WriteString("\n\nMANUAL")
		for i, p := range passages {
			fmt.Fprintf(&b, "\n[%d] %s\n%s", i+1, p.Source().String(), p.Text)
		}
	}
	fmt.Fprintf(&b, "\n\nExplain the condition of %s and recommend what to do.", machineName(in.Profile))
	return []llm.Message{{Role: llm.RoleSystem, Content: systemPrompt}, {Role: llm.RoleUser, Content: b.String()}}
}
