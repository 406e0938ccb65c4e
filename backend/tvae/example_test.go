package tvae_test

import (
	"context"
	"fmt"
	"log"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/quality"
	"pdmstudio/backend/tvae"
)

// Example shows the calls behind `pdmstudio synth fit/sample/report`: fit on the seed table
// with progress, save, load, sample (also only critical rows), and score the samples.
func Example() {
	ctx := context.Background()
	seed, err := datasets.ReadParquet("machines/motor_siemens_1la7_001/seed.parquet")
	if err != nil {
		log.Fatal(err)
	}
	opts := tvae.DefaultOptions() // SDV's defaults: 300 epochs, batch 500, 128-128, …
	opts.Seed = 42
	m, err := tvae.Fit(ctx, seed, opts, func(e tvae.EpochInfo) {
		fmt.Printf("epoch %d/%d loss %.3f\n", e.Epoch, e.Epochs, e.Loss) // → job progress
	})
	if err != nil {
		log.Fatal(err) // apperr bad input for bad options/tables, ctx.Err() when cancelled
	}
	if err := m.Save("machines/motor_siemens_1la7_001/tvae.model"); err != nil {
		log.Fatal(err)
	}

	m, err = tvae.Load("machines/motor_siemens_1la7_001/tvae.model")
	if err != nil {
		log.Fatal(err) // names the file and says what is wrong with it
	}
	syn, err := m.SampleContext(ctx, 10_000, 7, nil)
	if err != nil {
		log.Fatal(err)
	}
	critical, err := m.SampleContext(ctx, 2_000, 8, map[string]string{"health_state": "3"})
	if err != nil {
		log.Fatal(err) // bad input: unknown column, continuous column, unseen value, budget
	}
	if err := datasets.WriteParquet("machines/motor_siemens_1la7_001/synthetic.parquet", syn); err != nil {
		log.Fatal(err)
	}
	rep, err := quality.Evaluate(ctx, seed, syn, quality.Options{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("overall %.3f, TSTR min ratio %.2f, detection AUC %.3f, %d critical rows\n",
		rep.Overall, rep.TSTR.MinRatio, rep.Detection.ROCAUC, critical.NumRows())
}
