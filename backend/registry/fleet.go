package registry

import (
	"pdmstudio/backend/ml"
	"pdmstudio/backend/store"
)

// Model returns the model of a version, loading it on first use; the registry keeps it loaded
// until Close. The fleet refresh uses it to batch every machine's predictions (ml.PredictBatch).
func (r *Registry) Model(v store.ModelVersion) (*ml.Model, error) { return r.model(v) }
