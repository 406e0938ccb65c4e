package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

// readProfileFile reads a profile file from disk with the size limit applied before reading.
func readProfileFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, apperr.BadInputf("cannot read profile %s: %v", path, err)
	}
	if st.IsDir() {
		return nil, apperr.BadInputf("%s is a folder, not a profile file", path)
	}
	if st.Size() > profiles.MaxFileSize {
		return nil, apperr.BadInput(fmt.Sprintf("%s is larger than the %d MB limit", path, profiles.MaxFileSize>>20),
			apperr.FieldError{Field: "file", Message: "too large"})
	}
	return os.ReadFile(path)
}

func (c *cli) templatesCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "templates", Short: "Machine types and their template profiles"}
	list := &cobra.Command{
		Use: "list", Short: "List machine types with a template", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ts := profiles.Types()
			return c.print(ts, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "TYPE\tLABEL\tFLEET\tDESCRIPTION")
				for _, t := range ts {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", t.Type, t.Label, t.FleetCount, t.Description)
				}
				tw.Flush()
			})
		},
	}
	var format, out string
	get := &cobra.Command{
		Use: "get TYPE", Short: "Write the template profile of a machine type (json, yaml or xlsx)",
		Args: exactArgs(1, "a machine TYPE (see `pdmstudio templates list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := profiles.ParseFormat(format)
			if err != nil {
				return err
			}
			name, data, err := profiles.TemplateFile(args[0], f)
			if err != nil {
				return err
			}
			if out == "" {
				if f == profiles.FormatXLSX {
					return usageError{fmt.Errorf("an xlsx template needs --out FILE")}
				}
				_, err := c.stdout.Write(data)
				return err
			}
			if err := atomicfile.WriteFile(out, data); err != nil {
				return err
			}
			return c.print(map[string]any{"type": args[0], "format": f, "path": out, "bytes": len(data)},
				func(w io.Writer) { fmt.Fprintf(w, "wrote %s template (%s) to %s\n", args[0], name, out) })
		},
	}
	get.Flags().StringVar(&format, "format", "json", "json, yaml or xlsx")
	get.Flags().StringVar(&out, "out", "", "file to write (default: stdout for json/yaml)")
	cmd.AddCommand(list, get)
	return cmd
}

func (c *cli) profileCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "profile", Short: "Check machine profiles"}
	validate := &cobra.Command{
		Use:   "validate FILE",
		Short: "Validate a JSON, YAML or XLSX profile; exit 0 when valid, 2 when not",
		Args:  exactArgs(1, "a profile FILE"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			data, err := readProfileFile(args[0])
			var res ValidationResult
			if err == nil {
				res, err = validationResult(core.Machines().ParseFile(cmd.Context(), filepath.Base(args[0]), data, ""))
			} else {
				res, err = validationResult(profiles.Profile{}, err)
			}
			if err != nil {
				return err
			}
			res.Profile = nil
			c.print(res, func(w io.Writer) {
				if res.Valid {
					fmt.Fprintf(w, "%s: valid\n", args[0])
					return
				}
				fmt.Fprintf(w, "%s: %s\n", args[0], res.Message)
				for _, e := range res.Errors {
					fmt.Fprintf(w, "  %s: %s\n", e.Field, e.Message)
				}
			})
			if !res.Valid {
				return silentExit{ExitBadInput}
			}
			return nil
		}),
	}
	cmd.AddCommand(validate)
	return cmd
}

func (c *cli) machinesCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "machines", Short: "Create, list, show and delete machines"}
	var profilePath string
	create := &cobra.Command{
		Use: "create --profile FILE", Short: "Create a machine from a JSON, YAML or XLSX profile", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if profilePath == "" {
				return usageError{fmt.Errorf("machines create needs --profile FILE")}
			}
			data, err := readProfileFile(profilePath)
			if err != nil {
				return err
			}
			core, err := c.open(cmd.Context(), c.stderr)
			if err != nil {
				return err
			}
			defer core.Close()
			m, err := core.Machines().CreateFromFile(cmd.Context(), filepath.Base(profilePath), data)
			if err != nil {
				return err
			}
			return c.print(m, func(w io.Writer) { fmt.Fprintf(w, "created machine %s (%s)\n", m.MachineID, m.Name) })
		},
	}
	create.Flags().StringVar(&profilePath, "profile", "", "profile file (.json, .yaml/.yml or .xlsx)")
	list := &cobra.Command{
		Use: "list", Short: "List machines with their workflow stage", Args: cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			ms, err := core.Machines().List(cmd.Context())
			if err != nil {
				return err
			}
			return c.print(ms, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "MACHINE\tTYPE\tMANUFACTURER\tMODEL\tSITE / LINE\tSTAGE")
				for _, m := range ms {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s / %s\t%s\n", m.MachineID, m.MachineType, m.Manufacturer, m.Model, m.Site, m.Line, m.Stage)
				}
				tw.Flush()
			})
		}),
	}
	show := &cobra.Command{
		Use: "show ID", Short: "Show a machine and its profile", Args: exactArgs(1, "a machine ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			d, err := (&Machines{c: core}).Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return c.print(d, func(w io.Writer) {
				m := d.Machine
				fmt.Fprintf(w, "%s — %s\n  type %s, %s %s\n  site %s, line %s\n  stage %s\n  %d sensors: ", m.MachineID, m.Name,
					m.MachineType, m.Manufacturer, m.Model, m.Site, m.Line, m.Stage, len(d.Profile.Sensors))
				names := []string{}
				for _, s := range d.Profile.Sensors {
					names = append(names, s.Name+" ["+s.Unit+"]")
				}
				fmt.Fprintln(w, strings.Join(names, ", "))
				fmt.Fprintf(w, "  %d failure modes, %d regimes\n", len(d.Profile.FailureModes), len(d.Profile.Regimes))
			})
		}),
	}
	status := &cobra.Command{
		Use: "status ID", Short: "Show a machine's workflow stages", Args: exactArgs(1, "a machine ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			m, err := core.Machines().Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return c.print(map[string]any{"machine_id": m.MachineID, "stage": m.Stage, "stages": m.Stages}, func(w io.Writer) {
				for _, s := range m.Stages {
					when := ""
					if s.State != store.StagePending {
						when = store.ParseTime(s.UpdatedAt).Local().Format("2006-01-02 15:04:05")
					}
					fmt.Fprintf(w, "%-10s %-8s %s %s\n", s.Stage, s.State, when, s.Detail)
				}
			})
		}),
	}
	del := &cobra.Command{
		Use: "delete ID", Short: "Delete a machine: its rows and its files", Args: exactArgs(1, "a machine ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			rep, err := core.Machines().Delete(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return c.print(rep, func(w io.Writer) {
				fmt.Fprintf(w, "deleted machine %s: %d files (%d bytes) and its database rows\n", rep.MachineID, rep.Files, rep.Bytes)
			})
		}),
	}
	cmd.AddCommand(create, list, show, status, del)
	return cmd
}

func (c *cli) fleetCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "fleet", Short: "The built-in demo fleet"}
	initCmd := &cobra.Command{
		Use: "init", Short: "Create the 26 built-in machines (idempotent)", Args: cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			res, err := (&Fleet{c: core}).Init(cmd.Context())
			if err != nil {
				return err
			}
			return c.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "built-in fleet: %d created, %d already present\n", len(res.Created), len(res.Existing))
			})
		}),
	}
	var full bool
	boot := &cobra.Command{
		Use:   "bootstrap",
		Short: "Take the built-in fleet through seed, TVAE, synthetic data, validation and models (fast settings)",
		Args:  cobra.NoArgs,
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			start := time.Now()
			var st BootstrapStatus
			var err error
			settings := map[bool]string{true: "full", false: "fast"}[full]
			if tiny, _ := cmd.Flags().GetBool("tiny"); tiny {
				settings = "tiny"
			}
			if s, only, ok := bootstrapOverride(cmd, full); ok {
				st, err = (&Fleet{c: core}).bootstrapWith(cmd.Context(), s, only)
			} else {
				st, err = (&Fleet{c: core}).Bootstrap(cmd.Context(), full)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "bootstrapping %d machines on %d workers\n", len(st.Jobs), core.Jobs.Workers())
			type item struct {
				MachineID string  `json:"machine_id"`
				Status    string  `json:"status"`
				Error     string  `json:"error,omitempty"`
				Seconds   float64 `json:"seconds"`
			}
			var items []item
			failed := 0
			for _, j := range st.Jobs {
				final, err := core.Jobs.Wait(cmd.Context(), j.ID)
				if err != nil {
					return err
				}
				it := item{MachineID: *final.MachineID, Status: final.Status, Error: final.Error}
				if final.StartedAt != nil && final.FinishedAt != nil {
					it.Seconds = store.ParseTime(*final.FinishedAt).Sub(store.ParseTime(*final.StartedAt)).Seconds()
				}
				if final.Status != store.JobSucceeded {
					failed++
				}
				fmt.Fprintf(c.stderr, "%-36s %-10s %6.1fs %s\n", it.MachineID, it.Status, it.Seconds, it.Error)
				items = append(items, it)
			}
			if failed < len(items) {
				// One refresh stores the fleet overview, so the next start of the app shows the
				// new machines at once instead of predicting the whole fleet before its first
				// answer (Monitor.Overview serves the stored one while the live fleet starts).
				rctx, cancel := context.WithTimeout(cmd.Context(), liveRefreshTimeout)
				if _, err := core.Live.Refresh(rctx, false); err != nil {
					fmt.Fprintf(c.stderr, "fleet overview not stored (the app will predict the fleet at its first start): %v\n", err)
				}
				cancel()
			}
			out := map[string]any{"machines": st.Machines, "bootstrapped": len(items) - failed, "failed": failed,
				"seconds": time.Since(start).Seconds(), "items": items, "settings": settings}
			if err := c.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "fleet bootstrap: %d machines ready, %d failed, %.0fs\n", len(items)-failed, failed, time.Since(start).Seconds())
			}); err != nil {
				return err
			}
			if failed > 0 {
				return silentExit{ExitFailure}
			}
			return nil
		}),
	}
	boot.Flags().Bool("fast", true, "fast settings (the default): 4,000 seed rows, 300 TVAE epochs, small synthetic sets")
	boot.Flags().BoolVar(&full, "full", false, "full settings: 10,000 seed rows, 300 TVAE epochs, 35,000/7,500/7,500 synthetic rows")
	addBootstrapTestFlags(boot)
	cmd.AddCommand(initCmd, boot)
	cmd.AddCommand(c.fleetLiveCommands()...)
	return cmd
}
