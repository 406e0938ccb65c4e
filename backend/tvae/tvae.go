// Package tvae fits a tabular variational autoencoder (TVAE, Xu et al. 2019, as in SDV's
// ctgan/synthesizers/tvae.py) to a table and samples synthetic rows from it, with SDV's
// defaults: embedding 128, encoder and decoder 128-128, learned per-column σ clamped to
// [0.01, 1], loss = 2 × reconstruction + KL, Adam (lr 1e-3, L2 1e-5), batch 500, 300 epochs.
//
// The data transformer (transformer.go: mode-specific normalisation with a variational
// Gaussian mixture per continuous column, one-hot for discrete columns) lives apart from the
// model (this file), as in SDV. file.go saves and loads models; sample.go samples, also under
// conditions on discrete columns.
//
// # Columns
//
// Every column of the training table is modelled and comes back in samples with the same
// name, type and metadata. Strings and bools are discrete; ints are discrete when they have
// at most 10 distinct values (100 for columns whose role is "id", such as the seed data's
// episode number); floats, wider ints and timestamps (as Unix milliseconds) are continuous,
// clipped to the training range on output and rounded to whole numbers (ints, timestamps) or
// to the decimals the training values have (floats). Options.Transform can force either kind.
// A continuous value that holds at least 5 % of the rows (a wear level of exactly 0 while a
// machine is healthy) is an exact "atom" next to the mixture's modes.
//
// Rules between columns: a discrete column that the training data show to be a step function
// of the time axis, or a function of another discrete column, is computed from it after
// sampling instead of being modelled; a step function of any other continuous column stays
// modelled and samples that break it are rejected (see Derivation). On the seed data the
// episode number (unit) and episode_end are computed from the timestamp, and health_state
// must agree with degradation (bounds 0.25/0.5/0.8, recovered from the data); timestamp,
// rul, degradation, failure_mode, regime, outlier and the sensors are modelled.
// TransformOptions.NoDerive turns the rules off.
//
// Nulls: a continuous column with nulls gets a two-way null flag that the decoder learns and
// that samples draw from, so null shares are reproduced; in a discrete column null is one
// more category.
//
// # Differences from SDV
//
// Rules between columns as above; latent vectors come from a Gaussian mixture fitted to the
// training rows' encodings after training, per health state, instead of the prior N(0, I)
// (see LatentMixture);
// samples draw categories and modes from the decoder's softmax
// (SDV takes the arg-max; see Options.Decoding); unconditional samples are stratified by health_state when the table has
// it, so that every state keeps its training share (a VAE under-produces rare, extreme states;
// see Options.Stratify); atoms as above; the mixture is fitted on at most 5,000 rows per
// column. Training runs in float32 on backend/nn (a float64 path is kept for comparison).
// The same table, options and seed give a byte-identical model file and identical samples on
// the same CPU kind (see backend/nn on determinism).
package tvae

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
)

// Options are the TVAE's hyper-parameters. Zero fields take SDV's defaults (see
// DefaultOptions).
type Options struct {
	Epochs         int     `json:"epochs"`          // passes over the data (300)
	BatchSize      int     `json:"batch_size"`      // rows per Adam step (500)
	EmbeddingDim   int     `json:"embedding_dim"`   // latent dimensions (128)
	CompressDims   []int   `json:"compress_dims"`   // encoder hidden widths (128, 128)
	DecompressDims []int   `json:"decompress_dims"` // decoder hidden widths (128, 128)
	LearningRate   float64 `json:"learning_rate"`   // Adam step size (1e-3)
	L2Scale        float64 `json:"l2scale"`         // Adam weight decay (1e-5)
	LossFactor     float64 `json:"loss_factor"`     // weight of the reconstruction term (2)
	// Seed makes training reproducible: the same table, options and seed give a
	// byte-identical model file.
	Seed uint64 `json:"seed"`
	// Precision is "float32" (default, fastest) or "float64" (kept for comparison).
	Precision string `json:"precision"`
	// Latent says where sampling draws latent vectors from: "mixture" (default: a Gaussian
	// mixture fitted to the training rows' encodings after training, see LatentMixture),
	// "prior" (SDV: N(0, I)) or "fitted" (one Gaussian with the mean and covariance of the
	// encodings). On the seed data the prior's samples blur the sensor signatures of rare
	// states (the worst train-on-synthetic F1 ratio of a health state was 0.66–0.79 on 7 of
	// 26 machines); with the mixture (per health state, full covariances), from the same
	// weights, it is 0.83 and more over three sample seeds, and real and synthetic rows are
	// harder to tell apart (docs/benchmarks.md, TVAE).
	Latent string `json:"latent"`
	// LatentComponents is the number of components of the "mixture" latent (0: up to
	// DefaultLatentComponents, at most one per 50 training rows, shared among the categories
	// of the Stratify column by their shares of rows, at least one each). Fit stores the
	// number used.
	LatentComponents int `json:"latent_components,omitempty"`
	// LatentDims is the number of latent dimensions on which the mixture's components have
	// full covariances (the dimensions the encoder uses); Fit stores it. Models written before
	// full covariances have 0: diagonal components.
	LatentDims int `json:"latent_dims,omitempty"`
	// Stratify names a discrete column whose category shares unconditional samples match
	// exactly (candidates of a category are kept while its quota, n × its training share, is
	// open). "" means "health_state" when the table has it as a discrete column (the seed
	// data's label: a VAE under-produces rare, extreme states such as critical), StratifyNone
	// turns it off (SDV's plain sampling). Fit stores the resolved choice.
	Stratify string `json:"stratify"`
	// Decoding says how samples read one-hot spans (categories and modes): "sample" (default)
	// draws from the decoder's softmax, so category and mode shares follow the model's
	// probabilities; "argmax" takes the most likely one as SDV does, which over-represents
	// the likelier category wherever the decoder is unsure (on the seed data it made
	// synthetic rows easier to detect). The null flag is always drawn.
	Decoding string `json:"decoding"`
	// Transform tunes the data transformer (forced column kinds, mixture subsample). Its
	// Seed is ignored: the transformer is seeded from Seed.
	Transform TransformOptions `json:"transform"`
}

// DefaultStratify is the column unconditional samples are stratified by when the options do
// not say (see Options.Stratify): the seed data's health state.
const DefaultStratify = "health_state"

// Values of Options.Stratify, Options.Latent and Options.Decoding.
const (
	StratifyNone = "-"
	LatentPrior  = "prior"
	LatentFitted = "fitted"

	DecodeSample = "sample"
	DecodeMixed  = "mixed"
	DecodeArgmax = "argmax"
)

// DefaultOptions returns SDV's TVAE hyper-parameters (300 epochs, batch 500, embedding 128,
// 128-128 encoder and decoder, Adam lr 1e-3 with L2 1e-5, loss factor 2), float32, latent
// from a mixture fitted to the encodings (see Options.Latent: SDV uses the prior), and
// sampled decoding (see Options.Decoding: SDV takes the arg-max).
func DefaultOptions() Options {
	return Options{Epochs: 300, BatchSize: 500, EmbeddingDim: 128, CompressDims: []int{128, 128},
		DecompressDims: []int{128, 128}, LearningRate: 1e-3, L2Scale: 1e-5, LossFactor: 2, Precision: "float32",
		Latent: LatentMixture, Decoding: DecodeSample}
}

// withDefaults fills zero fields from DefaultOptions and checks ranges.
func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions()
	if o.Epochs == 0 {
		o.Epochs = d.Epochs
	}
	if o.BatchSize == 0 {
		o.BatchSize = d.BatchSize
	}
	if o.EmbeddingDim == 0 {
		o.EmbeddingDim = d.EmbeddingDim
	}
	if o.CompressDims == nil {
		o.CompressDims = d.CompressDims
	}
	if o.DecompressDims == nil {
		o.DecompressDims = d.DecompressDims
	}
	if o.LearningRate == 0 {
		o.LearningRate = d.LearningRate
	}
	if o.LossFactor == 0 {
		o.LossFactor = d.LossFactor
	}
	if o.Precision == "" {
		o.Precision = d.Precision
	}
	if o.Decoding == "" {
		o.Decoding = d.Decoding
	}
	if o.Latent == "" {
		o.Latent = d.Latent
	}
	bad := func(field, msg string) error {
		return apperr.BadInput("invalid TVAE option", apperr.FieldError{Field: field, Message: msg})
	}
	switch {
	case o.Epochs < 1 || o.Epochs > 100_000:
		return o, bad("epochs", fmt.Sprintf("must be between 1 and 100000, got %d", o.Epochs))
	case o.BatchSize < 1 || o.BatchSize > 100_000:
		return o, bad("batch_size", fmt.Sprintf("must be between 1 and 100000, got %d", o.BatchSize))
	case o.EmbeddingDim < 1 || o.EmbeddingDim > 4096:
		return o, bad("embedding_dim", fmt.Sprintf("must be between 1 and 4096, got %d", o.EmbeddingDim))
	case o.LearningRate < 0 || o.LearningRate > 1 || math.IsNaN(o.LearningRate):
		return o, bad("learning_rate", "must be between 0 and 1")
	case o.L2Scale < 0 || o.L2Scale > 1 || math.IsNaN(o.L2Scale):
		return o, bad("l2scale", "must be between 0 and 1")
	case o.LossFactor <= 0 || math.IsNaN(o.LossFactor) || math.IsInf(o.LossFactor, 0):
		return o, bad("loss_factor", "must be positive")
	case o.Precision != "float32" && o.Precision != "float64":
		return o, bad("precision", fmt.Sprintf("must be float32 or float64, got %q", o.Precision))
	case o.Latent != LatentPrior && o.Latent != LatentFitted && o.Latent != LatentMixture:
		return o, bad("latent", fmt.Sprintf("must be %s, %s or %s, got %q", LatentPrior, LatentFitted, LatentMixture, o.Latent))
	case o.LatentComponents < 0 || o.LatentComponents > 4096:
		return o, bad("latent_components", fmt.Sprintf("must be between 0 and 4096, got %d", o.LatentComponents))
	case o.LatentDims < 0 || o.LatentDims > o.EmbeddingDim:
		return o, bad("latent_dims", fmt.Sprintf("must be between 0 and the embedding dimension %d, got %d", o.EmbeddingDim, o.LatentDims))
	case o.Decoding != DecodeSample && o.Decoding != DecodeArgmax && o.Decoding != DecodeMixed:
		return o, bad("decoding", fmt.Sprintf("must be %s, %s or %s, got %q", DecodeSample, DecodeMixed, DecodeArgmax, o.Decoding))
	}
	for _, dims := range [][]int{o.CompressDims, o.DecompressDims} {
		for _, d := range dims {
			if d < 1 || d > 4096 {
				return o, bad("compress_dims", fmt.Sprintf("layer widths must be between 1 and 4096, got %d", d))
			}
		}
	}
	return o, nil
}

// EpochInfo reports training progress to Fit's callback.
type EpochInfo struct {
	Epoch   int           `json:"epoch"`      // epochs done (0: data encoded, training starts)
	Epochs  int           `json:"epochs"`     // epochs in all
	Loss    float64       `json:"loss"`       // mean batch loss of this epoch (0 at epoch 0)
	Elapsed time.Duration `json:"elapsed_ns"` // since Fit started
}

// Model is a fitted TVAE: the transformer, the decoder's weights (the encoder is kept too, so
// that a saved model is the whole network) and what training saw.
type Model struct {
	Options     Options
	Transformer *Transformer
	// LossHistory is the mean batch loss of every epoch, in order.
	LossHistory []float64
	// TrainRows is the number of training rows; TableMeta the training table's metadata.
	TrainRows int
	TableMeta map[string]string

	net32 *network[float32]
	net64 *network[float64]
}

// Summary describes a fitted model for people (the UI's model card, `--json` output).
type Summary struct {
	Options   Options           `json:"options"`
	TrainRows int               `json:"train_rows"`
	Width     int               `json:"width"` // encoded columns
	Epochs    int               `json:"epochs"`
	FinalLoss float64           `json:"final_loss"`
	Columns   []ColumnSummary   `json:"columns"`
	TableMeta map[string]string `json:"table_meta,omitempty"`
}

// ColumnSummary is one modelled column: its kind and, for continuous columns, the number of
// mixture modes and atoms; for discrete ones, the number of categories.
type ColumnSummary struct {
	Name       string        `json:"name"`
	Type       datasets.Type `json:"type"`
	Kind       string        `json:"kind"`
	Modes      int           `json:"modes,omitempty"`
	Atoms      int           `json:"atoms,omitempty"`
	Categories int           `json:"categories,omitempty"`
	Nullable   bool          `json:"nullable,omitempty"`
	// DerivedFrom names the column a derived column is computed from (see Derivation).
	DerivedFrom string `json:"derived_from,omitempty"`
}

// Summary returns what the model is made of and how training ended.
func (m *Model) Summary() Summary {
	s := Summary{Options: m.Options, TrainRows: m.TrainRows, Width: m.Transformer.Width,
		Epochs: len(m.LossHistory), TableMeta: m.TableMeta}
	if len(m.LossHistory) > 0 {
		s.FinalLoss = m.LossHistory[len(m.LossHistory)-1]
	}
	for _, c := range m.Transformer.Columns {
		cs := ColumnSummary{Name: c.Name, Type: c.Type, Kind: c.Kind, Nullable: c.Nullable || c.HasNull}
		if c.Derived != nil {
			cs.DerivedFrom = c.Derived.Source
		}
		if c.Kind == KindDiscrete {
			cs.Categories = len(c.Categories)
		} else {
			cs.Modes, cs.Atoms = len(c.Means), len(c.Atoms)
		}
		s.Columns = append(s.Columns, cs)
	}
	return s
}

// network is the encoder and decoder of tvae.py: Linear-ReLU layers to [μ | log σ²] and
// Linear-ReLU layers to the output, plus the learned σ of every output position.
type network[T nn.Float] struct {
	enc    []*nn.Dense[T]
	encOut *nn.Dense[T] // → [μ | logvar], 2×EmbeddingDim (fc1 and fc2 of tvae.py side by side)
	dec    []*nn.Dense[T]
	decOut *nn.Dense[T] // → Width raw outputs
	sigma  []T          // Width; used at scalar positions, initialised to 0.1
	gsigma []T
	// Sampling draws z = zMean + zChol·ε (zChol lower-triangular, emb×emb row-major); the
	// prior N(0, I) unless fitLatent matched them to the training encodings.
	zMean, zChol []T
	// With the "mixture" latent, sampling draws z from a Gaussian mixture instead:
	// weights mixW (k), means mixM and standard deviations mixS (k×emb, row-major).
	mixW, mixM, mixS []T
	// mixDims lists the latent dimensions (increasing) on which components have full
	// covariances; mixL holds, per component, the Cholesky factor of its covariance there
	// (lower triangle packed by rows: k × d(d+1)/2).
	mixDims, mixL []T
	emb           int
	sse           []float64 // per-chunk sums of squared scalar errors (scratch)
}

func newNetwork[T nn.Float](width int, o Options, rng *nn.RNG) *network[T] {
	n := &network[T]{emb: o.EmbeddingDim}
	in := width
	for _, d := range o.CompressDims {
		n.enc = append(n.enc, nn.NewDense[T](in, d, rng))
		in = d
	}
	n.encOut = nn.NewDense[T](in, 2*o.EmbeddingDim, rng)
	in = o.EmbeddingDim
	for _, d := range o.DecompressDims {
		n.dec = append(n.dec, nn.NewDense[T](in, d, rng))
		in = d
	}
	n.decOut = nn.NewDense[T](in, width, rng)
	n.sigma, n.gsigma = make([]T, width), make([]T, width)
	for i := range n.sigma {
		n.sigma[i] = 0.1
	}
	n.zMean, n.zChol = make([]T, n.emb), make([]T, n.emb*n.emb)
	for i := range n.emb {
		n.zChol[i*n.emb+i] = 1
	}
	if k := o.LatentComponents; o.Latent == LatentMixture && k > 0 {
		n.mixW, n.mixM, n.mixS = make([]T, k), make([]T, k*n.emb), make([]T, k*n.emb)
		if d := o.LatentDims; d > 0 {
			n.mixDims, n.mixL = make([]T, d), make([]T, k*d*(d+1)/2)
		}
	}
	return n
}

// tensors lists params and the latent sampling tensors: everything a model file holds.
func (n *network[T]) tensors() []nn.Param[T] {
	ts := append(n.params(), nn.Param[T]{Name: "latent.mean", Value: n.zMean}, nn.Param[T]{Name: "latent.chol", Value: n.zChol})
	if len(n.mixW) > 0 {
		ts = append(ts, nn.Param[T]{Name: "latent.mix.weights", Value: n.mixW}, nn.Param[T]{Name: "latent.mix.means", Value: n.mixM},
			nn.Param[T]{Name: "latent.mix.stds", Value: n.mixS})
	}
	if len(n.mixDims) > 0 {
		ts = append(ts, nn.Param[T]{Name: "latent.mix.dims", Value: n.mixDims}, nn.Param[T]{Name: "latent.mix.chol", Value: n.mixL})
	}
	return ts
}

// fitLatent sets zMean and zChol to the mean and the Cholesky factor of the covariance of the
// encodings of data's rows: Cov(μ(x)) + mean(σ²(x)) on the diagonal, i.e. the moments of the
// aggregate posterior.
func (n *network[T]) fitLatent(data nn.Mat[T], batch int) {
	e := n.emb
	sum := make([]float64, e)
	sumSq := make([]float64, e*e) // Σ μμᵀ, lower triangle
	varSum := make([]float64, e)
	b := newBatch(n, min(batch, data.Rows), data.Cols)
	for b0 := 0; b0 < data.Rows; b0 += b.x.Rows {
		v := b
		if r := min(b.x.Rows, data.Rows-b0); r < b.x.Rows {
			v = b.view(r)
		}
		for i := range v.x.Rows {
			copy(v.x.Row(i), data.Row(b0+i))
		}
		in := v.x
		for i, l := range n.enc {
			l.Forward(in, v.eh[i])
			nn.ReLU(v.eh[i].Data, v.eh[i].Data)
			in = v.eh[i]
		}
		n.encOut.Forward(in, v.ml)
		for r := range v.x.Rows {
			ml := v.ml.Row(r)
			for i := range e {
				mi := float64(ml[i])
				sum[i] += mi
				varSum[i] += math.Exp(float64(ml[e+i]))
				row := sumSq[i*e : i*e+i+1]
				for j := range row {
					row[j] += mi * float64(ml[j])
				}
			}
		}
	}
	rows := float64(data.Rows)
	cov := mat.NewSymDense(e, nil)
	for i := range e {
		for j := 0; j <= i; j++ {
			c := sumSq[i*e+j]/rows - sum[i]/rows*sum[j]/rows
			if i == j {
				c += varSum[i] / rows
			}
			cov.SetSym(i, j, c)
		}
	}
	var ch mat.Cholesky
	for jitter := 1e-8; !ch.Factorize(cov); jitter *= 10 {
		for i := range e {
			cov.SetSym(i, i, cov.At(i, i)+jitter)
		}
		if jitter > 1 {
			return // keep the prior
		}
	}
	var l mat.TriDense
	ch.LTo(&l)
	for i := range e {
		n.zMean[i] = T(sum[i] / rows)
		for j := 0; j <= i; j++ {
			n.zChol[i*e+j] = T(l.At(i, j))
		}
	}
}

// params lists every trainable tensor in a fixed order (also the order of the model file).
func (n *network[T]) params() []nn.Param[T] {
	var ps []nn.Param[T]
	for i, l := range n.enc {
		ps = append(ps, l.Params(fmt.Sprintf("encoder.%d", i))...)
	}
	ps = append(ps, n.encOut.Params("encoder.out")...)
	for i, l := range n.dec {
		ps = append(ps, l.Params(fmt.Sprintf("decoder.%d", i))...)
	}
	ps = append(ps, n.decOut.Params("decoder.out")...)
	return append(ps, nn.Param[T]{Name: "decoder.sigma", Value: n.sigma, Grad: n.gsigma})
}

// batch holds the activations and gradients of one batch of up to rows rows.
type batch[T nn.Float] struct {
	x, ml, eps, std, z, out, dout, dml, dz nn.Mat[T]
	eh, dh, dg, dgr                        []nn.Mat[T] // encoder/decoder activations and gradients
}

func newBatch[T nn.Float](n *network[T], rows, width int) *batch[T] {
	b := &batch[T]{x: nn.NewMat[T](rows, width), ml: nn.NewMat[T](rows, 2*n.emb), dml: nn.NewMat[T](rows, 2*n.emb),
		eps: nn.NewMat[T](rows, n.emb), std: nn.NewMat[T](rows, n.emb), z: nn.NewMat[T](rows, n.emb),
		dz: nn.NewMat[T](rows, n.emb), out: nn.NewMat[T](rows, width), dout: nn.NewMat[T](rows, width)}
	for _, l := range n.enc {
		b.eh, b.dh = append(b.eh, nn.NewMat[T](rows, l.Out)), append(b.dh, nn.NewMat[T](rows, l.Out))
	}
	for _, l := range n.dec {
		b.dg, b.dgr = append(b.dg, nn.NewMat[T](rows, l.Out)), append(b.dgr, nn.NewMat[T](rows, l.Out))
	}
	return b
}

// view returns the batch cut to its first r rows.
func (b *batch[T]) view(r int) *batch[T] {
	v := &batch[T]{}
	cut := func(m nn.Mat[T]) nn.Mat[T] { return m.RowSlice(0, r) }
	v.x, v.ml, v.eps, v.std, v.z = cut(b.x), cut(b.ml), cut(b.eps), cut(b.std), cut(b.z)
	v.out, v.dout, v.dml, v.dz = cut(b.out), cut(b.dout), cut(b.dml), cut(b.dz)
	for i := range b.eh {
		v.eh, v.dh = append(v.eh, cut(b.eh[i])), append(v.dh, cut(b.dh[i]))
	}
	for i := range b.dg {
		v.dg, v.dgr = append(v.dg, cut(b.dg[i])), append(v.dgr, cut(b.dgr[i]))
	}
	return v
}

// decode runs the decoder on latent rows z into raw outputs out (g: its hidden activations).
func (n *network[T]) decode(z nn.Mat[T], g []nn.Mat[T], out nn.Mat[T]) {
	in := z
	for i, l := range n.dec {
		l.Forward(in, g[i])
		nn.ReLU(g[i].Data, g[i].Data)
		in = g[i]
	}
	n.decOut.Forward(in, out)
}

// step runs one forward and backward pass over b.x and returns the loss; gradients are left
// in the layers and gsigma.
func (n *network[T]) step(b *batch[T], spans []Span, factor float64, rng *nn.RNG) float64 {
	rows := b.x.Rows
	in := b.x
	for i, l := range n.enc {
		l.Forward(in, b.eh[i])
		nn.ReLU(b.eh[i].Data, b.eh[i].Data)
		in = b.eh[i]
	}
	n.encOut.Forward(in, b.ml)
	nn.FillNormalSeeded(rng.Uint64(), b.eps.Data)
	// Row-wise work runs in a fixed number of chunks whose partial sums are added in chunk
	// order, so the result does not depend on how many goroutines run them.
	var kls [chunks]float64
	nn.Parallel(chunks, 0, func(c int) {
		for r := c * rows / chunks; r < (c+1)*rows/chunks; r++ {
			ml, dml := b.ml.Row(r), b.dml.Row(r)
			mu, lv := ml[:n.emb], ml[n.emb:]
			nn.Reparameterize(mu, lv, b.eps.Row(r), b.std.Row(r), b.z.Row(r))
			kls[c] += nn.KLStdNormal(mu, lv, b.std.Row(r), dml[:n.emb], dml[n.emb:], 1/float64(rows))
		}
	})
	kl := 0.0
	for _, v := range kls {
		kl += v
	}
	n.decode(b.z, b.dg, b.out)
	rec := n.reconstruction(b.x, b.out, b.dout, spans, factor)

	gin := n.decInput(b)
	n.decOut.Backward(gin, b.dout, b.dgr[len(b.dgr)-1])
	for i := len(n.dec) - 1; i >= 0; i-- {
		nn.ReLUBackward(b.dg[i].Data, b.dgr[i].Data, b.dgr[i].Data)
		prev, dprev := b.z, b.dz
		if i > 0 {
			prev, dprev = b.dg[i-1], b.dgr[i-1]
		}
		n.dec[i].Backward(prev, b.dgr[i], dprev)
	}
	for r := range rows {
		dml := b.dml.Row(r)
		nn.ReparameterizeBackward(b.eps.Row(r), b.std.Row(r), b.dz.Row(r), dml[:n.emb], dml[n.emb:])
	}
	last := b.x
	if len(n.enc) > 0 {
		last = b.eh[len(n.enc)-1]
	}
	var dlast nn.Mat[T]
	if len(n.enc) > 0 {
		dlast = b.dh[len(n.enc)-1]
	}
	n.encOut.Backward(last, b.dml, dlast)
	for i := len(n.enc) - 1; i >= 0; i-- {
		nn.ReLUBackward(b.eh[i].Data, b.dh[i].Data, b.dh[i].Data)
		prev, dprev := b.x, nn.Mat[T]{}
		if i > 0 {
			prev, dprev = b.eh[i-1], b.dh[i-1]
		}
		n.enc[i].Backward(prev, b.dh[i], dprev)
	}
	return rec + kl/float64(rows)
}

// decInput is the input of the decoder's output layer: the last hidden activation, or z.
func (n *network[T]) decInput(b *batch[T]) nn.Mat[T] {
	if len(n.dec) == 0 {
		return b.z
	}
	return b.dg[len(n.dec)-1]
}

// chunks is the number of row ranges the row-wise parts of a step are split into.
const chunks = 8

// reconstruction returns factor/rows × (Σ Gaussian NLL of the scalars on tanh(out) with the
// learned σ, + Σ cross-entropy of every one-hot span), tvae.py's loss_1, and writes its
// gradient w.r.t. out into dout and w.r.t. σ into gsigma.
func (n *network[T]) reconstruction(x, out, dout nn.Mat[T], spans []Span, factor float64) float64 {
	rows := x.Rows
	scale := factor / float64(rows)
	if len(n.sse) != chunks*len(n.sigma) {
		n.sse = make([]float64, chunks*len(n.sigma))
	}
	clear(n.sse)
	var recs [chunks]float64
	var starts, widths []int
	for _, s := range spans {
		if s.Softmax() {
			starts, widths = append(starts, s.Start), append(widths, s.Width)
		}
	}
	nn.Parallel(chunks, 0, func(c int) {
		sse := n.sse[c*len(n.sigma) : (c+1)*len(n.sigma)]
		lse := make([]float64, len(starts))
		sc := T(scale)
		rec := 0.0
		for r := c * rows / chunks; r < (c+1)*rows/chunks; r++ {
			xr, or, dr := x.Row(r), out.Row(r), dout.Row(r)
			// Cross-entropy of the one-hot spans: softmax probabilities straight into dout,
			// then gradient = scale·(p − onehot).
			nn.SoftmaxSpans(or, dr, starts, widths, lse)
			for i, st := range starts {
				dseg := dr[st : st+widths[i]]
				t := argmax(xr[st : st+widths[i]])
				if xr[st+t] == 0 { // a category unseen in training: no target
					clear(dseg)
					continue
				}
				rec += lse[i] - float64(or[st+t])
				for k := range dseg {
					dseg[k] *= sc
				}
				dseg[t] -= sc
			}
			// Gaussian NLL of the scalars on tanh(out).
			for _, s := range spans {
				if s.Kind != SpanScalar {
					continue
				}
				j := s.Start
				y := math.Tanh(float64(or[j]))
				sg := float64(n.sigma[j])
				diff := float64(xr[j]) - y
				sse[j] += diff * diff
				rec += diff * diff / (2 * sg * sg)
				dr[j] = T(scale * (-diff / (sg * sg)) * (1 - y*y))
			}
		}
		recs[c] = rec
	})
	rec := 0.0
	for _, v := range recs {
		rec += v
	}
	clear(n.gsigma)
	for _, s := range spans {
		if s.Kind == SpanScalar {
			j := s.Start
			sg := float64(n.sigma[j])
			sse := 0.0
			for c := range chunks {
				sse += n.sse[c*len(n.sigma)+j]
			}
			rec += float64(rows) * math.Log(sg)
			n.gsigma[j] = T(scale * (float64(rows)/sg - sse/(sg*sg*sg)))
		}
	}
	return rec * scale
}

// Fit trains a TVAE on t. It fits the transformer, encodes the rows, then runs opts.Epochs
// epochs of shuffled mini-batches. onEpoch (may be nil) is called with Epoch 0 once the data
// is encoded and after every epoch. Cancelling ctx stops training within one batch and
// returns ctx.Err(). Bad options or an unusable table give bad-input errors.
func Fit(ctx context.Context, t *datasets.Table, opts Options, onEpoch func(EpochInfo)) (*Model, error) {
	start := time.Now()
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if t == nil || t.NumRows() < 2 {
		return nil, apperr.BadInputf("the training table needs at least 2 rows")
	}
	topts := o.Transform
	topts.Seed = nn.DeriveSeed(o.Seed, 1)
	tr, err := FitTransformer(ctx, t, topts)
	if err != nil {
		return nil, err
	}
	discrete := func(name string) bool {
		i := slices.IndexFunc(tr.Columns, func(c ColumnSpec) bool { return c.Name == name })
		return i >= 0 && tr.Columns[i].Kind == KindDiscrete
	}
	switch {
	case o.Stratify == "" && discrete(DefaultStratify):
		o.Stratify = DefaultStratify
	case o.Stratify == "":
		o.Stratify = StratifyNone
	case o.Stratify != StratifyNone && !discrete(o.Stratify):
		return nil, apperr.BadInput("invalid TVAE option", apperr.FieldError{Field: "stratify",
			Message: fmt.Sprintf("%q is not a discrete column of the training table", o.Stratify)})
	}
	enc, err := tr.Transform(ctx, t, nn.DeriveSeed(o.Seed, 2))
	if err != nil {
		return nil, err
	}
	m := &Model{Options: o, Transformer: tr, TrainRows: t.NumRows(), TableMeta: map[string]string{}}
	for k, v := range t.Meta {
		m.TableMeta[k] = v
	}
	if onEpoch != nil {
		onEpoch(EpochInfo{Epoch: 0, Epochs: o.Epochs, Elapsed: time.Since(start)})
	}
	rng := nn.NewRNG(nn.DeriveSeed(o.Seed, 3))
	if o.Latent == LatentMixture {
		o.LatentComponents = o.components(enc.Rows)
		m.Options = o
	}
	latent := o
	latent.LatentComponents = 0 // allocated by setLatent
	if o.Precision == "float64" {
		data := nn.NewMat[float64](enc.Rows, enc.Cols)
		for i, v := range enc.Data {
			data.Data[i] = float64(v)
		}
		m.net64 = newNetwork[float64](tr.Width, latent, rng)
		m.LossHistory, err = train(ctx, m.net64, data, tr.Spans, o, rng, start, onEpoch)
	} else {
		m.net32 = newNetwork[float32](tr.Width, latent, rng)
		m.LossHistory, err = train(ctx, m.net32, enc, tr.Spans, o, rng, start, onEpoch)
	}
	if err == nil {
		m.setLatent(enc)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// train runs the epochs (tvae.py's fit loop): shuffle, batches of BatchSize (the last one may
// be smaller), Adam step, σ clamped to [0.01, 1]. It returns the mean batch loss per epoch.
func train[T nn.Float](ctx context.Context, n *network[T], data nn.Mat[T], spans []Span, o Options,
	rng *nn.RNG, start time.Time, onEpoch func(EpochInfo)) ([]float64, error) {
	rows := data.Rows
	bs := min(o.BatchSize, rows)
	params := n.params()
	opt := nn.NewAdam(params, o.LearningRate, o.L2Scale)
	full := newBatch(n, bs, data.Cols)
	perm := make([]int, rows)
	history := make([]float64, 0, o.Epochs)
	for epoch := 1; epoch <= o.Epochs; epoch++ {
		rng.Perm(perm)
		sum, batches := 0.0, 0
		for b0 := 0; b0 < rows; b0 += bs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r := min(bs, rows-b0)
			b := full
			if r < bs {
				b = full.view(r)
			}
			for i := range r {
				copy(b.x.Row(i), data.Row(perm[b0+i]))
			}
			loss := n.step(b, spans, o.LossFactor, rng)
			opt.Step(params)
			for i, s := range n.sigma {
				n.sigma[i] = min(max(s, 0.01), 1)
			}
			sum += loss
			batches++
		}
		loss := sum / float64(batches)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, fmt.Errorf("tvae: training diverged at epoch %d (loss %v)", epoch, loss)
		}
		history = append(history, loss)
		if onEpoch != nil {
			onEpoch(EpochInfo{Epoch: epoch, Epochs: o.Epochs, Loss: loss, Elapsed: time.Since(start)})
		}
	}
	return history, nil
}
