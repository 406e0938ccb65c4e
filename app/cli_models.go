package app

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/registry"
)

func (c *cli) modelsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "models", Short: "Train, list and activate a machine's predictive models"}
	var tasks string
	var seed uint64
	train := &cobra.Command{
		Use: "train MACHINE_ID", Short: "Train a machine's models (progress on stderr)", Args: exactArgs(1, "a MACHINE_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ts, err := registry.ParseTasks(tasks)
			if err != nil {
				return err
			}
			core, err := c.open(cmd.Context(), c.stderr)
			if err != nil {
				return err
			}
			defer core.Close()
			j, err := core.Registry.SubmitTrain(cmd.Context(), args[0], registry.TrainOptions{Tasks: ts, Seed: seed})
			if err != nil {
				return err
			}
			final, err := c.waitJob(cmd.Context(), core, j)
			if err != nil {
				return err
			}
			var out []registry.TrainedVersion
			json.Unmarshal(final.Result, &out)
			return c.print(out, func(w io.Writer) {
				for _, v := range out {
					state := "inactive (activate to use)"
					if v.Active {
						state = "active"
					}
					fmt.Fprintf(w, "%-14s v%d %-11s %5.1fs %s  %s\n", v.Task, v.Version, v.Family, v.Seconds, state, v.VersionID)
				}
			})
		},
	}
	train.Flags().StringVar(&tasks, "tasks", "classification,rul,anomaly,forecast", "tasks to train")
	train.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	list := &cobra.Command{
		Use: "list MACHINE_ID", Short: "List a machine's model versions", Args: exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			vs, err := core.Registry.Versions(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return c.print(vs, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "TASK\tVERSION\tACTIVE\tTRAINED\tID")
				for _, v := range vs {
					fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", v.ModelType, v.Version, v.IsActive, v.TrainedAt, v.ID)
				}
				tw.Flush()
			})
		}),
	}
	activate := &cobra.Command{
		Use: "activate VERSION_ID", Short: "Make a model version active (roll back by activating an older one)", Args: exactArgs(1, "a VERSION_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			v, err := core.Registry.Activate(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return c.print(v, func(w io.Writer) { fmt.Fprintf(w, "activated %s %s\n", v.ModelType, v.Version) })
		}),
	}
	cmd.AddCommand(train, list, activate)
	return cmd
}

func (c *cli) predictCommand() *cobra.Command {
	return &cobra.Command{
		Use: "predict MACHINE_ID", Short: "All four predictions on a machine's latest readings", Args: exactArgs(1, "a MACHINE_ID"),
		RunE: c.withCore(func(cmd *cobra.Command, args []string, core *Core) error {
			res, err := core.Registry.Predict(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return c.print(res, func(w io.Writer) {
				for _, t := range res.Tasks {
					if t.Error != "" {
						fmt.Fprintf(w, "%-14s error: %s\n", t.Task, t.Error)
						continue
					}
					var b []byte
					if len(t.Prediction.Forecast) > 0 {
						f := t.Prediction.Forecast[0]
						b = []byte(fmt.Sprintf("%s %.4g → %.4g in %d steps", f.Sensor, f.Last, f.Values[len(f.Values)-1], len(f.Values)))
					} else {
						b, _ = json.Marshal(t.Prediction.Prediction)
					}
					fmt.Fprintf(w, "%-14s %s (%s, %.2f ms, %s)\n", t.Task, b, t.Version, t.InferenceMS, t.Prediction.Engine)
				}
			})
		}),
	}
}

// mlCommand trains and runs the four model kinds on any table a user brings.
func (c *cli) mlCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "ml", Short: "The four model kinds on your own CSV or Parquet data"}
	var spec ml.FitSpec
	var task, trainPath, validPath, drop, sensors, out string
	fit := &cobra.Command{
		Use: "fit --task T --train FILE --out DIR", Short: "Train a model; prints its validation metrics", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if task == "" || trainPath == "" || out == "" {
				return usageError{fmt.Errorf("ml fit needs --task, --train FILE and --out DIR")}
			}
			spec.Task = ml.Task(task)
			var err error
			if spec.Train, err = readTable(trainPath); err != nil {
				return err
			}
			if validPath != "" {
				if spec.Valid, err = readTable(validPath); err != nil {
					return err
				}
			}
			spec.Drop, spec.Sensors = splitList(drop), splitList(sensors)
			m, err := ml.Fit(cmd.Context(), spec, func(stage string, frac float64) {
				fmt.Fprintf(c.stderr, "%s %3.0f%%\n", stage, frac*100)
			})
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.Save(out); err != nil {
				return err
			}
			man := m.Manifest()
			return c.print(map[string]any{"task": man.Task, "family": man.Family, "model": out, "metrics": man.Metrics,
				"candidates": man.Candidates, "train_rows": man.TrainRows, "valid_rows": man.ValidRows, "seconds": man.Seconds},
				func(w io.Writer) {
					b, _ := json.MarshalIndent(man.Metrics, "", "  ")
					fmt.Fprintf(w, "%s model (%s) saved to %s\n%s\n", man.Task, man.Family, out, b)
				})
		},
	}
	fit.Flags().StringVar(&task, "task", "", "classification, rul, anomaly or forecast")
	fit.Flags().StringVar(&trainPath, "train", "", "training table (.csv or .parquet)")
	fit.Flags().StringVar(&validPath, "valid", "", "validation table (default: the last share of the groups of --train)")
	fit.Flags().StringVar(&spec.Target, "target", "", "label column (class, remaining life, or health label for anomaly)")
	fit.Flags().StringVar(&spec.Group, "group", "", "asset/unit column")
	fit.Flags().StringVar(&spec.Order, "order", "", "time column")
	fit.Flags().StringVar(&drop, "drop", "", "columns that must not be inputs (comma separated)")
	fit.Flags().StringVar(&sensors, "sensors", "", "forecast: columns to forecast (comma separated)")
	fit.Flags().IntVar(&spec.Horizon, "horizon", 0, "forecast: steps ahead (default 10)")
	fit.Flags().IntVar(&spec.Window, "window", 0, "rows of history per prediction (default 20)")
	fit.Flags().StringVar(&spec.Normal, "normal", "", "anomaly: the target value of healthy rows (default 0)")
	fit.Flags().Uint64Var(&spec.Seed, "seed", 1, "random seed")
	fit.Flags().StringVar(&out, "out", "", "model directory to write")

	var modelDir, dataPath string
	var last bool
	loadBoth := func() (*ml.Model, *datasets.Table, error) {
		if modelDir == "" || dataPath == "" {
			return nil, nil, usageError{fmt.Errorf("needs --model DIR and --data FILE")}
		}
		m, err := ml.Load(modelDir)
		if err != nil {
			if apperr.KindOf(err) == apperr.KindInternal {
				err = apperr.BadInputf("%v", err)
			}
			return nil, nil, err
		}
		t, err := readTable(dataPath)
		if err != nil {
			m.Close()
			return nil, nil, err
		}
		return m, t, nil
	}
	predict := &cobra.Command{
		Use: "predict --model DIR --data FILE", Short: "Predict for every row (or each group's last row) as JSON lines", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, t, err := loadBoth()
			if err != nil {
				return err
			}
			defer m.Close()
			ps, err := m.Predict(t, ml.PredictOptions{Last: last})
			if err != nil {
				return err
			}
			enc := json.NewEncoder(c.stdout)
			for _, p := range ps {
				if err := enc.Encode(p); err != nil {
					return err
				}
			}
			return nil
		},
	}
	predict.Flags().StringVar(&modelDir, "model", "", "model directory from ml fit")
	predict.Flags().StringVar(&dataPath, "data", "", "data (.csv or .parquet); a target column is ignored")
	predict.Flags().BoolVar(&last, "last", false, "one prediction per group, at its last row")
	eval := &cobra.Command{
		Use: "eval --model DIR --data FILE", Short: "Metrics of a model on data that holds the target", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, t, err := loadBoth()
			if err != nil {
				return err
			}
			defer m.Close()
			met, err := m.Evaluate(t)
			if err != nil {
				return err
			}
			return c.print(met, func(w io.Writer) {
				b, _ := json.MarshalIndent(met, "", "  ")
				fmt.Fprintln(w, string(b))
			})
		},
	}
	eval.Flags().StringVar(&modelDir, "model", "", "model directory from ml fit")
	eval.Flags().StringVar(&dataPath, "data", "", "data with the target column (.csv or .parquet)")
	cmd.AddCommand(fit, predict, eval)
	return cmd
}
