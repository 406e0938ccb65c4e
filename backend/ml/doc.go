// Package ml trains, exports, stores and runs the four predictive models of PdM Studio on
// tabular time-series data (a datasets.Table per machine): health-state classification,
// remaining useful life (RUL), anomaly detection and multi-step sensor forecasts.
//
// # Flow
//
//	m, err := ml.Fit(ctx, ml.SeedSpec(ml.RUL, train, valid, keySensors), progress)
//	err = m.Save(dir)                      // manifest.json, model.onnx, params.json
//	m, err = ml.Load(dir)                  // verifies checksums, opens an ONNX Runtime session
//	preds, err := m.Predict(recent, ml.PredictOptions{Last: true})
//	metrics, err := m.Evaluate(realData)   // e.g. trained on synthetic, tested on real data
//
// # Features
//
// A model never sees a single row: backend/ml/features summarises, for every row, the last
// Window rows (default 20) of its group (asset or episode, FitSpec.Group), ordered by
// FitSpec.Order: per numeric column the latest value, mean, standard deviation, minimum,
// maximum, trend and an EWMA; per categorical column a one-hot of the latest value and the
// level shares of the window; and, when the data has a categorical context such as the
// operating regime, each sensor's latest value and mean minus a linear prediction from that
// context (so a model sees "hotter than usual for this load", not just "hot"). Missing values
// are skipped within the window (the latest value is forward-filled from within the window),
// a window without any value takes the training median, and columns missing in at least 5 %
// of the training rows get a col.missing share. Constant, identifier-like, timestamp and
// label/flag/id-role columns are left out and listed in Manifest.Skipped. With
// FitSpec.Signatures (the registry gives every machine's failure-mode effects from its profile,
// profiles.Profile.FaultShifts) a health-state model also gets, per sensor a signature names,
// col.dev: its median deviation from the healthy level (the median) of the current operating
// context over the last 10 readings present (looking up to 50 rows back across dropouts), in
// healthy standard deviations, fitted on the training rows of the first class, and for faults
// whose wear grows fast (profiles.Profile.FaultProgressions: steps, exponential wear) the same
// over 3 or 7 readings, col.dev3 and col.dev7 (features package, "Fault signatures";
// GrowthWindows). Each group's sensors also carry an offset of their own (a recalibrated or
// replaced sensor after every repair), so unless FitSpec.NoAssetBase is set these deviations
// are read, from a group's 60th reading on, against half the median deviation of its first 20
// readings as well (features.DefaultAssetBase): a group is an asset from new or repaired, and
// its first readings are its own healthy baseline. The fitted pipeline is saved with the
// model, and the same code computes the features at prediction time from a buffer of the last
// Model.Window() rows of each group, led by the group's first Model.BaseRows() rows
// (Recent cuts such a buffer from a longer history).
//
// # Tasks and model families
//
// Fit trains every family of FitSpec.Families (DefaultFamilies), scores each on the validation
// data and keeps the best; Manifest.Candidates lists them all with their scores and times.
//
//   - Classification: gradient-boosted trees (softmax, vector leaves), an MLP (64-32 ReLU),
//     multinomial logistic regression and, for ordered numeric classes such as the health
//     state 0–3, an ordinal model, ranked by validation macro-F1. The ordinal model is
//     regression trees on a severity value — FitSpec.Progress when given (SeedSpec: the
//     simulated wear level "degradation", of which the health states are thresholds), else
//     the class index — followed by a cumulative-logistic link, P(class ≥ k) = σ((v − t_k)/s),
//     with cut points t_k from the training data and the scale s fitted on the validation
//     data; the link is two dense layers after the trees, so it is one ONNX graph. The other
//     families' logits are temperature-scaled on the validation data (the temperature is
//     folded into the ONNX model), so Prediction.Confidence is a calibrated top-class
//     probability either way. With fault signatures and a Progress column there is a fifth
//     candidate, the signature model: each fault's severity is the weighted least-squares fit
//     of the col.dev deviations to its signature (0 healthy, 1 = the whole shift of failure),
//     the fault that explains the deviations best (largest severity × ‖signature‖) gives the
//     severity (read over the fault's own window when it has one), and the same
//     cumulative-logistic link maps it to the classes, with cut points where the classes
//     change in the training Progress and its scale and a rescaling of the severity (kept
//     near the identity by a penalty) fitted on the validation classes by maximum likelihood.
//     It learns almost nothing from the training rows (healthy levels and spreads, cut
//     points), which is why it transfers from synthetic to real data where the learning
//     families lose the wear signal the TVAE weakens (docs/benchmarks.md); with
//     FitSpec.Synthetic (synthetic rows from a generator that saw the validation episodes) no
//     learning family replaces it on its validation score. One ONNX graph: Gemm, Mul, ArgMax,
//     a second Gemm for the own-window severities, GatherElements, then the link.
//   - RUL: trees, MLP and ridge regression on the standardized target, ranked by RMSE. The
//     interval is split conformal: quantiles of the validation residuals per quartile of the
//     predicted value (Mondrian bins), at levels widened by the finite-sample factor
//     (n+1)/n, for FitSpec.IntervalLevel (default 80 %). Only when the validation data has
//     fewer than 400 rows are residuals of a grouped cross-validation over the training
//     episodes added. Predictions of a non-negative target are clipped at 0. Metrics put a
//     training-mean and a ridge baseline side by side.
//   - Anomaly: trained on healthy rows only (Target == Normal; all rows without a Target).
//     Candidates: RMS of per-feature healthy z-scores, the residual off the healthy principal
//     subspace (PCA keeping 90/95/99 % of the variance), and an MLP autoencoder; all on
//     z-scores clipped at ±10. The score is the RMS residual in healthy standard deviations;
//     the family with the best validation ROC-AUC wins and the threshold is the
//     (1 − FalseAlarmRate) quantile of the healthy validation scores. The score is a sum of
//     per-column parts, which are the anomaly's top factors.
//   - Forecast: the change of each FitSpec.Sensors column over the next Horizon rows
//     (default 10), one multi-output model for all sensors and steps: trees (L1 loss, i.e.
//     the median; splits on a random sketch of the gradients), an MLP (L1) and ridge
//     regression, ranked by MAE relative to the naive last-value forecast. Intervals are
//     validation residual quantiles per sensor and step.
//
// # ONNX and engines
//
// Feature engineering stays in Go; everything after it — the trees (ONNX-ML
// TreeEnsembleClassifier/Regressor), the MLP or linear layers (Gemm, standardization baked
// in), the signature model or the anomaly score (Sub, Mul, Clip, Gemm, ReduceSum, Sqrt, Concat) — is one ONNX
// graph with input "features" [batch, F] and output "output" [batch, width] (plus "label" for
// tree classifiers). When onnxrt.Init has loaded ONNX Runtime, models run in a session on the
// process's execution provider (one intra-op thread: models are small and many run side by
// side); otherwise, or with PredictOptions.Engine = EngineGo, the same function runs in pure
// Go. Prediction.Engine says which ran; the tests hold the two to 1e-5.
//
// # Attributions
//
// Global: Manifest.Importance is permutation importance per input column on the validation
// data (the drop of the selection score when the column's features are shuffled together).
// Per prediction: TopFactors are the (up to) five input columns that moved the prediction
// most, by occlusion against the training baseline — the prediction minus the prediction with
// that column's features set to their training medians — for the top-class probability, the
// RUL or each sensor's mean forecast; for anomalies, each column's exact share of the score.
// Each factor carries the column's latest value.
//
// # Model directory
//
// Save writes params.json (feature pipeline, head parameters for the Go engine,
// post-processing), model.onnx and, last, manifest.json (Manifest: task, version, family,
// columns, features, metrics, candidates, importance, SHA-256 of each file). Load checks
// every checksum: a missing file is an apperr not-found error naming it, a damaged one wraps
// ErrCorrupt and names it.
package ml
