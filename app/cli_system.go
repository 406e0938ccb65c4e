package app

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"pdmstudio/backend/store"
)

func (c *cli) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := CurrentVersion()
			return c.print(v, func(w io.Writer) { fmt.Fprintf(w, "pdmstudio %s (commit %s, %s)\n", v.Version, v.Commit, v.Go) })
		},
	}
}

func (c *cli) doctorCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the data dir, database schema and runtime libraries",
		Args:  cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			rep, err := (&System{c: core}).Doctor(cmd.Context())
			if err != nil {
				return err
			}
			return c.print(rep, func(w io.Writer) {
				fmt.Fprintf(w, "PdM Studio %s (commit %s, %s) on %s/%s\n", rep.Version, rep.Commit, rep.Go, rep.OS, rep.Arch)
				fmt.Fprintf(w, "data dir:  %s\ndatabase:  %s (schema %d of %d)\ntables:    %s\nlog file:  %s\n",
					rep.DataDir, rep.DatabasePath, rep.SchemaVersion, rep.LatestSchemaVersion, strings.Join(rep.Tables, ", "), rep.LogFile)
				for _, r := range rep.Runtimes {
					if r.Loaded {
						extra := ""
						if r.ActiveProvider != "" {
							extra = ", provider " + r.ActiveProvider
						}
						if len(r.Backends) > 0 {
							extra = ", backends " + strings.Join(r.Backends, " ")
						}
						fmt.Fprintf(w, "%-10s loaded %s from %s%s\n", r.Name+":", r.Version, r.Path, extra)
					} else {
						fmt.Fprintf(w, "%-10s NOT loaded: %s\n", r.Name+":", r.Error)
					}
				}
			})
		}),
	}
}

func (c *cli) serveCommand() *cobra.Command {
	var addr, role string
	var allowRemote, bootstrap bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the UI and the services over HTTP (headless)",
		Long: "Serve the built UI and the same services the desktop uses over HTTP:\n" +
			"POST /api/call/{Service}/{Method} with a JSON argument list, events at GET /api/events (SSE).\n" +
			"Binds loopback only unless --allow-remote is given.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := ParseRole(role)
			if err != nil {
				return err
			}
			core, err := c.open(cmd.Context(), c.stderr)
			if err != nil {
				return err
			}
			defer core.Close()
			core.Log = slog.New(fanoutStderrInfo(core.Log, c.stderr))
			if bootstrap {
				if _, err := core.AutoBootstrap(cmd.Context()); err != nil {
					return err
				}
			}
			core.StartLive(cmd.Context())
			return core.Serve(cmd.Context(), addr, HTTPOptions{Assets: c.assets, Caller: Caller{User: "http", Role: r}, AllowRemote: allowRemote},
				func(a net.Addr) {
					fmt.Fprintf(c.stderr, "PdM Studio serving on http://%s (data dir %s)\n", a, core.Dir.Root)
				})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8765", "address to listen on")
	cmd.Flags().StringVar(&role, "role", "admin", "role of HTTP callers until user accounts exist: admin, operator or viewer")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow a non-loopback --addr (there are no user accounts yet)")
	cmd.Flags().BoolVar(&bootstrap, "bootstrap", false, "on an empty data dir, bootstrap the demo fleet in the background (the desktop does this by default)")
	return cmd
}

func (c *cli) jobsCommand() *cobra.Command {
	jobsCmd := &cobra.Command{Use: "jobs", Short: "List and cancel background jobs"}
	var f store.JobFilter
	list := &cobra.Command{
		Use:   "list",
		Short: "List jobs, newest first",
		Args:  cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			js, err := core.Jobs.List(cmd.Context(), f)
			if err != nil {
				return err
			}
			return c.print(js, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tKIND\tMACHINE\tSTATUS\tPROGRESS\tCREATED\tERROR")
				for _, j := range js {
					m := "-"
					if j.MachineID != nil {
						m = *j.MachineID
					}
					created := store.ParseTime(j.CreatedAt).Local().Format(time.DateTime)
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f%%\t%s\t%s\n", j.ID, j.Kind, m, j.Status, j.Progress*100, created, j.Error)
				}
				tw.Flush()
			})
		}),
	}
	list.Flags().StringVar(&f.Status, "status", "", "only jobs with this status")
	list.Flags().StringVar(&f.Kind, "kind", "", "only jobs of this kind")
	list.Flags().IntVar(&f.Limit, "limit", 100, "at most this many jobs")
	cancel := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel a queued or running job",
		Args:  exactArgs(1, "a job ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			if err := core.Jobs.Cancel(cmd.Context(), args[0]); err != nil {
				return err
			}
			return c.print(map[string]any{"cancelled": args[0]}, func(w io.Writer) { fmt.Fprintln(w, "cancel requested for job", args[0]) })
		}),
	}
	jobsCmd.AddCommand(list, cancel)
	return jobsCmd
}

// fanoutStderrInfo makes serve log its info lines (requests served, jobs) to stderr too.
func fanoutStderrInfo(l *slog.Logger, stderr io.Writer) slog.Handler {
	return fanout{l.Handler(), slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})}
}
