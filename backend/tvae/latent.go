package tvae

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/nn"
)

// LatentMixture is the value of Options.Latent that draws latent vectors from a Gaussian
// mixture fitted to the training rows' encodings after training (ex-post density estimation,
// Ghosh et al. 2020). The prior N(0, I) that a VAE samples from covers regions that no
// training row encodes to (the "holes" between the clusters of rare states); decoding them
// gives rows that blend a rare state's sensor signature into the others, so a classifier
// trained on such rows learns blurred boundaries. The mixture follows the aggregate posterior
// closely without storing any training row: each of its LatentComponents components has the
// mean and the full covariance (on the latent dimensions the encoder uses) of the encodings
// it is responsible for, plus their mean posterior variance, so a component is as broad and
// as oriented as its rows' encodings are.
//
// When the model is stratified (Options.Stratify), every category of that column gets its
// own components, fitted on its rows only and weighted by its share of rows: a rare state
// (a few hundred rows among thousands) otherwise shares components with its neighbours, and
// its latent vectors are blends. On the seed data, unconditional diagonal components left 55–68 %
// of the degrading and warning rows of motor_weg_w22_003 in components dominated by another
// state (docs/benchmarks.md, TVAE).
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
// deviations; mixDims, mixL: the latent dimensions the encoder uses and, per component, the
// packed lower Cholesky factor of its covariance on them) to the encodings of data. groups
// (nil: one group) holds every row's category in the stratify column; each group gets its
// share of the k components (at least one) and is fitted on its own rows (see emComponents).
// Dimensions the encoder does not use (posterior ≈ prior: mean variance near 1, means near
// 0) take the overall moments in every component.
func (n *network[T]) fitMixture(data nn.Mat[T], batch, k int, groups []int, seed uint64) {
	emb := n.emb
	muAll, vrAll := n.encodings(data, batch)
	rows := data.Rows
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
	var members [][]int
	for i := range rows {
		g := 0
		if groups != nil {
			g = groups[i]
		}
		for len(members) <= g {
			members = append(members, nil)
		}
		members[g] = append(members[g], i)
	}
	sizes := make([]int, len(members))
	for g, m := range members {
		sizes[g] = len(m)
	}
	ks := splitComponents(max(1, min(k, rows)), sizes)
	rng := nn.NewRNG(seed)
	tri := e * (e + 1) / 2
	n.mixW, n.mixM, n.mixS, n.mixL = nil, nil, nil, nil
	n.mixDims = make([]T, e)
	for j, d := range active {
		n.mixDims[j] = T(d)
	}
	for g, idx := range members {
		if len(idx) == 0 {
			continue
		}
		share := float64(len(idx)) / float64(rows)
		if rows > maxMixtureRows { // a seeded subsample, the same share of every group
			rng.Shuffle(idx)
			idx = idx[:max(ks[g], len(idx)*maxMixtureRows/rows)]
		}
		mu, vr := make([]float64, len(idx)*e), make([]float64, len(idx)*e)
		for i, src := range idx {
			for j, d := range active {
				mu[i*e+j], vr[i*e+j] = muAll[src*emb+d], vrAll[src*emb+d]
			}
		}
		initVar := make([]float64, e)
		for j, d := range active {
			initVar[j] = math.Max(gVar[d], 1e-6)
		}
		kg := ks[g]
		if e == 0 {
			kg = 1
		}
		weights, means, chol := emComponents(mu, vr, len(idx), e, kg, initVar, rng)
		for c := range weights {
			n.mixW = append(n.mixW, T(weights[c]*share))
			o := len(n.mixM)
			for d := range emb {
				n.mixM = append(n.mixM, T(gMean[d]))
				n.mixS = append(n.mixS, T(math.Sqrt(gVar[d]+gPost[d])))
			}
			L := chol[c*tri : (c+1)*tri]
			for j, d := range active {
				n.mixM[o+d] = T(means[c*e+j])
				v := 0.0 // the component's variance on d: the squared row of its factor
				for _, x := range L[j*(j+1)/2 : j*(j+1)/2+j+1] {
					v += x * x
				}
				n.mixS[o+d] = T(math.Sqrt(v))
			}
			for _, x := range L {
				n.mixL = append(n.mixL, T(x))
			}
		}
	}
}

// splitComponents shares k components among groups of the given sizes in proportion to their
// rows (largest remainders), at least one per non-empty group and at most one per row.
func splitComponents(k int, sizes []int) []int {
	rows := 0
	for _, s := range sizes {
		rows += s
	}
	ks := make([]int, len(sizes))
	type rem struct {
		frac float64
		g    int
	}
	var rems []rem
	left := k
	for g, s := range sizes {
		q := float64(k) * float64(s) / float64(max(rows, 1))
		ks[g] = int(q)
		left -= ks[g]
		if s > 0 {
			rems = append(rems, rem{q - float64(ks[g]), g})
		}
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.frac, a.frac) })
	for i := 0; i < left && i < len(rems); i++ {
		ks[rems[i].g]++
	}
	for g, s := range sizes {
		ks[g] = min(max(ks[g], min(s, 1)), s)
	}
	return ks
}

// emComponents fits k Gaussian components to rows posterior means mu and variances vr (rows×e,
// row-major) and returns their weights (summing to 1), means (k×e) and the packed lower
// Cholesky factors (k × e(e+1)/2) of their covariances. EM with diagonal components clusters
// the means, from a seeded k-means++ start with initVar in every component; the final
// covariance of a component is the weighted covariance of its rows' means plus their mean
// posterior variance on the diagonal (EM clusters the means; the components then spread as
// the posteriors do). Row sums run in a fixed number of chunks added in order, so the result
// does not depend on the number of threads.
func emComponents(mu, vr []float64, rows, e, k int, initVar []float64, rng *nn.RNG) (weights, means, chol []float64) {
	k = max(1, min(k, rows))
	// k-means++ seeding on the posterior means.
	means = make([]float64, k*e)
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
	vars := make([]float64, k*e)
	weights = make([]float64, k)
	for c := range k {
		weights[c] = 1 / float64(k)
		copy(vars[c*e:(c+1)*e], initVar)
	}
	tri := e * (e + 1) / 2
	const parts = 8
	type acc struct{ w, m, sq, pv, xx []float64 }
	accs := make([]acc, parts)
	for p := range accs {
		accs[p] = acc{make([]float64, k), make([]float64, k*e), make([]float64, k*e), make([]float64, k*e), make([]float64, k*tri)}
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
					if last {
						xx := a.xx[c*tri : (c+1)*tri]
						for j, xj := range x {
							rx, o := r*xj, j*(j+1)/2
							for l, xl := range x[:j+1] {
								xx[o+l] += rx * xl
							}
						}
					}
				}
			}
		})
		// M-step.
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
				var m, sq float64
				for p := range parts {
					m += accs[p].m[c*e+j]
					sq += accs[p].sq[c*e+j]
				}
				m /= w
				means[c*e+j], vars[c*e+j] = m, math.Max(sq/w-m*m, 1e-6)
			}
		}
	}
	// Full covariances from the last E-step's responsibilities around the final means.
	chol = make([]float64, k*tri)
	for c := range k {
		L := chol[c*tri : (c+1)*tri]
		w := weights[c] * float64(rows)
		ok := w >= 1e-9
		if ok {
			m := means[c*e : (c+1)*e]
			for p := range parts {
				for i, v := range accs[p].xx[c*tri : (c+1)*tri] {
					L[i] += v
				}
			}
			for j := range e {
				o := j * (j + 1) / 2
				for l := range j + 1 {
					L[o+l] = L[o+l]/w - m[j]*m[l]
				}
				pv := 0.0
				for p := range parts {
					pv += accs[p].pv[c*e+j]
				}
				L[o+j] = math.Max(L[o+j], 1e-6) + pv/w
			}
			ok = cholPacked(L, e)
		}
		if !ok { // empty or degenerate: the diagonal component
			clear(L)
			for j := range e {
				L[j*(j+1)/2+j] = math.Sqrt(vars[c*e+j])
			}
		}
	}
	return weights, means, chol
}

// cholPacked replaces the symmetric e×e matrix a, its lower triangle packed by rows, by its
// Cholesky factor (packed the same way); false when a is not positive definite.
func cholPacked(a []float64, e int) bool {
	for j := range e {
		oj := j * (j + 1) / 2
		d := a[oj+j]
		for _, v := range a[oj : oj+j] {
			d -= v * v
		}
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		a[oj+j] = d
		for i := j + 1; i < e; i++ {
			oi := i * (i + 1) / 2
			v := a[oi+j]
			for l := range j {
				v -= a[oi+l] * a[oj+l]
			}
			a[oi+j] = v / d
		}
	}
	return true
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return s
}

// drawMixture fills z's rows with draws from the latent mixture: a component by weight, then
// its mean plus its Cholesky factor times standard normals on the dimensions in mixDims, its
// mean plus its spread times a standard normal on the others (models written before the full
// covariances have no mixDims: every dimension is drawn the second way).
func (n *network[T]) drawMixture(z nn.Mat[T], rng *nn.RNG) {
	e := n.emb
	a := len(n.mixDims)
	tri := a * (a + 1) / 2
	full := make([]bool, e)
	for _, d := range n.mixDims {
		full[int(d)] = true
	}
	eps := make([]T, a)
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
			if !full[d] {
				row[d] = m[d] + s[d]*T(rng.NormFloat64())
			}
		}
		if a == 0 {
			continue
		}
		for j := range eps {
			eps[j] = T(rng.NormFloat64())
		}
		L := n.mixL[c*tri : (c+1)*tri]
		for j, d := range n.mixDims {
			v, lj := m[int(d)], L[j*(j+1)/2:j*(j+1)/2+j+1]
			for l, x := range lj {
				v += x * eps[l]
			}
			row[int(d)] = v
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
	m.setLatent(enc)
	return nil
}

// setLatent fits the latent sampling distribution m.Options.Latent says on enc, the encoded
// training rows, and records the mixture's size in m.Options (LatentComponents, LatentDims).
func (m *Model) setLatent(enc nn.Mat[float32]) {
	o := m.Options
	groups := m.latentGroups(enc)
	var comps, dims int
	if m.net64 != nil {
		data := nn.NewMat[float64](enc.Rows, enc.Cols)
		for i, v := range enc.Data {
			data.Data[i] = float64(v)
		}
		m.net64.setLatent(data, o, groups)
		comps, dims = len(m.net64.mixW), len(m.net64.mixDims)
	} else {
		m.net32.setLatent(enc, o, groups)
		comps, dims = len(m.net32.mixW), len(m.net32.mixDims)
	}
	m.Options.LatentComponents, m.Options.LatentDims = comps, dims
}

// latentGroups returns every encoded row's category in the stratify column (the latent
// mixture is fitted per category, see LatentMixture), nil when the model is not stratified.
func (m *Model) latentGroups(enc nn.Mat[float32]) []int {
	st := m.Options.Stratify
	if st == "" || st == StratifyNone || m.Options.Latent != LatentMixture {
		return nil
	}
	tr := m.Transformer
	for _, s := range tr.Spans {
		if s.Kind == SpanCategory && tr.Columns[s.Column].Name == st {
			g := make([]int, enc.Rows)
			for i := range g {
				g[i] = argmax(enc.Row(i)[s.Start : s.Start+s.Width])
			}
			return g
		}
	}
	return nil
}

// setLatent fits the latent sampling distribution o.Latent asks for on data's encodings;
// groups as fitMixture takes them.
func (n *network[T]) setLatent(data nn.Mat[T], o Options, groups []int) {
	n.mixW, n.mixM, n.mixS, n.mixL, n.mixDims = nil, nil, nil, nil, nil
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
		n.fitMixture(data, o.BatchSize, o.components(data.Rows), groups, nn.DeriveSeed(o.Seed, 4))
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
	for j, d := range n.mixDims {
		if d != T(int(d)) || d < 0 || int(d) >= n.emb || (j > 0 && d <= n.mixDims[j-1]) {
			return fmt.Errorf("latent mixture dimension %v is not an increasing latent index below %d", d, n.emb)
		}
	}
	return nil
}
