package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/quality"
	"pdmstudio/backend/tvae"
)

// splitList splits "a,b" into names, dropping empties.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// writeTable writes a .csv or .parquet file by extension.
func writeTable(path string, t *datasets.Table) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return datasets.WriteCSVFile(path, t)
	case ".parquet":
		return datasets.WriteParquet(path, t)
	}
	return apperr.BadInputf("cannot tell the output format of %q: use .csv or .parquet", path)
}

// synthCommand is the TVAE on any table a user brings, outside the machine workflow.
func (c *cli) synthCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "synth", Short: "Synthetic data (TVAE) for any CSV or Parquet table"}

	var data, discrete, out string
	var epochs, batch int
	var seed uint64
	fit := &cobra.Command{
		Use: "fit --data FILE --out MODEL", Short: "Fit a TVAE to a table (progress on stderr)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" || out == "" {
				return usageError{fmt.Errorf("synth fit needs --data FILE and --out MODEL")}
			}
			t, err := readTable(data)
			if err != nil {
				return err
			}
			for _, d := range splitList(discrete) {
				if t.Column(d) == nil {
					return apperr.BadInput("unknown column", apperr.FieldError{Field: "discrete", Message: fmt.Sprintf("%s has no column %q", data, d)})
				}
			}
			start := time.Now()
			opts := tvae.Options{Epochs: epochs, BatchSize: batch, Seed: seed, Transform: tvae.TransformOptions{Discrete: splitList(discrete)}}
			last := time.Time{}
			m, err := tvae.Fit(cmd.Context(), t, opts, func(e tvae.EpochInfo) {
				if e.Epoch == e.Epochs || time.Since(last) > 500*time.Millisecond {
					fmt.Fprintf(c.stderr, "epoch %d/%d loss %.4f\n", e.Epoch, e.Epochs, e.Loss)
					last = time.Now()
				}
			})
			if err != nil {
				return err
			}
			if err := m.Save(out); err != nil {
				return err
			}
			fi, _ := os.Stat(out)
			res := map[string]any{"model": out, "rows": t.NumRows(), "columns": len(t.Columns), "epochs": len(m.LossHistory),
				"final_loss": m.LossHistory[len(m.LossHistory)-1], "seconds": time.Since(start).Seconds(), "bytes": fi.Size()}
			return c.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "fitted %d rows × %d columns in %.1fs → %s\n", t.NumRows(), len(t.Columns), res["seconds"], out)
			})
		},
	}
	fit.Flags().StringVar(&data, "data", "", "training table (.csv or .parquet)")
	fit.Flags().StringVar(&discrete, "discrete", "", "columns to treat as categories (comma separated)")
	fit.Flags().IntVar(&epochs, "epochs", 300, "training epochs")
	fit.Flags().IntVar(&batch, "batch-size", 500, "rows per step")
	fit.Flags().Uint64Var(&seed, "seed", 42, "random seed (same seed → byte-identical model)")
	fit.Flags().StringVar(&out, "out", "", "model file to write")

	var model, where, sout string
	var rows int
	var sseed uint64
	sample := &cobra.Command{
		Use: "sample --model MODEL --rows N --out FILE", Short: "Sample synthetic rows, optionally conditioned on discrete values", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" || sout == "" || rows <= 0 {
				return usageError{fmt.Errorf("synth sample needs --model MODEL, --rows N (> 0) and --out FILE")}
			}
			ext := strings.ToLower(filepath.Ext(sout))
			if ext != ".csv" && ext != ".parquet" {
				return apperr.BadInputf("cannot tell the output format of %q: use .csv or .parquet", sout)
			}
			conds := map[string]string{}
			for _, w := range splitList(where) {
				k, v, ok := strings.Cut(w, "=")
				if !ok || k == "" {
					return apperr.BadInput("bad condition", apperr.FieldError{Field: "where", Message: fmt.Sprintf("%q is not col=value", w)})
				}
				conds[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			m, err := tvae.Load(model)
			if err != nil {
				return apperr.BadInputf("%v", err)
			}
			t, err := m.SampleContext(cmd.Context(), rows, sseed, conds)
			if err != nil {
				return err
			}
			if err := writeTable(sout, t); err != nil {
				return err
			}
			return c.print(map[string]any{"out": sout, "rows": t.NumRows(), "columns": len(t.Columns), "conditions": conds},
				func(w io.Writer) { fmt.Fprintf(w, "wrote %d rows to %s\n", t.NumRows(), sout) })
		},
	}
	sample.Flags().StringVar(&model, "model", "", "model file from synth fit")
	sample.Flags().IntVar(&rows, "rows", 0, "rows to sample")
	sample.Flags().Uint64Var(&sseed, "seed", 1, "random seed")
	sample.Flags().StringVar(&where, "where", "", "conditions on discrete columns, col=value[,col=value]")
	sample.Flags().StringVar(&sout, "out", "", "output file (.csv or .parquet)")

	var realPath, synPath, rdiscrete, target string
	report := &cobra.Command{
		Use: "report --real FILE --synthetic FILE", Short: "Quality report of synthetic data against real data", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if realPath == "" || synPath == "" {
				return usageError{fmt.Errorf("synth report needs --real FILE and --synthetic FILE")}
			}
			real, err := readTable(realPath)
			if err != nil {
				return err
			}
			syn, err := readTable(synPath)
			if err != nil {
				return err
			}
			rep, err := quality.Evaluate(cmd.Context(), real, syn, quality.Options{Discrete: splitList(rdiscrete), Target: target, Seed: 1})
			if err != nil {
				return err
			}
			return c.print(rep, func(w io.Writer) {
				fmt.Fprintf(w, "quality %.3f (column shapes %.3f, pair trends %.3f)\n", rep.Overall, rep.ColumnShapes, rep.ColumnPairTrends)
				for _, col := range rep.Columns {
					fmt.Fprintf(w, "  %-28s %-8s %s %.3f\n", col.Column, col.Kind, col.Metric, col.Score)
				}
				if rep.TSTR != nil {
					fmt.Fprintf(w, "TSTR on %s: macro-F1 %.3f synthetic-trained vs %.3f real-trained\n", rep.TSTR.Target, rep.TSTR.MacroF1Synthetic, rep.TSTR.MacroF1Real)
				}
				if rep.Detection != nil {
					fmt.Fprintf(w, "detection ROC AUC %.3f\n", rep.Detection.ROCAUC)
				}
			})
		},
	}
	report.Flags().StringVar(&realPath, "real", "", "real table (.csv or .parquet)")
	report.Flags().StringVar(&synPath, "synthetic", "", "synthetic table (.csv or .parquet)")
	report.Flags().StringVar(&rdiscrete, "discrete", "", "columns to compare as categories (comma separated)")
	report.Flags().StringVar(&target, "target", "", `discrete column for the train-on-synthetic check ("" = health_state if present, "-" = skip)`)
	cmd.AddCommand(fit, sample, report)
	return cmd
}
