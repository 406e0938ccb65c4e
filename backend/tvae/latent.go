package tvae

import (
	"context"
	"fmt"
	"math"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
)

// LatentMixture is the value of Options.Latent that draws latent vectors from a Gaussian
// mixture fitted to the training rows' encodings after training (ex-post density estimation,
// Ghosh et al. 2020). The prior N(0, I) that a VAE samples from covers regions that no
// training row encodes to (the "holes" between the clusters of rare states); decoding them
// gives rows that blend a rare state's sensor signature into the others, so a classifier
// trained on such rows learns blurred boundaries. The mixture follows the aggregate posterior
// closely without storing any training row: each of its LatentComponents diagonal components
// has the mean and variance of the encodings it is responsible for (spread of the means plus
// the mean posterior variance), so a component is broad where the encodings are.
const LatentMixture = "mixture"

// DefaultLatentComponents is the number of mixture components when Options.LatentComponents
// is 0 (fewer when the table has fewer than minRowsPerComponent rows per component).
const DefaultLatentComponents = 200

// minRowsPerComponent keeps every component an average over many rows.
const minRowsPerComponent = 50

// maxMixtureRows caps the encodings EM runs on (a seeded subsample of larger tables), so that
// the mixture stays a small part of training on big tables.
const maxMixtureRows = 20_000

// mixtureIters is the number of EM iterations of the latent mixture.
const mixtureIters = 40

// components returns the number of latent mixture components for rows training rows.
func (o Options) components(rows int) int {
	k := o.LatentComponents
	if k == 0 {
		k = DefaultLatentComponents
	}
	return max(1, min(k, rows/minRowsPerComponent))
}

// encodings runs the encoder over data and returns every row's posterior mean and variance
// (row-major, rows × emb), in float64.
func (n *network[T]) encodings(data nn.Mat[T], batch int) (mu, vr []float64) {
	e := n.emb
	mu, vr = make([]float64, data.Rows*e), make([]float64, data.Rows*e)
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
			o := (b0 + r) * e
			for i := range e {
				mu[o+i] = float64(ml[i])
				vr[o+i] = math.Exp(float64(ml[e+i]))
			}
		}
	}
	return mu, vr
}

// fitMixture fits the latent mixture (mixW, mixM, mixS: k weights, k×emb means and standard
// deviations) to the encodings of data by EM on the posterior means, seeded k-means++
// initialisation; each component's variance adds the mean posterior variance of its rows.
// Row sums run in a fixed number of chunks added in order, so the result does not depend on
// the number of threads.
func (n *network[T]) fitMixture(data nn.Mat[T], batch, k int, seed uint64) {
	emb := n.emb
	muAll, vrAll := n.encodings(data, batch)
	rows := data.Rows
	k = max(1, min(k, rows))
	// Overall moments per latent dimension; dimensions the encoder does not use (posterior
	// ≈ prior: mean variance near 1, means near 0) take them in every component and are left
	// out of EM, which they would only slow down.
	gMean, gVar, gPost := make([]float64, emb), make([]float64, emb), make([]float64, emb)
	for i := range rows {
		for d := range emb {
			x := muAll[i*emb+d]
			gMean[d] += x
			gVar[d] += x * x
			gPost[d] += vrAll[i*emb+d]
		}
	}
	var active []int
	for d := range emb {
		gMean[d] /= float64(rows)
		gVar[d] = math.Max(gVar[d]/float64(rows)-gMean[d]*gMean[d], 0)
		gPost[d] /= float64(rows)
		if gPost[d] < 0.9 || gVar[d] > 0.1 {
			active = append(active, d)
		}
	}
	e := len(active)
	rng := nn.NewRNG(seed)
	pick := make([]int, rows)
	for i := range pick {
		pick[i] = i
	}
	if rows > maxMixtureRows {
		rng.Shuffle(pick)
		pick = pick[:maxMixtureRows]
		rows = maxMixtureRows
	}
	mu, vr := make([]float64, rows*e), make([]float64, rows*e)
	for i, src := range pick {
		for j, d := range active {
			mu[i*e+j], vr[i*e+j] = muAll[src*emb+d], vrAll[src*emb+d]
		}
	}
	// k-means++ seeding on the posterior means.
	means := make([]float64, k*e)
	d2 := make([]float64, rows)
	first := rng.IntN(rows)
	copy(means[:e], mu[first*e:(first+1)*e])
	for i := range d2 {
		d2[i] = sqDist(mu[i*e:(i+1)*e], means[:e])
	}
	for c := 1; c < k; c++ {
		total := 0.0
		for _, v := range d2 {
			total += v
		}
		u, pick := rng.Float64()*total, rows-1
		for i, v := range d2 {
			if u -= v; u < 0 {
				pick = i
				break
			}
		}
		m := means[c*e : (c+1)*e]
		copy(m, mu[pick*e:(pick+1)*e])
		for i := range d2 {
			d2[i] = math.Min(d2[i], sqDist(mu[i*e:(i+1)*e], m))
		}
	}
	// Start with the data's overall variance in every component.
	vars := make([]float64, k*e)
	weights := make([]float64, k)
	for c := range k {
		weights[c] = 1 / float64(k)
		for j, d := range active {
			vars[c*e+j] = math.Max(gVar[d], 1e-6)
		}
	}
	const parts = 8
	type acc struct{ w, m, sq, pv []float64 }
	accs := make([]acc, parts)
	for p := range accs {
		accs[p] = acc{make([]float64, k), make([]float64, k*e), make([]float64, k*e), make([]float64, k*e)}
	}
	for it := 0; it <= mixtureIters; it++ {
		last := it == mixtureIters
		logNorm := make([]float64, k) // log w_c − ½ Σ log(2π v)
		inv := make([]float64, k*e)
		for c := range k {
			s := math.Log(math.Max(weights[c], 1e-300))
			for j := range e {
				s -= 0.5 * math.Log(2*math.Pi*vars[c*e+j])
				inv[c*e+j] = 0.5 / vars[c*e+j]
			}
			logNorm[c] = s
		}
		nn.Parallel(parts, 0, func(p int) {
			a := accs[p]
			clear(a.w)
			clear(a.m)
			clear(a.sq)
			clear(a.pv)
			lr := make([]float64, k)
			for i := p * rows / parts; i < (p+1)*rows/parts; i++ {
				x := mu[i*e : (i+1)*e]
				best := math.Inf(-1)
				for c := range k {
					m, iv := means[c*e:(c+1)*e], inv[c*e:(c+1)*e]
					s := logNorm[c]
					for j, xj := range x {
						diff := xj - m[j]
						s -= diff * diff * iv[j]
					}
					lr[c] = s
					best = math.Max(best, s)
				}
				sum := 0.0
				for c := range k {
					lr[c] = math.Exp(lr[c] - best)
					sum += lr[c]
				}
				for c := range k {
					r := lr[c] / sum
					if r < 1e-9 {
						continue
					}
					a.w[c] += r
					m, sq, pv := a.m[c*e:(c+1)*e], a.sq[c*e:(c+1)*e], a.pv[c*e:(c+1)*e]
					for j, xj := range x {
						m[j] += r * xj
						sq[j] += r * xj * xj
						pv[j] += r * vr[i*e+j]
					}
				}
			}
		})
		// M-step (the posterior variance enters only the final variances: EM clusters the
		// means; the components then spread as the posteriors do).
		for c := range k {
			w := 0.0
			for p := range parts {
				w += accs[p].w[c]
			}
			weights[c] = w / float64(rows)
			if w < 1e-9 {
				continue
			}
			for j := range e {
				var m, sq, pv float64
				for p := range parts {
					m += accs[p].m[c*e+j]
					sq += accs[p].sq[c*e+j]
					pv += accs[p].pv[c*e+j]
				}
				m /= w
				v := math.Max(sq/w-m*m, 1e-6)
				if last {
					v += pv / w
				}
				means[c*e+j], vars[c*e+j] = m, v
			}
		}
	}
	n.mixW, n.mixM, n.mixS = make([]T, k), make([]T, k*emb), make([]T, k*emb)
	for c := range k {
		n.mixW[c] = T(weights[c])
		for d := range emb {
			n.mixM[c*emb+d] = T(gMean[d])
			n.mixS[c*emb+d] = T(math.Sqrt(gVar[d] + gPost[d]))
		}
		for j, d := range active {
			n.mixM[c*emb+d] = T(means[c*e+j])
			n.mixS[c*emb+d] = T(math.Sqrt(vars[c*e+j]))
		}
	}
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return s
}

// drawMixture fills z's rows with draws from the latent mixture.
func (n *network[T]) drawMixture(z nn.Mat[T], rng *nn.RNG) {
	e := n.emb
	total := 0.0
	for _, w := range n.mixW {
		total += float64(w)
	}
	for r := range z.Rows {
		u, c := rng.Float64()*total, len(n.mixW)-1
		for j, w := range n.mixW {
			if u -= float64(w); u < 0 {
				c = j
				break
			}
		}
		row := z.Row(r)
		m, s := n.mixM[c*e:(c+1)*e], n.mixS[c*e:(c+1)*e]
		for d := range row {
			row[d] = m[d] + s[d]*T(rng.NormFloat64())
		}
	}
}

// RefitLatent replaces the model's latent sampling distribution with the one latent (see
// Options.Latent) says, fitted on the encodings of t, the training table (the encoder is in
// the model), so that sampling choices can be compared without training again. k is the
// number of mixture components (0: the default).
func (m *Model) RefitLatent(ctx context.Context, t *datasets.Table, latent string, k int) error {
	o := m.Options
	o.Latent, o.LatentComponents = latent, k
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	enc, err := m.Transformer.Transform(ctx, t, nn.DeriveSeed(o.Seed, 2))
	if err != nil {
		return err
	}
	if o.Latent == LatentMixture {
		o.LatentComponents = o.components(enc.Rows)
	} else {
		o.LatentComponents = 0
	}
	m.Options = o
	if m.net64 != nil {
		data := nn.NewMat[float64](enc.Rows, enc.Cols)
		for i, v := range enc.Data {
			data.Data[i] = float64(v)
		}
		m.net64.setLatent(data, o)
	} else {
		m.net32.setLatent(enc, o)
	}
	return nil
}

// setLatent fits the latent sampling distribution o.Latent asks for on data's encodings.
func (n *network[T]) setLatent(data nn.Mat[T], o Options) {
	n.mixW, n.mixM, n.mixS = nil, nil, nil
	for i := range n.zMean {
		n.zMean[i] = 0
	}
	clear(n.zChol)
	for i := range n.emb {
		n.zChol[i*n.emb+i] = 1
	}
	switch o.Latent {
	case LatentFitted:
		n.fitLatent(data, o.BatchSize)
	case LatentMixture:
		n.fitMixture(data, o.BatchSize, o.components(data.Rows), nn.DeriveSeed(o.Seed, 4))
	}
}

// checkMixture reports a latent mixture that cannot be sampled (a crafted model file).
func (n *network[T]) checkMixture() error {
	for _, w := range n.mixW {
		if w < 0 {
			return fmt.Errorf("latent mixture weight %v is negative", w)
		}
	}
	for _, s := range n.mixS {
		if s < 0 {
			return fmt.Errorf("latent mixture spread %v is negative", s)
		}
	}
	return nil
}
