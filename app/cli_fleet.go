package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/fleet"
	"pdmstudio/backend/store"
	"pdmstudio/backend/telemetry"
)

// fleetLiveCommands are the live-fleet subcommands of `fleet`.
func (c *cli) fleetLiveCommands() []*cobra.Command {
	status := &cobra.Command{
		Use:   "status",
		Short: "Predict the whole fleet once on its latest readings and show each machine's status",
		Args:  cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), liveRefreshTimeout)
			defer cancel()
			ov, err := core.Live.Refresh(ctx, false)
			if err != nil {
				return err
			}
			return c.print(ov, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "MACHINE\tSTATUS\tCONFIDENCE\tRUL (h)\tANOMALY\tALERTS")
				for _, m := range ov.Machines {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", m.ID, m.Status, pct(m.Confidence), fnum(m.RUL), fnum(m.AnomalyScore), m.OpenAlerts)
				}
				tw.Flush()
				k := ov.Counts
				fmt.Fprintf(w, "%d healthy, %d degrading, %d warning, %d critical, %d unknown\n", k.Healthy, k.Degrading, k.Warning, k.Critical, k.Unknown)
			})
		}),
	}
	return []*cobra.Command{status}
}

// bootstrapOverride reads the hidden test flags of `fleet bootstrap`: --tiny (about ten seconds
// per machine) and --only ID,ID (a subset of the built-in machines).
func bootstrapOverride(cmd *cobra.Command, full bool) (fleet.Settings, []string, bool) {
	tiny, _ := cmd.Flags().GetBool("tiny")
	only, _ := cmd.Flags().GetString("only")
	if !tiny && only == "" {
		return fleet.Settings{}, nil, false
	}
	s := fleet.FastSettings
	if full {
		s = fleet.FullSettings
	}
	if tiny {
		s = fleet.TinySettings
	}
	var ids []string
	for _, id := range strings.Split(only, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return s, ids, true
}

// addBootstrapTestFlags adds the hidden --tiny and --only flags to `fleet bootstrap`.
func addBootstrapTestFlags(cmd *cobra.Command) {
	cmd.Flags().Bool("tiny", false, "tiny settings for tests: 1,000 seed rows, 5 TVAE epochs, no quality report")
	cmd.Flags().String("only", "", "bootstrap only these machines (comma-separated ids)")
	cmd.Flags().MarkHidden("tiny")
	cmd.Flags().MarkHidden("only")
}

func pct(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", *v*100)
}

func fnum(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.3g", *v)
}

func (c *cli) alertsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "alerts", Short: "Alerts raised on the fleet's predictions"}
	var q AlertQuery
	list := &cobra.Command{
		Use:   "list",
		Short: "List alerts, newest first",
		Args:  cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			as, err := (&Fleet{c: core}).Alerts(cmd.Context(), q)
			if err != nil {
				return err
			}
			return c.print(as, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tMACHINE\tCAUSE\tSEVERITY\tSTATE\tRAISED\tMESSAGE")
				for _, a := range as {
					raised := store.ParseTime(a.RaisedAt).Local().Format(time.DateTime)
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.MachineID, a.Cause, a.Severity, a.State, raised, a.Message)
				}
				tw.Flush()
			})
		}),
	}
	list.Flags().StringVar(&q.State, "state", "", "only alerts in this state: active, acknowledged, cleared or open")
	list.Flags().StringVar(&q.MachineID, "machine", "", "only this machine's alerts")
	list.Flags().IntVar(&q.Limit, "limit", 200, "at most this many alerts")
	change := func(use, short string, fn func(f *Fleet, ctx context.Context, id string) (telemetry.AlertDetail, error)) *cobra.Command {
		return &cobra.Command{
			Use: use + " ID", Short: short, Args: cobra.ExactArgs(1),
			RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
				a, err := fn(&Fleet{c: core}, WithCaller(cmd.Context(), Caller{User: "cli", Role: RoleAdmin}), args[0])
				if err != nil {
					return err
				}
				return c.print(a, func(w io.Writer) { fmt.Fprintf(w, "alert %s on %s is %s\n", a.ID, a.MachineID, a.State) })
			}),
		}
	}
	ack := change("ack", "Acknowledge an active alert", (*Fleet).AcknowledgeAlert)
	clear := change("clear", "Clear an open alert by hand", (*Fleet).ClearAlert)
	cmd.AddCommand(list, ack, clear)
	return cmd
}

func (c *cli) telemetryCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "telemetry", Short: "Machines' live readings and the live-fleet settings"}
	imp := &cobra.Command{
		Use:   "import MACHINE_ID FILE",
		Short: "Make a CSV or Parquet file of real readings a machine's telemetry (columns named as its sensors)",
		Args:  cobra.ExactArgs(2),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			res, err := (&Telemetry{c: core}).Import(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			return c.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "imported %d readings of %d sensors for %s (%s to %s)\n", res.Rows, len(res.Sensors), res.MachineID, res.First, res.Last)
				for _, n := range res.Notes {
					fmt.Fprintf(w, "note: %s\n", n)
				}
				if len(res.Ignored) > 0 {
					fmt.Fprintf(w, "ignored columns: %s\n", strings.Join(res.Ignored, ", "))
				}
			})
		}),
	}
	replay := &cobra.Command{
		Use:   "replay MACHINE_ID",
		Short: "End a machine's imported readings: replay its data sets again (the imported file is deleted)",
		Args:  exactArgs(1, "a machine ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			if err := (&Telemetry{c: core}).UseReplay(cmd.Context(), args[0]); err != nil {
				return err
			}
			return c.print(map[string]any{"machine_id": args[0], "source": "replay"}, func(w io.Writer) {
				fmt.Fprintf(w, "%s replays its data sets again from the next refresh\n", args[0])
			})
		}),
	}
	var opts telemetry.HistoryOptions
	var sensors string
	hist := &cobra.Command{
		Use:   "history MACHINE_ID",
		Short: "A machine's latest readings",
		Args:  cobra.ExactArgs(1),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			if sensors != "" {
				opts.Sensors = strings.Split(sensors, ",")
			}
			h, err := (&Telemetry{c: core}).History(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			return c.print(h, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprint(tw, "TIME")
				for _, s := range h.Sensors {
					fmt.Fprintf(tw, "\t%s (%s)", s.Name, s.Unit)
				}
				fmt.Fprintln(tw)
				for i, t := range h.Time {
					fmt.Fprint(tw, store.ParseTime(t).Local().Format(time.DateTime))
					for _, s := range h.Sensors {
						fmt.Fprintf(tw, "\t%s", fnum(h.Series[s.Name][i]))
					}
					fmt.Fprintln(tw)
				}
				tw.Flush()
			})
		}),
	}
	hist.Flags().IntVar(&opts.Limit, "limit", 20, "latest readings (1-500)")
	hist.Flags().StringVar(&sensors, "sensors", "", "only these sensors (comma-separated)")
	var speed int
	var interval, horizon float64
	var pause, resume bool
	set := &cobra.Command{
		Use:   "settings",
		Short: "Show or change the replay speed, refresh interval, RUL alert horizon and pause",
		Args:  cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			t := &Telemetry{c: core}
			s, err := t.Settings(cmd.Context())
			if err != nil {
				return err
			}
			fl := cmd.Flags()
			if pause && resume {
				return apperr.BadInput("--pause and --resume contradict each other")
			}
			if fl.Changed("speed") || fl.Changed("interval") || fl.Changed("rul-horizon") || pause || resume {
				if fl.Changed("speed") {
					s.Speed = speed
				}
				if fl.Changed("interval") {
					s.RefreshIntervalS = interval
				}
				if fl.Changed("rul-horizon") {
					s.RULHorizon = horizon
				}
				if pause || resume {
					s.Paused = pause
				}
				if s, err = t.SaveSettings(cmd.Context(), s); err != nil {
					return err
				}
			}
			return c.print(s, func(w io.Writer) {
				fmt.Fprintf(w, "speed %d rows per refresh, refresh every %gs, RUL alert horizon %g h, paused %v\n", s.Speed, s.RefreshIntervalS, s.RULHorizon, s.Paused)
			})
		}),
	}
	set.Flags().IntVar(&speed, "speed", 0, "rows each machine's replay advances per refresh (1-1000)")
	set.Flags().Float64Var(&interval, "interval", 0, "seconds between fleet refreshes (2-3600)")
	set.Flags().Float64Var(&horizon, "rul-horizon", 0, "raise an RUL alert under this many hours (0: off)")
	set.Flags().BoolVar(&pause, "pause", false, "pause the replay")
	set.Flags().BoolVar(&resume, "resume", false, "resume the replay")
	cmd.AddCommand(imp, replay, hist, set)
	return cmd
}
