package ml

import (
	"context"
	"runtime"
	"sync"

	"pdmstudio/backend/datasets"
)

// BatchItem is one model and the recent rows to predict from, for PredictBatch.
type BatchItem struct {
	Model   *Model
	Data    *datasets.Table
	Options PredictOptions
}

// BatchResult is the outcome of one BatchItem.
type BatchResult struct {
	Predictions []Prediction
	Err         error
}

// PredictBatch runs many predictions (e.g. the four models of every machine of the fleet on
// each machine's latest buffer) on up to workers goroutines (0: GOMAXPROCS) and returns the
// results in item order. Cancelling ctx skips the items not yet started (their Err is
// ctx.Err()).
func PredictBatch(ctx context.Context, items []BatchItem, workers int) []BatchResult {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(items))
	out := make([]BatchResult, len(items))
	next := make(chan int, len(items))
	for i := range items {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					out[i].Err = err
					continue
				}
				it := items[i]
				out[i].Predictions, out[i].Err = it.Model.Predict(it.Data, it.Options)
			}
		}()
	}
	wg.Wait()
	return out
}
