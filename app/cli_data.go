package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/onboard"
	"pdmstudio/backend/store"
)

// waitJob follows a job of this process to its end, printing progress lines on stderr, and turns
// a failed or cancelled job into an error. Ctrl-C cancels the job.
func (c *cli) waitJob(ctx context.Context, core *Core, j jobs.Job) (jobs.Job, error) {
	ch, unsub := core.Events.Subscribe()
	defer unsub()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		last := ""
		for {
			select {
			case <-done:
				return
			case ev, ok := <-ch:
				if !ok {
					return
				}
				u, isJob := ev.Data.(jobs.Job)
				if !isJob || u.ID != j.ID || u.Final() {
					continue
				}
				line := fmt.Sprintf("%s: %s %3.0f%%", u.Kind, u.Stage, u.Progress*100)
				if u.ETASeconds != nil {
					line += fmt.Sprintf(" (ETA %.0fs)", *u.ETASeconds)
				}
				if m := strings.TrimSpace(string(u.Metrics)); m != "" && m != "{}" {
					line += " " + m
				}
				if line != last {
					fmt.Fprintln(c.stderr, line)
					last = line
				}
			}
		}
	}()
	final, err := core.Jobs.Wait(ctx, j.ID)
	close(done)
	<-stopped // the progress printer is done with stderr
	if err != nil {
		return final, err
	}
	took := ""
	if final.StartedAt != nil && final.FinishedAt != nil {
		took = fmt.Sprintf(" in %.1fs", store.ParseTime(*final.FinishedAt).Sub(store.ParseTime(*final.StartedAt)).Seconds())
	}
	fmt.Fprintf(c.stderr, "%s: %s%s\n", final.Kind, final.Status, took)
	switch final.Status {
	case store.JobSucceeded:
		return final, nil
	case store.JobCancelled:
		return final, fmt.Errorf("job %s was cancelled", final.ID)
	}
	return final, fmt.Errorf("job %s %s: %s", final.ID, final.Status, final.Error)
}

func (c *cli) seedCommand() *cobra.Command {
	var opts onboard.SeedOptions
	cmd := &cobra.Command{
		Use:   "seed MACHINE_ID",
		Short: "Generate a machine's run-to-failure seed data (machines/<id>/seed.parquet)",
		Args:  exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			j, err := core.Workflow.SubmitSeed(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			final, err := c.waitJob(cmd.Context(), core, j)
			if err != nil {
				return err
			}
			var res onboard.SeedResult
			json.Unmarshal(final.Result, &res)
			return c.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "wrote %d rows × %d columns (%d episodes, %d ending in failure) to %s (%d bytes) in %.2fs\n",
					res.Rows, res.Columns, res.Episodes, res.Failures, res.Path, res.Bytes, res.Seconds)
			})
		}),
	}
	cmd.Flags().IntVar(&opts.Samples, "samples", 10000, "rows to generate (1,000–100,000)")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 42, "random seed (same seed → same data)")
	return cmd
}

func (c *cli) trainCommand() *cobra.Command {
	var opts onboard.TrainOptions
	cmd := &cobra.Command{
		Use:   "train MACHINE_ID",
		Short: "Train a machine's TVAE on its seed data (progress on stderr)",
		Args:  exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			j, err := core.Workflow.SubmitTrain(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			final, err := c.waitJob(cmd.Context(), core, j)
			if err != nil {
				return err
			}
			var res onboard.TrainResult
			json.Unmarshal(final.Result, &res)
			return c.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "trained %s: %d epochs on %d rows, final loss %.4f, %.1fs → %s\n", res.MachineID, res.Epochs, res.Rows,
					res.FinalLoss, res.Seconds, res.ModelPath)
			})
		}),
	}
	cmd.Flags().IntVar(&opts.Epochs, "epochs", 300, "training epochs")
	cmd.Flags().IntVar(&opts.BatchSize, "batch-size", 500, "rows per step")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 42, "random seed (same seed → byte-identical model)")
	return cmd
}

func (c *cli) generateCommand() *cobra.Command {
	var opts onboard.GenerateOptions
	cmd := &cobra.Command{
		Use:   "generate MACHINE_ID",
		Short: "Sample synthetic train/val/test Parquet sets from a machine's TVAE",
		Args:  exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			j, err := core.Workflow.SubmitGenerate(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			final, err := c.waitJob(cmd.Context(), core, j)
			if err != nil {
				return err
			}
			var res onboard.GenerateResult
			json.Unmarshal(final.Result, &res)
			return c.print(res, func(w io.Writer) {
				for _, s := range res.Sets {
					fmt.Fprintf(w, "%-5s %7d rows, %3d episodes, %8d bytes  %s\n", s.Kind, s.Rows, s.Episodes, s.Bytes, s.Path)
				}
			})
		}),
	}
	cmd.Flags().IntVar(&opts.Train, "train", 35000, "rows in the train set")
	cmd.Flags().IntVar(&opts.Val, "val", 7500, "rows in the validation set")
	cmd.Flags().IntVar(&opts.Test, "test", 7500, "rows in the test set")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 7, "random seed")
	return cmd
}

func (c *cli) validateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate MACHINE_ID",
		Short: "Quality report of a machine's synthetic data against its seed data",
		Args:  exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			j, err := core.Workflow.SubmitValidate(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			final, err := c.waitJob(cmd.Context(), core, j)
			if err != nil {
				return err
			}
			var v onboard.Validation
			json.Unmarshal(final.Result, &v)
			return c.print(v, func(w io.Writer) { printValidation(w, &v) })
		}),
	}
}

func printValidation(w io.Writer, v *onboard.Validation) {
	r := v.Report
	verdict := "PASSED"
	if !v.Passed {
		verdict = "BELOW THRESHOLD: " + strings.Join(v.Failures, "; ")
	}
	fmt.Fprintf(w, "%s: %s\n  quality %.3f (column shapes %.3f, pair trends %.3f)\n", v.MachineID, verdict, r.Overall, r.ColumnShapes, r.ColumnPairTrends)
	if r.TSTR != nil {
		fmt.Fprintf(w, "  train-on-synthetic/test-on-real %s: macro-F1 %.3f vs %.3f trained on real (%.0f%%, worst class %.0f%%)\n",
			r.TSTR.Target, r.TSTR.MacroF1Synthetic, r.TSTR.MacroF1Real, 100*r.TSTR.MacroRatio, 100*r.TSTR.MinRatio)
	}
	if r.Detection != nil {
		fmt.Fprintf(w, "  real-vs-synthetic detection ROC AUC %.3f (trees %.3f)\n", r.Detection.ROCAUC, r.Detection.TreesROCAUC)
	}
}

// readTable reads a .csv or .parquet file by extension.
func readTable(path string) (*datasets.Table, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".csv" || ext == ".parquet" {
		if st, err := os.Stat(path); err != nil {
			return nil, apperr.BadInputf("cannot read %s: %v", path, err)
		} else if st.IsDir() {
			return nil, apperr.BadInputf("%s is a folder, not a data file", path)
		}
	}
	switch ext {
	case ".csv":
		return datasets.ReadCSVFile(context.Background(), path, datasets.CSVOptions{})
	case ".parquet":
		return datasets.ReadParquet(path)
	}
	return nil, apperr.BadInputf("cannot tell the format of %q: use a .csv or .parquet file", path)
}

func (c *cli) dataCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "data", Short: "Inspect and convert CSV and Parquet datasets"}
	stats := &cobra.Command{
		Use: "stats FILE", Short: "Per-column statistics of a .csv or .parquet file", Args: exactArgs(1, "a FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := readTable(args[0])
			if err != nil {
				return err
			}
			st, err := datasets.Describe(t)
			if err != nil {
				return err
			}
			out := map[string]any{"file": args[0], "rows": t.NumRows(), "columns": st}
			return c.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "%s: %d rows, %d columns\n", args[0], t.NumRows(), len(st))
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "COLUMN\tTYPE\tCOUNT\tNULLS\tMIN\tMEAN\tMAX\tSTD\t")
				for _, s := range st {
					b, _ := json.Marshal(s)
					var m map[string]any
					json.Unmarshal(b, &m)
					fmt.Fprintf(tw, "%s\t%v\t%v\t%v\t%v\t%v\t%v\t%v\t\n", m["name"], m["type"], m["count"], m["nulls"],
						num(m["min"]), num(m["mean"]), num(m["max"]), num(m["std"]))
				}
				tw.Flush()
			})
		},
	}
	convert := &cobra.Command{
		Use: "convert IN OUT", Short: "Convert between CSV and Parquet (by file extension)", Args: exactArgs(2, "IN and OUT files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := readTable(args[0])
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(args[1])) {
			case ".csv":
				err = datasets.WriteCSVFile(args[1], t)
			case ".parquet":
				err = datasets.WriteParquet(args[1], t)
			default:
				return apperr.BadInputf("cannot tell the output format of %q: use .csv or .parquet", args[1])
			}
			if err != nil {
				return err
			}
			return c.print(map[string]any{"in": args[0], "out": args[1], "rows": t.NumRows(), "columns": len(t.Columns)},
				func(w io.Writer) {
					fmt.Fprintf(w, "wrote %d rows × %d columns to %s\n", t.NumRows(), len(t.Columns), args[1])
				})
		},
	}
	cmd.AddCommand(stats, convert)
	return cmd
}

func num(v any) string {
	f, ok := v.(float64)
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.4g", f)
}
