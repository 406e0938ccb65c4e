package ml

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/onnxrt"
)

// Engines that run a model's head, as reported in Prediction.Engine.
const (
	EngineORT = "onnxruntime" // ONNX Runtime session on model.onnx
	EngineGo  = "go"          // the pure-Go evaluator (fallback without the library)
)

// FormatVersion is written into manifest.json and params.json.
const FormatVersion = "pdmstudio-model/1"

// Candidate is one model family tried by Fit and its validation score.
type Candidate struct {
	Family string `json:"family"`
	// Metric names the selection score (higher is better: macro_f1, -rmse, roc_auc,
	// -relative_mae).
	Metric string  `json:"metric"`
	Score  float64 `json:"score"`
	// Seconds is the training time.
	Seconds float64 `json:"seconds"`
	Chosen  bool    `json:"chosen"`
	// Note says why a family was not trained or failed, or why it was chosen or kept other
	// than by the best score, if so.
	Note string `json:"note,omitempty"`
}

// Importance is the global importance of one input column: how much the validation score
// (the Candidate metric) drops when the column's features are shuffled across rows
// (permutation importance).
type Importance struct {
	Column     string  `json:"column"`
	Importance float64 `json:"importance"`
}

// ColumnSpec is an input column the model reads at prediction time.
type ColumnSpec struct {
	Name string        `json:"name"`
	Type datasets.Type `json:"type"`
	Kind string        `json:"kind"`
	Unit string        `json:"unit,omitempty"`
}

// ONNXInfo describes model.onnx.
type ONNXInfo struct {
	Input    string   `json:"input"`
	Features int      `json:"features"`
	Outputs  []string `json:"outputs"`
	Width    int      `json:"width"`
	Opset    int      `json:"opset"`
	Bytes    int      `json:"bytes"`
}

// Manifest describes a trained model; it is manifest.json in the model directory.
type Manifest struct {
	Format string `json:"format"`
	Task   Task   `json:"task"`
	// Version is the registry's version number for this model (set by the caller with
	// SetVersion before Save; 0 when unset).
	Version int `json:"version"`
	// Family is the chosen model family (FamilyGBT, …).
	Family    string    `json:"family"`
	CreatedAt time.Time `json:"created_at"`
	Target    string    `json:"target,omitempty"`
	Normal    string    `json:"normal,omitempty"`
	Group     string    `json:"group,omitempty"`
	Order     string    `json:"order,omitempty"`
	// Window is the number of rows of history per prediction: give Predict at least this many
	// recent rows of each group.
	Window  int      `json:"window"`
	Horizon int      `json:"horizon,omitempty"`
	Sensors []string `json:"sensors,omitempty"`
	Classes []string `json:"classes,omitempty"`
	// Columns are the inputs the model needs at prediction time.
	Columns  []ColumnSpec       `json:"columns"`
	Features []string           `json:"features"`
	Skipped  []features.Skipped `json:"skipped,omitempty"`
	// TrainRows and ValidRows are the rows used for training and validation.
	TrainRows int     `json:"train_rows"`
	ValidRows int     `json:"valid_rows"`
	Seed      uint64  `json:"seed"`
	Seconds   float64 `json:"train_seconds"`
	// Metrics are measured on the validation data.
	Metrics    Metrics      `json:"metrics"`
	Candidates []Candidate  `json:"candidates"`
	Importance []Importance `json:"importance"`
	ONNX       ONNXInfo     `json:"onnx"`
	// Files maps each file of the model directory (but manifest.json) to its SHA-256 (hex).
	Files map[string]string `json:"files"`
	// Meta is free-form caller data (machine id, data set ids …).
	Meta map[string]string `json:"meta,omitempty"`
}

// Model is a trained model: the feature pipeline, the head exported to ONNX, and the
// task's post-processing. Predict and Evaluate are safe for concurrent use.
type Model struct {
	man  Manifest
	pipe *features.Pipeline
	head *head
	post *post
	onnx []byte

	mu      sync.RWMutex
	sess    *onnxrt.Session
	sessErr string
}

// Manifest returns a copy of the model's manifest.
func (m *Model) Manifest() Manifest {
	c := m.man
	c.Files = mapsClone(m.man.Files)
	c.Meta = mapsClone(m.man.Meta)
	return c
}

func mapsClone(in map[string]string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// Task returns the model's task.
func (m *Model) Task() Task { return m.man.Task }

// Window returns how many recent rows of each group a prediction summarises.
func (m *Model) Window() int { return m.pipe.History() }

// BaseRows returns how many of each group's first rows a prediction reads as the asset's own
// healthy baseline (0: none). Give such a model each group's first BaseRows rows ahead of its
// recent Window rows ([Recent] does).
func (m *Model) BaseRows() int {
	if b := m.pipe.AssetBase; b != nil {
		return b.Rows
	}
	return 0
}

// SetVersion sets the registry version written by Save.
func (m *Model) SetVersion(v int) { m.man.Version = v }

// SetMeta records a free-form key/value pair in the manifest (e.g. "machine_id").
func (m *Model) SetMeta(key, value string) {
	if m.man.Meta == nil {
		m.man.Meta = map[string]string{}
	}
	m.man.Meta[key] = value
}

// ONNX returns the serialized ONNX model (the bytes of model.onnx).
func (m *Model) ONNX() []byte { return m.onnx }

// Engine reports which engine Predict uses by default (EngineORT when an ONNX Runtime session
// is open, else EngineGo) and, for EngineGo, why ONNX Runtime is not used.
func (m *Model) Engine() (engine, note string) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.sess != nil {
		return EngineORT, m.sess.Provider()
	}
	return EngineGo, m.sessErr
}

// Close releases the ONNX Runtime session; later predictions use the Go engine.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sess == nil {
		return nil
	}
	err := m.sess.Close()
	m.sess, m.sessErr = nil, "closed"
	return err
}

// openSession starts an ONNX Runtime session when the library is loaded (onnxrt.Init), on
// the process's execution provider setting; otherwise the model runs on the Go engine.
func (m *Model) openSession() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sess != nil {
		return
	}
	if !onnxrt.Initialized() {
		m.sessErr = "ONNX Runtime is not loaded"
		if info := onnxrt.Current(); info.Error != "" {
			m.sessErr += ": " + info.Error
		}
		return
	}
	s, err := onnxrt.NewSessionFromBytes(m.onnx, &onnxrt.SessionOptions{IntraOpThreads: 1})
	if err != nil {
		m.sessErr = err.Error()
		return
	}
	m.sess, m.sessErr = s, ""
}

// data is one data set prepared for a model: its feature vectors and the rows used.
type data struct {
	t   *datasets.Table
	f   *features.Frame
	idx []int // rows of f
}

func allRows(f *features.Frame) []int {
	idx := make([]int, f.N)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// x returns the feature vectors of the rows used.
func (d *data) x() matrix {
	return matrix{X: d.f.X, N: d.f.N, F: d.f.F}.subset(d.idx)
}

// keep restricts the rows used to those for which ok is true.
func (d *data) keep(ok func(i int) bool) *data {
	out := &data{t: d.t, f: d.f}
	for i, r := range d.idx {
		if ok(i) {
			out.idx = append(out.idx, r)
		}
	}
	return out
}

// tableRow returns the table row of the i-th row used.
func (d *data) tableRow(i int) int { return d.f.Rows[d.idx[i]] }

// fitted is what a task's fit returns.
type fitted struct {
	head       *head
	post       *post
	family     string
	metric     string
	candidates []Candidate
}

// Fit trains a model for spec.Task: it fits the feature pipeline on spec.Train, trains every
// candidate family, keeps the one with the best validation score, calibrates it on the
// validation data, measures it there and exports it to ONNX. progress, if not nil, gets a
// stage name and the overall completed fraction. Bad specs and unusable data are apperr
// bad-input errors naming the field; cancelling ctx stops training and returns ctx.Err().
func Fit(ctx context.Context, spec FitSpec, progress func(stage string, frac float64)) (*Model, error) {
	start := time.Now()
	if progress == nil {
		progress = func(string, float64) {}
	}
	if err := spec.normalize(); err != nil {
		return nil, err
	}
	progress("features", 0)
	var exclude []string
	exclude = append(exclude, spec.Drop...)
	if spec.Progress != "" {
		exclude = append(exclude, spec.Progress)
	}
	if spec.Target != "" {
		exclude = append(exclude, spec.Target)
	}
	fo := features.Options{Group: spec.Group, Order: spec.Order, Window: spec.Window, Exclude: exclude}
	if spec.Task == Classification && len(spec.Signatures) > 0 {
		fo.Signatures, fo.Healthy = spec.Signatures, healthyRows(spec.Train, spec.Target, spec.Progress)
		fo.SignatureWindow = spec.SignatureWindow
		if !spec.NoAssetBase {
			b := features.DefaultAssetBase
			fo.AssetBase = &b
		}
	}
	pipe, err := features.Fit(spec.Train, fo)
	if err != nil {
		return nil, err
	}
	trSeqs, err := features.Sequences(spec.Train, spec.Group, spec.Order)
	if err != nil {
		return nil, err
	}
	trF, err := pipe.Transform(spec.Train, trSeqs, false)
	if err != nil {
		return nil, err
	}
	tr := &data{t: spec.Train, f: trF}
	var va *data
	if spec.Valid != nil {
		vaF, err := pipe.Transform(spec.Valid, nil, false)
		if err != nil {
			return nil, fmt.Errorf("validation data: %w", err)
		}
		tr.idx, va = allRows(trF), &data{t: spec.Valid, f: vaF, idx: allRows(vaF)}
	} else {
		trIdx, vaIdx := holdOut(trF, spec.ValidShare)
		tr.idx, va = trIdx, &data{t: spec.Train, f: trF, idx: vaIdx}
	}
	if len(va.idx) == 0 {
		return nil, field("valid", "no validation rows (the training data is too short to hold out %.0f %%)", spec.ValidShare*100)
	}
	xb := tr.x()
	pipe.FitBaseline(xb.X, xb.N)
	progress("features", 0.05)

	stage := func(name string, from, to float64) func(float64) {
		return func(f float64) { progress(name, from+(to-from)*min(max(f, 0), 1)) }
	}
	var ft *fitted
	switch spec.Task {
	case Classification:
		ft, err = fitClassification(ctx, &spec, pipe, tr, va, stage)
	case RUL:
		ft, err = fitRUL(ctx, &spec, pipe, tr, va, stage)
	case Anomaly:
		ft, err = fitAnomaly(ctx, &spec, pipe, tr, va, stage)
	case Forecast:
		ft, err = fitForecast(ctx, &spec, pipe, tr, va, stage)
	}
	if err != nil {
		return nil, err
	}
	ft.post.Task = spec.Task
	ft.post.Family = ft.family
	m := &Model{pipe: pipe, head: ft.head, post: ft.post}
	m.onnx, err = ft.head.graph(map[string]string{
		"pdmstudio.format": FormatVersion, "pdmstudio.task": string(spec.Task), "pdmstudio.family": ft.family,
		"pdmstudio.features": strings.Join(pipe.Names, ","),
	})
	if err != nil {
		return nil, fmt.Errorf("exporting the %s model to ONNX: %w", ft.family, err)
	}
	progress("evaluating", 0.86)
	met, score, err := m.metrics(va, va.x())
	if err != nil {
		return nil, err
	}
	met.Data = "validation"
	progress("importance", 0.9)
	imp, err := m.importance(ctx, va, score, spec.Seed)
	if err != nil {
		return nil, err
	}
	m.man = Manifest{
		Format: FormatVersion, Task: spec.Task, Family: ft.family, CreatedAt: time.Now().UTC().Truncate(time.Millisecond),
		Target: spec.Target, Normal: ft.post.Normal, Group: spec.Group, Order: spec.Order, Window: pipe.History(),
		Classes: ft.post.Classes, Features: pipe.Names, Skipped: pipe.Skipped,
		TrainRows: len(tr.idx), ValidRows: len(va.idx), Seed: spec.Seed,
		Metrics: met, Candidates: ft.candidates, Importance: imp,
	}
	if spec.Task == Forecast {
		m.man.Horizon, m.man.Sensors = ft.post.Horizon, ft.post.Sensors
	}
	for _, in := range pipe.Inputs {
		m.man.Columns = append(m.man.Columns, ColumnSpec{Name: in.Name, Type: in.Type, Kind: in.Kind, Unit: in.Unit})
	}
	m.man.ONNX = onnxInfo(m)
	m.man.Seconds = time.Since(start).Seconds()
	m.openSession()
	progress("done", 1)
	return m, nil
}

func onnxInfo(m *Model) ONNXInfo {
	info := ONNXInfo{Input: InputName, Features: m.pipe.NumFeatures(), Outputs: []string{OutputName},
		Width: m.head.outputs(), Opset: onnxrt.OpsetVersion, Bytes: len(m.onnx)}
	if m.head.Classifier {
		info.Outputs = append(info.Outputs, LabelName)
	}
	return info
}

// holdOut splits the rows of f: the last share of the groups (or, with fewer than 3 groups,
// the last share of each group's rows) for validation, the rest for training.
func holdOut(f *features.Frame, share float64) (tr, va []int) {
	nseq := 0
	for _, s := range f.Seqs {
		if len(s.Rows) > 0 {
			nseq++
		}
	}
	if nseq >= 3 {
		k := max(1, int(math.Round(share*float64(nseq))))
		cut := len(f.Seqs) - k
		for r := 0; r < f.N; r++ {
			if f.Seq[r] >= cut {
				va = append(va, r)
			} else {
				tr = append(tr, r)
			}
		}
		return tr, va
	}
	for r := 0; r < f.N; r++ {
		n := len(f.Seqs[f.Seq[r]].Rows)
		if float64(f.Pos[r]) >= (1-share)*float64(n) {
			va = append(va, r)
		} else {
			tr = append(tr, r)
		}
	}
	return tr, va
}

// run evaluates the head on n feature vectors with the requested engine ("" = ONNX Runtime
// when a session is open, else Go).
func (m *Model) run(x []float32, n int, engine string) ([]float32, []int64, string, error) {
	if n == 0 {
		return nil, nil, EngineGo, nil
	}
	m.mu.RLock()
	sess, note := m.sess, m.sessErr
	m.mu.RUnlock()
	switch engine {
	case "", EngineORT:
		if sess == nil {
			if engine == EngineORT {
				return nil, nil, "", fmt.Errorf("ONNX Runtime engine requested but not available: %s", note)
			}
			break
		}
		outs, err := sess.Run(onnxrt.Float32Tensor(x, int64(n), int64(m.pipe.NumFeatures())))
		if err != nil {
			return nil, nil, "", err
		}
		var out []float32
		var labels []int64
		for _, o := range outs {
			switch o.Name {
			case OutputName:
				out = o.Float32
			case LabelName:
				labels = o.Int64
			}
		}
		if len(out) != n*m.head.outputs() {
			return nil, nil, "", fmt.Errorf("ONNX model gave %d outputs for %d rows of %d", len(out), n, m.head.outputs())
		}
		return out, labels, EngineORT, nil
	case EngineGo:
	default:
		return nil, nil, "", apperr.BadInput(fmt.Sprintf("unknown engine %q", engine),
			apperr.FieldError{Field: "engine", Message: fmt.Sprintf("want %q, %q or empty", EngineORT, EngineGo)})
	}
	out, labels, err := m.head.eval(x, n)
	return out, labels, EngineGo, err
}

// RawOutputs evaluates the model's ONNX head on the feature vectors of t (all rows) with the
// given engine and returns the n×width output, the class labels of a tree classifier, and the
// feature vectors. It exists for parity checks between the engines.
func (m *Model) RawOutputs(t *datasets.Table, engine string) (out []float32, labels []int64, x []float32, err error) {
	f, err := m.pipe.Transform(t, nil, false)
	if err != nil {
		return nil, nil, nil, err
	}
	out, labels, _, err = m.run(f.X, f.N, engine)
	return out, labels, f.X, err
}

// PredictOptions tune Predict.
type PredictOptions struct {
	// Last predicts only for the latest row of each group (the current state of each asset),
	// the usual case for a buffer of recent rows; otherwise every row gets a prediction.
	Last bool `json:"last"`
	// Engine forces EngineORT or EngineGo; "" uses ONNX Runtime when available.
	Engine string `json:"engine,omitempty"`
	// TopFactors is the number of sensors in TopFactors (default 5; negative: none, which is
	// faster).
	TopFactors int `json:"top_factors,omitempty"`
}

// Factor is one input column's contribution to a prediction.
type Factor struct {
	// Sensor is the input column.
	Sensor string `json:"sensor"`
	// Contribution is signed, in the unit of the explained value: class probability points
	// (classification), target units (rul, forecast) or score units (anomaly).
	Contribution float64 `json:"contribution"`
	// Value is the column's latest value in the window (nil when missing throughout).
	Value any    `json:"value"`
	Unit  string `json:"unit,omitempty"`
}

// Interval is a prediction interval with its nominal coverage.
type Interval struct {
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	Level float64 `json:"level"`
}

// SensorForecast is the forecast of one sensor.
type SensorForecast struct {
	Sensor string `json:"sensor"`
	Unit   string `json:"unit,omitempty"`
	// Last is the latest value the forecast starts from.
	Last float64 `json:"last"`
	// Values, Lower and Upper hold one value per step ahead (Values[0] is the next step).
	Values     []float64 `json:"values"`
	Lower      []float64 `json:"lower"`
	Upper      []float64 `json:"upper"`
	Level      float64   `json:"level"`
	TopFactors []Factor  `json:"top_factors,omitempty"`
}

// Prediction is one prediction, JSON-ready.
type Prediction struct {
	// Group is the group (asset, episode) key; Row the row index in the input table; Time the
	// order column's value at that row.
	Group string `json:"group,omitempty"`
	Row   int    `json:"row"`
	Time  any    `json:"time,omitempty"`
	// Prediction is the class (typed like the target column), the RUL, the anomaly score, or
	// nil for a forecast (see Forecast).
	Prediction any `json:"prediction"`
	// Probabilities maps each class to its calibrated probability (classification).
	Probabilities map[string]float64 `json:"probabilities,omitempty"`
	// Confidence is the top class probability (classification) or the share of healthy
	// validation rows that scored lower (anomaly).
	Confidence *float64 `json:"confidence,omitempty"`
	// Interval is the RUL prediction interval.
	Interval *Interval `json:"interval,omitempty"`
	// Score, Threshold and IsAnomaly describe an anomaly prediction.
	Score     *float64 `json:"score,omitempty"`
	Threshold *float64 `json:"threshold,omitempty"`
	IsAnomaly *bool    `json:"is_anomaly,omitempty"`
	// Forecast holds one forecast per sensor.
	Forecast []SensorForecast `json:"forecast,omitempty"`
	// TopFactors are the input columns that moved this prediction most (see package doc).
	TopFactors []Factor `json:"top_factors"`
	// Engine is EngineORT or EngineGo: which engine computed the prediction.
	Engine string `json:"engine"`
}

// Predict predicts for the rows of t (or the latest row of each group with opts.Last). t needs
// the model's input columns (Manifest.Columns); a target column in t is ignored. A table
// without the group column is one history, one without the order column keeps its row order.
func (m *Model) Predict(t *datasets.Table, opts PredictOptions) ([]Prediction, error) {
	if t == nil || t.NumRows() == 0 {
		return nil, field("data", "no rows to predict for")
	}
	f, err := m.pipe.Transform(t, nil, opts.Last)
	if err != nil {
		return nil, err
	}
	return m.predictFrame(t, f, opts)
}

func (m *Model) predictFrame(t *datasets.Table, f *features.Frame, opts PredictOptions) ([]Prediction, error) {
	topK := opts.TopFactors
	if topK == 0 {
		topK = 5
	}
	n, F, G := f.N, f.F, len(m.pipe.Inputs)
	occlude := topK > 0 && m.post.Task != Anomaly
	x := f.X
	rows := n
	if occlude {
		// Feature vectors, then for each input column the same vectors with that column's
		// features set to the training baseline.
		x = make([]float32, n*(G+1)*F)
		copy(x, f.X)
		for g, in := range m.pipe.Inputs {
			blk := x[(g+1)*n*F : (g+2)*n*F]
			copy(blk, f.X)
			for r := 0; r < n; r++ {
				copy(blk[r*F+in.First:r*F+in.First+in.Count], m.pipe.Baseline[in.First:in.First+in.Count])
			}
		}
		rows = n * (G + 1)
	}
	out, _, engine, err := m.run(x, rows, opts.Engine)
	if err != nil {
		return nil, err
	}
	W := m.head.outputs()
	var order *datasets.Column
	if m.pipe.Order != "" {
		order = t.Column(m.pipe.Order)
	}
	preds := make([]Prediction, n)
	for r := 0; r < n; r++ {
		p := &preds[r]
		p.Group = f.Seqs[f.Seq[r]].Key
		p.Row = f.Rows[r]
		if order != nil {
			p.Time = order.Value(p.Row)
		}
		p.Engine = engine
		p.TopFactors = []Factor{}
		m.post.fill(p, out[r*W:(r+1)*W], f.Row(r), m.pipe)
		if topK <= 0 {
			continue
		}
		if m.post.Task == Anomaly {
			contrib := make([]float64, G)
			o := out[r*W : (r+1)*W]
			var tot float64
			for g := 0; g < G; g++ {
				tot += float64(o[1+g])
			}
			if tot > 0 {
				for g := 0; g < G; g++ {
					contrib[g] = float64(o[0]) * float64(o[1+g]) / tot
				}
			}
			p.TopFactors = m.factors(f, r, contrib, topK, float64(o[0]))
			continue
		}
		ref := m.post.reference(out[r*W : (r+1)*W])
		base := m.post.explained(out[r*W:(r+1)*W], x[r*F:(r+1)*F], ref)
		contrib := make([][]float64, len(base))
		for k := range contrib {
			contrib[k] = make([]float64, G)
		}
		for g := 0; g < G; g++ {
			rr := (g+1)*n + r
			v := m.post.explained(out[rr*W:(rr+1)*W], x[rr*F:(rr+1)*F], ref)
			for k := range base {
				contrib[k][g] = base[k] - v[k]
			}
		}
		p.TopFactors = m.factors(f, r, contrib[0], topK, base[0])
		for k := range p.Forecast {
			p.Forecast[k].TopFactors = m.factors(f, r, contrib[k], topK, base[k])
		}
	}
	return preds, nil
}

// factorNoise is the share of the explained value below which a contribution is float32
// rounding, not a factor: a few units in the last place of a float32 (2⁻²³ ≈ 1.2e-7).
const factorNoise = 1.0 / (1 << 21)

// factors returns the topK inputs by |contribution|, leaving out contributions that are zero
// up to the float32 rounding of the explained value (whose size is value): otherwise ONNX
// Runtime and the Go engine, which round differently, would list different noise factors.
func (m *Model) factors(f *features.Frame, r int, contrib []float64, topK int, value float64) []Factor {
	tol := factorNoise * max(1, math.Abs(value))
	idx := make([]int, 0, len(contrib))
	for g, c := range contrib {
		if math.Abs(c) > tol {
			idx = append(idx, g)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(contrib[idx[a]]) > math.Abs(contrib[idx[b]]) })
	if len(idx) > topK {
		idx = idx[:topK]
	}
	out := make([]Factor, 0, len(idx))
	for _, g := range idx {
		in := m.pipe.Inputs[g]
		out = append(out, Factor{Sensor: in.Name, Contribution: contrib[g], Value: f.Current(r, g), Unit: in.Unit})
	}
	return out
}

// healthyRows flags the rows of t that show no fault: those whose target is the first class
// (health state 0) and, with a progress column, whose progress is in the lowest fifth of the
// way to the second class (the first class of health states also holds early wear).
func healthyRows(t *datasets.Table, target, progress string) []bool {
	c := t.Column(target)
	out := make([]bool, t.NumRows())
	if c == nil {
		return out
	}
	classes := classList(c)
	if len(classes) == 0 {
		return out
	}
	for i := range out {
		out[i] = !c.IsNull(i) && c.Text(i) == classes[0]
	}
	pc := t.Column(progress)
	if pc == nil || len(classes) < 2 {
		return out
	}
	lo0, lo1 := math.Inf(1), math.Inf(1)
	for i := range out {
		v, ok := pc.Number(i)
		if !ok || math.IsNaN(v) {
			continue
		}
		switch {
		case out[i]:
			lo0 = min(lo0, v)
		case !c.IsNull(i) && c.Text(i) == classes[1]:
			lo1 = min(lo1, v)
		}
	}
	if math.IsInf(lo0, 0) || math.IsInf(lo1, 0) || lo1 <= lo0 {
		return out
	}
	limit := lo0 + 0.2*(lo1-lo0)
	n := 0
	for i := range out {
		if out[i] {
			if v, ok := pc.Number(i); !ok || math.IsNaN(v) || v > limit {
				out[i] = false
			} else {
				n++
			}
		}
	}
	if n < 50 { // too few rows at the start of wear: the first class as a whole
		for i := range out {
			out[i] = !c.IsNull(i) && c.Text(i) == classes[0]
		}
	}
	return out
}

// Evaluate measures the model on t, which must hold the target column (for Forecast: the
// forecast sensors, whose later rows are the truth). Use it to test a model trained on
// synthetic data on real data.
func (m *Model) Evaluate(t *datasets.Table) (Metrics, error) {
	if t == nil || t.NumRows() == 0 {
		return Metrics{}, field("data", "no rows to evaluate on")
	}
	if m.man.Target != "" && t.Column(m.man.Target) == nil {
		return Metrics{}, field("target", "the evaluation data has no target column %q", m.man.Target)
	}
	f, err := m.pipe.Transform(t, nil, false)
	if err != nil {
		return Metrics{}, err
	}
	d := &data{t: t, f: f, idx: allRows(f)}
	met, _, err := m.metrics(d, d.x())
	return met, err
}

// metrics evaluates the model on the rows of d with feature vectors x (d.x(), or a permuted
// copy) and returns the metrics and the selection score (higher is better).
func (m *Model) metrics(d *data, x matrix) (Metrics, float64, error) {
	out, _, err := m.head.eval(x.X, x.N)
	if err != nil {
		return Metrics{}, 0, err
	}
	switch m.post.Task {
	case Classification:
		return m.post.evalClassification(d, out, m.head.outputs())
	case RUL:
		return m.post.evalRUL(d, x, out)
	case Anomaly:
		return m.post.evalAnomaly(d, x, out, m.head.outputs())
	case Forecast:
		return m.post.evalForecast(d, x, out, m.pipe)
	}
	return Metrics{}, 0, fmt.Errorf("unknown task %q", m.post.Task)
}

// importance computes permutation importance per input column on d: the drop of the
// selection score when the column's features are shuffled across rows (one fixed shuffle).
func (m *Model) importance(ctx context.Context, d *data, base float64, seed uint64) ([]Importance, error) {
	x := d.x()
	if x.N < 2 {
		return nil, nil
	}
	rng := rand.New(rand.NewPCG(seed, 0x1b9))
	perm := rng.Perm(x.N)
	out := make([]Importance, 0, len(m.pipe.Inputs))
	px := matrix{X: slices.Clone(x.X), N: x.N, F: x.F}
	for _, in := range m.pipe.Inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for r := 0; r < x.N; r++ {
			src := perm[r]
			copy(px.X[r*x.F+in.First:r*x.F+in.First+in.Count], x.X[src*x.F+in.First:src*x.F+in.First+in.Count])
		}
		_, s, err := m.metrics(d, px)
		if err != nil {
			return nil, err
		}
		out = append(out, Importance{Column: in.Name, Importance: nanToZero(base - s)})
		// Restore the column.
		for r := 0; r < x.N; r++ {
			copy(px.X[r*x.F+in.First:r*x.F+in.First+in.Count], x.X[r*x.F+in.First:r*x.F+in.First+in.Count])
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Importance > out[b].Importance })
	return out, nil
}

// typedClass converts a class label back to the target column's type.
func typedClass(label string, t datasets.Type) any {
	switch t {
	case datasets.Int:
		if v, err := strconv.ParseInt(label, 10, 64); err == nil {
			return v
		}
	case datasets.Float:
		if v, err := strconv.ParseFloat(label, 64); err == nil {
			return v
		}
	case datasets.Bool:
		if v, err := strconv.ParseBool(label); err == nil {
			return v
		}
	}
	return label
}
