package app

import (
	"context"

	"pdmstudio/backend/jobs"
	"pdmstudio/backend/registry"
	"pdmstudio/backend/store"
)

// Models is the service for a machine's predictive models: training, versions, predictions.
type Models struct{ c *Core }

// TrainRequest chooses the tasks to train ("classification", "rul", "anomaly", "forecast"; empty:
// all four).
type TrainRequest struct {
	Tasks string `json:"tasks"`
	Seed  uint64 `json:"seed"`
}

// Train starts training a machine's models (a job).
func (m *Models) Train(ctx context.Context, machineID string, req TrainRequest) (jobs.Job, error) {
	tasks, err := registry.ParseTasks(req.Tasks)
	if err != nil {
		return jobs.Job{}, err
	}
	return m.c.Registry.SubmitTrain(ctx, machineID, registry.TrainOptions{Tasks: tasks, Seed: req.Seed})
}

// Versions lists a machine's model versions with their metrics.
func (m *Models) Versions(ctx context.Context, machineID string) ([]store.ModelVersion, error) {
	return m.c.Registry.Versions(ctx, machineID)
}

// Activate makes a model version active (a rollback activates an earlier version).
func (m *Models) Activate(ctx context.Context, versionID string) (store.ModelVersion, error) {
	return m.c.Registry.Activate(ctx, versionID)
}

// Predict runs a machine's active models on its latest readings and logs the predictions.
func (m *Models) Predict(ctx context.Context, machineID string) (*registry.MachinePrediction, error) {
	return m.c.Registry.Predict(ctx, machineID)
}

// Predictions returns a machine's logged predictions, newest first (task "" for all).
func (m *Models) Predictions(ctx context.Context, machineID, task string, limit int) ([]store.PredictionRow, error) {
	return m.c.Store.Predictions(ctx, machineID, task, limit)
}

// Timeline runs a machine's active models over every row of its latest readings (nothing is
// logged): the sensor values beside the predicted health state, RUL with interval and anomaly
// score at each row, and the forecast from the last row — the charts of the machine page.
func (m *Models) Timeline(ctx context.Context, machineID string) (*registry.Timeline, error) {
	return m.c.Registry.Timeline(ctx, machineID)
}
