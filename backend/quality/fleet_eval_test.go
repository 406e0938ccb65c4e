package quality

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
	"pdmstudio/backend/tvae"
)

// TestFleetQuality is the end-to-end measurement behind the quality targets, skipped unless
// PDM_QUALITY_EVAL is set: for each machine (PDM_QUALITY_MACHINES, comma-separated ids, or
// the first PDM_QUALITY_N of the fleet, default 5) simulate 10,000 seed rows, fit a TVAE with
// the default options (PDM_QUALITY_EPOCHS overrides the epochs), sample as many rows and
// print the report's headline numbers.
//
//	PDM_QUALITY_EVAL=1 go test ./backend/quality -run FleetQuality -v -timeout 2h
//
// Other knobs: PDM_QUALITY_ROWS, PDM_QUALITY_CACHE (folder for fitted models, reused),
// PDM_QUALITY_SAMPLE_SEEDS (samples per model), PDM_QUALITY_DECODING, PDM_QUALITY_LATENT,
// PDM_QUALITY_STRATIFY (override the options), PDM_QUALITY_RELATENT (refit the latent
// distribution of a cached model: "mixture" or "mixture:K"), PDM_QUALITY_DETAIL (per-column scores and
// single-column detection, worst pairs), PDM_QUALITY_LOO (leave-one-column-out detection).
func TestFleetQuality(t *testing.T) {
	if os.Getenv("PDM_QUALITY_EVAL") == "" {
		t.Skip("set PDM_QUALITY_EVAL=1 to run the fleet quality measurement")
	}
	env := func(k string, def int) int {
		if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
			return v
		}
		return def
	}
	rows := env("PDM_QUALITY_ROWS", 10_000)
	epochs := env("PDM_QUALITY_EPOCHS", 300)
	var fleet []profiles.Profile
	if ids := os.Getenv("PDM_QUALITY_MACHINES"); ids != "" {
		for _, id := range strings.Split(ids, ",") {
			p, err := profiles.FleetProfile(id)
			if err != nil {
				t.Fatal(err)
			}
			fleet = append(fleet, p)
		}
	} else {
		all := profiles.Fleet()
		step := max(1, len(all)/env("PDM_QUALITY_N", 5))
		for i := 0; i < len(all) && len(fleet) < env("PDM_QUALITY_N", 5); i += step {
			fleet = append(fleet, all[i])
		}
	}
	for _, p := range fleet {
		ctx := context.Background()
		real, err := simulate.Run(ctx, p, simulate.Options{Rows: rows, Seed: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := tvae.DefaultOptions()
		o.Epochs = epochs
		o.Seed = 1
		if d := os.Getenv("PDM_QUALITY_DECODING"); d != "" {
			o.Decoding = d
		}
		if l := os.Getenv("PDM_QUALITY_LATENT"); l != "" {
			o.Latent = l
		}
		// PDM_QUALITY_CACHE: a folder to keep fitted models in, to sample and score them
		// again (e.g. with another decoding) without refitting.
		cache := ""
		if dir := os.Getenv("PDM_QUALITY_CACHE"); dir != "" {
			cache = filepath.Join(dir, fmt.Sprintf("%s_%d_%d_%s.tvae", p.MachineID, rows, epochs, o.Latent))
		}
		var m *tvae.Model
		var fit time.Duration
		if cache != "" {
			m, _ = tvae.Load(cache)
			if m == nil && o.Latent != tvae.LatentPrior {
				// The weights do not depend on the latent choice (it is fitted after
				// training): reuse a model trained with the prior and refit its latent.
				prior := filepath.Join(filepath.Dir(cache), fmt.Sprintf("%s_%d_%d_%s.tvae", p.MachineID, rows, epochs, tvae.LatentPrior))
				if m, _ = tvae.Load(prior); m != nil {
					if err := m.RefitLatent(ctx, real, o.Latent, 0); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		if m == nil {
			start := time.Now()
			if m, err = tvae.Fit(ctx, real, o, nil); err != nil {
				t.Fatal(err)
			}
			fit = time.Since(start)
			if cache != "" {
				if err := m.Save(cache); err != nil {
					t.Fatal(err)
				}
			}
		}
		// PDM_QUALITY_RELATENT=latent[:components]: refit the latent sampling distribution
		// of the (cached) model on the seed rows, without training again.
		if rl := os.Getenv("PDM_QUALITY_RELATENT"); rl != "" {
			name, ks, _ := strings.Cut(rl, ":")
			k, _ := strconv.Atoi(ks)
			if err := m.RefitLatent(ctx, real, name, k); err != nil {
				t.Fatal(err)
			}
		}
		m.Options.Decoding = o.Decoding
		if st := os.Getenv("PDM_QUALITY_STRATIFY"); st != "" {
			m.Options.Stratify = st
		}
		width, loss := m.Transformer.Width, m.LossHistory[len(m.LossHistory)-1]
		for ss := range env("PDM_QUALITY_SAMPLE_SEEDS", 1) {
			syn, err := m.Sample(rows, uint64(2+ss), nil)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Evaluate(ctx, real, syn, Options{Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			var cls []string
			for _, c := range rep.TSTR.Classes {
				r := "-"
				if c.Ratio != nil {
					r = fmt.Sprintf("%.2f", *c.Ratio)
				}
				cls = append(cls, fmt.Sprintf("%s:%.2f/%.2f=%s(p%.2f,r%.2f)", c.Class, c.F1Synthetic, c.F1Real, r, c.PrecisionSynthetic, c.RecallSynthetic))
			}
			t.Logf("%-34s cols %2d width %3d fit %5.1fs | overall %.3f shapes %.3f pairs %.3f | TSTR macro %.2f min %.2f [%s] | detection AUC %.3f trees %.3f | loss %.2f",
				p.MachineID, len(real.Columns), width, fit.Seconds(), rep.Overall, rep.ColumnShapes, rep.ColumnPairTrends,
				rep.TSTR.MacroRatio, rep.TSTR.MinRatio, strings.Join(cls, " "), rep.Detection.ROCAUC, rep.Detection.TreesROCAUC,
				loss)

			if ss > 0 {
				continue
			}
			if os.Getenv("PDM_QUALITY_LOO") != "" {
				// Leave one column out: how much does the logistic detector lose without it?
				var all []pairCols
				for _, c := range rep.Columns {
					all = append(all, pairCols{name: c.Column, kind: c.Kind, real: real.Column(c.Column), syn: syn.Column(c.Column)})
				}
				for i := range all {
					rest := append(append([]pairCols(nil), all[:i]...), all[i+1:]...)
					d, err := detect(ctx, real, syn, rest, 10_000, 1)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("    without %-28s detection AUC %.3f", all[i].name, d.ROCAUC)
				}
			}
			if os.Getenv("PDM_QUALITY_DETAIL") != "" {
				for _, c := range rep.Columns {
					// Which columns give the synthetic rows away on their own?
					pc := pairCols{name: c.Column, kind: c.Kind, real: real.Column(c.Column), syn: syn.Column(c.Column)}
					d, err := detect(ctx, real, syn, []pairCols{pc}, 10_000, 1)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("    %-28s %-8s %.3f  detection AUC alone %.3f (trees %.3f)", c.Column, c.Kind, c.Score, d.ROCAUC, d.TreesROCAUC)
				}
				worst := append([]PairRow(nil), rep.Pairs...)
				for i := range worst {
					for j := i + 1; j < len(worst); j++ {
						if worst[j].Score < worst[i].Score {
							worst[i], worst[j] = worst[j], worst[i]
						}
					}
				}
				for _, p := range worst[:min(12, len(worst))] {
					t.Logf("    pair %-26s %-26s %s %.3f", p.ColumnA, p.ColumnB, p.Metric, p.Score)
				}
			}
		}
	}
}
