package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"pdmstudio/backend/assistant"
	"pdmstudio/backend/jobs"
)

func (c *cli) llmCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "llm", Short: "The local language model (llama.cpp)"}
	info := &cobra.Command{
		Use: "info", Short: "llama.cpp library, backend, loaded model and the models found", Args: cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			_ = core.Assistant.Restore(cmd.Context())
			info, err := core.Assistant.Info(cmd.Context())
			if err != nil {
				return err
			}
			return c.print(info, func(w io.Writer) {
				b, _ := json.MarshalIndent(info, "", "  ")
				fmt.Fprintln(w, string(b))
			})
		}),
	}
	cmd.AddCommand(info)
	return cmd
}

func (c *cli) chatCommand() *cobra.Command {
	var model, machine, session string
	cmd := &cobra.Command{
		Use:   `chat "question"`,
		Short: "Ask the assistant (streams tokens; --json: JSON lines token/done/error)",
		Args:  exactArgs(1, "a question in quotes"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			a := core.Assistant
			if model == "" {
				_ = a.Restore(cmd.Context())
			}
			enc := json.NewEncoder(c.stdout)
			ans, err := a.Chat(cmd.Context(), assistant.ChatRequest{Question: args[0], MachineID: machine, SessionID: session, Model: model},
				func(t string) error {
					if c.asJSON {
						return enc.Encode(assistant.TokenEvent(t))
					}
					_, err := io.WriteString(c.stdout, t)
					return err
				})
			if err != nil {
				if c.asJSON {
					enc.Encode(assistant.ErrorEvent(err))
					return silentExit{exitCodeFor(err)}
				}
				return err
			}
			if c.asJSON {
				return enc.Encode(assistant.DoneEvent(ans))
			}
			fmt.Fprintln(c.stdout, "\n\nSources:")
			for _, s := range ans.Sources {
				fmt.Fprintln(c.stdout, "  -", s.String())
			}
			fmt.Fprintf(c.stdout, "(%s)\n", ans.Generator)
			return nil
		}),
	}
	cmd.Flags().StringVar(&model, "model", "", "GGUF model file (default: the model loaded last)")
	cmd.Flags().StringVar(&machine, "machine", "", "machine in view: its profile and latest prediction are context")
	cmd.Flags().StringVar(&session, "session", "", "continue a chat session")
	return cmd
}

func (c *cli) explainCommand() *cobra.Command {
	var model string
	var structured bool
	cmd := &cobra.Command{
		Use:   "explain MACHINE_ID",
		Short: "Explain a machine's latest prediction: summary, risk factors, recommendations, sources",
		Args:  exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			if model == "" {
				_ = core.Assistant.Restore(cmd.Context())
			}
			e, err := core.Assistant.Explain(cmd.Context(), args[0], assistant.ExplainOptions{Model: model, Structured: structured}, nil)
			if err != nil {
				return err
			}
			return c.print(e, func(w io.Writer) {
				fmt.Fprintf(w, "%s\n\nRisk factors:\n", e.Summary)
				for _, r := range e.RiskFactors {
					fmt.Fprintln(w, "  -", r)
				}
				fmt.Fprintln(w, "\nRecommendations:")
				for _, r := range e.Recommendations {
					fmt.Fprintf(w, "  [%s] %s — %s\n", r.Priority, r.Action, r.Rationale)
				}
				fmt.Fprintln(w, "\nSources:")
				for _, s := range e.Sources {
					fmt.Fprintf(w, "  - %s › %s\n", s.Document, s.Section)
				}
				fmt.Fprintf(w, "(%s)\n", e.Generator)
			})
		}),
	}
	cmd.Flags().StringVar(&model, "model", "", "GGUF model file (default: the model loaded last; none: structured)")
	cmd.Flags().BoolVar(&structured, "structured", false, "compose the structured explanation without the language model")
	return cmd
}

func (c *cli) analyzeCommand() *cobra.Command {
	var fleetFlag bool
	var model string
	cmd := &cobra.Command{
		Use:   "analyze --fleet",
		Short: "Explain every at-risk machine of the fleet (a job)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !fleetFlag {
				return usageError{fmt.Errorf("analyze needs --fleet")}
			}
			core, err := c.open(cmd.Context(), c.stderr)
			if err != nil {
				return err
			}
			defer core.Close()
			if model == "" {
				_ = core.Assistant.Restore(cmd.Context())
			}
			j, err := core.Jobs.Submit(cmd.Context(), jobs.Spec{Kind: "assistant.analyze_fleet"}, func(ctx context.Context, p *jobs.Progress) (any, error) {
				return core.Assistant.AnalyzeFleet(ctx, nil, assistant.ExplainOptions{Model: model}, p)
			})
			if err != nil {
				return err
			}
			final, err := c.waitJob(cmd.Context(), core, j)
			if err != nil {
				return err
			}
			var res assistant.FleetResult
			json.Unmarshal(final.Result, &res)
			return c.print(json.RawMessage(final.Result), func(w io.Writer) {
				fmt.Fprintf(w, "%d machines, %d at risk: %s\n", res.Machines, len(res.AtRisk), strings.Join(res.AtRisk, ", "))
			})
		},
	}
	cmd.Flags().BoolVar(&fleetFlag, "fleet", false, "analyze the whole fleet")
	cmd.Flags().StringVar(&model, "model", "", "GGUF model file")
	return cmd
}
