package tvae

import (
	"math"
	"slices"

	"pdmstudio/backend/nn"
)

// Constants of the variational Gaussian mixture, as SDV's ClusterBasedNormalizer configures
// scikit-learn's BayesianGaussianMixture.
const (
	bgmComponents  = 10    // n_components (max_clusters)
	bgmConcentrate = 0.001 // weight_concentration_prior (Dirichlet-process α0)
	bgmThreshold   = 0.005 // components with a smaller weight are dropped
	bgmMaxIter     = 100   // max_iter
	bgmTol         = 1e-3  // tol on the change of the lower bound
	bgmRegCovar    = 1e-6  // reg_covar, in standardised units
	kmeansMaxIter  = 300
)

// mixture is a fitted one-dimensional variational Gaussian mixture in column units.
type mixture struct {
	weights, means, stds []float64 // all components
	// Quantities the E-step needs (standardised units): see estimateLogResp.
	center, scale                 float64
	m, precChol, logConst, logWts []float64
	iters                         int
}

// fitMixture fits a 1-D Gaussian mixture with a Dirichlet-process prior by variational
// inference, following scikit-learn's BayesianGaussianMixture (covariance 'full', k-means
// initialisation, weight_concentration_prior_type 'dirichlet_process') step by step. The data
// are standardised first (so that reg_covar means the same for every column) and the
// result is given back in column units. x needs at least one value; it is not modified.
func fitMixture(x []float64, rng *nn.RNG) *mixture {
	n := len(x)
	k := min(bgmComponents, n)
	center, scale := meanStd(x)
	if scale == 0 || math.IsNaN(scale) {
		scale = 1
	}
	z := make([]float64, n)
	for i, v := range x {
		z[i] = (v - center) / scale
	}
	// Priors: mean prior = data mean (0), covariance prior = data variance (ddof 1),
	// mean precision 1, degrees of freedom = number of features (1).
	_, sd := meanStd(z)
	covPrior := sd * sd
	if n > 1 {
		covPrior *= float64(n) / float64(n-1)
	}
	if covPrior == 0 {
		covPrior = 1
	}
	const m0, beta0, nu0 = 0.0, 1.0, 1.0

	resp := make([]float64, n*k) // row-major n×k
	labels := kmeans1D(z, k, rng)
	for i, l := range labels {
		resp[i*k+l] = 1
	}

	g := &mixture{center: center, scale: scale}
	nk, xk, sk := make([]float64, k), make([]float64, k), make([]float64, k)
	wa, wb := make([]float64, k), make([]float64, k)
	meanPrec, dof, cov := make([]float64, k), make([]float64, k), make([]float64, k)
	g.m, g.precChol, g.logConst, g.logWts = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)

	mstep := func() {
		for j := range k {
			nk[j], xk[j], sk[j] = 10*epsilon, 0, 0
		}
		for i, v := range z {
			r := resp[i*k : i*k+k]
			for j, w := range r {
				nk[j] += w
				xk[j] += w * v
			}
		}
		for j := range k {
			xk[j] /= nk[j]
		}
		for i, v := range z {
			r := resp[i*k : i*k+k]
			for j, w := range r {
				d := v - xk[j]
				sk[j] += w * d * d
			}
		}
		tail := 0.0
		for j := k - 1; j >= 0; j-- {
			sk[j] = sk[j]/nk[j] + bgmRegCovar
			wa[j] = 1 + nk[j]
			wb[j] = bgmConcentrate + tail
			tail += nk[j]
		}
		for j := range k {
			meanPrec[j] = beta0 + nk[j]
			g.m[j] = (beta0*m0 + nk[j]*xk[j]) / meanPrec[j]
			dof[j] = nu0 + nk[j]
			d := xk[j] - m0
			cov[j] = (covPrior + nk[j]*sk[j] + nk[j]*beta0/meanPrec[j]*d*d) / dof[j]
			g.precChol[j] = 1 / math.Sqrt(cov[j])
		}
		// Expected log weights of the stick-breaking construction, and the per-component
		// constant of the expected log density.
		acc := 0.0
		for j := range k {
			dsum := digamma(wa[j] + wb[j])
			g.logWts[j] = digamma(wa[j]) - dsum + acc
			acc += digamma(wb[j]) - dsum
			logLambda := math.Ln2 + digamma(0.5*dof[j])
			g.logConst[j] = -0.5*math.Log(2*math.Pi) + math.Log(g.precChol[j]) - 0.5*math.Log(dof[j]) +
				0.5*(logLambda-1/meanPrec[j]) + g.logWts[j]
		}
	}
	lowerBound := func(entropy float64) float64 {
		lb := entropy
		for j := range k {
			ldpc := math.Log(g.precChol[j]) - 0.5*math.Log(dof[j])
			logWishart := -(dof[j]*ldpc + dof[j]*0.5*math.Ln2 + lgamma(0.5*dof[j]))
			betaln := lgamma(wa[j]) + lgamma(wb[j]) - lgamma(wa[j]+wb[j])
			lb += -logWishart + betaln - 0.5*math.Log(meanPrec[j])
		}
		return lb
	}

	mstep()
	prev := math.Inf(-1)
	lr := make([]float64, k)
	for it := 1; it <= bgmMaxIter; it++ {
		g.iters = it
		entropy := 0.0
		for i, v := range z {
			r := resp[i*k : i*k+k]
			entropy += g.resp(v, lr, r)
		}
		mstep()
		lb := lowerBound(entropy)
		if math.Abs(lb-prev) < bgmTol {
			break
		}
		prev = lb
	}

	// Mixture weights from the stick-breaking posterior; means and standard deviations in
	// column units.
	g.weights, g.means, g.stds = make([]float64, k), make([]float64, k), make([]float64, k)
	rem, tot := 1.0, 0.0
	for j := range k {
		s := wa[j] + wb[j]
		g.weights[j] = wa[j] / s * rem
		rem *= wb[j] / s
		tot += g.weights[j]
	}
	for j := range k {
		g.weights[j] /= tot
		g.means[j] = g.m[j]*scale + center
		g.stds[j] = math.Sqrt(cov[j]) * scale
	}
	return g
}

const epsilon = 2.220446049250313e-16

// logits writes the unnormalised log posterior of every component for the standardised value z
// into dst (len k) and returns their maximum.
func (g *mixture) logits(z float64, dst []float64) float64 {
	mx := math.Inf(-1)
	for j, c := range g.logConst {
		d := (z - g.m[j]) * g.precChol[j]
		l := c - 0.5*d*d
		dst[j] = l
		if l > mx {
			mx = l
		}
	}
	return mx
}

// resp writes the posterior responsibilities of every component for the standardised value z
// into r, using scratch (len k), and returns their entropy −Σ r log r.
func (g *mixture) resp(z float64, scratch, r []float64) float64 {
	mx := g.logits(z, scratch)
	s := 0.0
	for j, l := range scratch {
		e := math.Exp(l - mx)
		r[j] = e
		s += e
	}
	ls := math.Log(s)
	inv := 1 / s
	h := 0.0
	for j, l := range scratch {
		r[j] *= inv
		h -= r[j] * (l - mx - ls)
	}
	return h
}

// kmeans1D clusters z into k groups (k-means++ seeding, then Lloyd's iterations) and returns
// each value's cluster, as scikit-learn's KMeans(n_init=1) does for the mixture's start.
func kmeans1D(z []float64, k int, rng *nn.RNG) []int {
	n := len(z)
	centers := make([]float64, 0, k)
	centers = append(centers, z[rng.IntN(n)])
	d2 := make([]float64, n)
	for i, v := range z {
		d2[i] = (v - centers[0]) * (v - centers[0])
	}
	for len(centers) < k {
		tot := 0.0
		for _, d := range d2 {
			tot += d
		}
		var c float64
		if tot == 0 {
			c = z[rng.IntN(n)]
		} else {
			u := rng.Float64() * tot
			idx := n - 1
			for i, d := range d2 {
				u -= d
				if u < 0 {
					idx = i
					break
				}
			}
			c = z[idx]
		}
		centers = append(centers, c)
		for i, v := range z {
			d2[i] = math.Min(d2[i], (v-c)*(v-c))
		}
	}
	labels := make([]int, n)
	sums, counts := make([]float64, k), make([]int, k)
	order := make([]int, k)
	sorted := make([]float64, k)
	for it := 0; it < kmeansMaxIter; it++ {
		// In one dimension the nearest centre is found by bisection over the sorted centres.
		for j := range order {
			order[j] = j
		}
		slices.SortStableFunc(order, func(a, b int) int {
			switch {
			case centers[a] < centers[b]:
				return -1
			case centers[a] > centers[b]:
				return 1
			}
			return 0
		})
		for j, o := range order {
			sorted[j] = centers[o]
		}
		changed := 0
		clear(sums)
		clear(counts)
		for i, v := range z {
			p, _ := slices.BinarySearch(sorted, v)
			best := p
			if p == k || (p > 0 && v-sorted[p-1] <= sorted[p]-v) {
				best = p - 1
			}
			l := order[best]
			if l != labels[i] || it == 0 {
				changed++
			}
			labels[i] = l
			sums[l] += v
			counts[l]++
		}
		shift := 0.0
		for j := range centers {
			if counts[j] > 0 {
				c := sums[j] / float64(counts[j])
				shift += (c - centers[j]) * (c - centers[j])
				centers[j] = c
			}
		}
		if changed == 0 || shift < 1e-8 {
			break
		}
	}
	return labels
}

func meanStd(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return 0, 0
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)))
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// digamma returns ψ(x) for x > 0 (recurrence up to x ≥ 10, then the asymptotic series).
func digamma(x float64) float64 {
	r := 0.0
	for x < 10 {
		r -= 1 / x
		x++
	}
	f := 1 / (x * x)
	return r + math.Log(x) - 0.5/x - f*(1.0/12-f*(1.0/120-f*(1.0/252-f*(1.0/240-f/132))))
}
