package ml

import (
	"math"
	"strconv"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
)

// This file holds an experiment of TestSyntheticToReal (PDMSTUDIO_ML_TSTR_HMM=1): does combining
// the health-state model's per-row probabilities over an episode's history help? Two causal
// combinations are measured, each tuned on the validation data and scored on the real test set:
// a forward filter of a left-to-right state model (states only advance; time in each state from
// the validation episodes) and the mean log-probability over the last w rows. Measured (26
// machines as `fleet bootstrap --fast` makes them): macro-F1 0.801 filtered, 0.786 fused, 0.773
// plain; not adopted (docs/benchmarks.md, "Stop 14: the fast bootstrap's TVAE trains 300
// epochs").

// leftToRight is a left-to-right state model: stay[k] is the per-row probability of staying
// in state k (else the next), init the first row's state distribution, prior the class
// frequencies that turn the classifier's probabilities into likelihoods, beta a tempering
// exponent (consecutive rows' evidence is not independent).
type leftToRight struct {
	stay, init, prior []float64
	beta              float64
}

// fitLeftToRight estimates a left-to-right model from the episodes of t (health_state labels).
func fitLeftToRight(tb testing.TB, t *datasets.Table, K int) leftToRight {
	seqs, err := features.Sequences(t, SeedGroup, SeedOrder)
	if err != nil {
		tb.Fatal(err)
	}
	hs := t.Column(SeedTarget)
	rows := make([]float64, K)
	visits := make([]float64, K)
	first := make([]float64, K)
	for _, s := range seqs {
		prev := -1
		for i, r := range s.Rows {
			v, _ := hs.Number(r)
			k := int(v)
			if i == 0 {
				first[k]++
			}
			rows[k]++
			if k != prev {
				visits[k]++
			}
			prev = k
		}
	}
	p := leftToRight{stay: make([]float64, K), init: make([]float64, K), prior: make([]float64, K), beta: 1}
	var n, nf float64
	for k := 0; k < K; k++ {
		n += rows[k]
		nf += first[k]
	}
	for k := 0; k < K; k++ {
		p.stay[k] = 1 - 1/math.Max(2, rows[k]/math.Max(1, visits[k]))
		p.prior[k] = (rows[k] + 1) / (n + float64(K))
		p.init[k] = (first[k] + 0.01) / (nf + 0.01*float64(K))
	}
	p.stay[K-1] = 1
	return p
}

// filter runs the forward filter over each sequence and returns the most likely state per row.
func (p leftToRight) filter(seqs []features.Sequence, probs map[int][]float64) map[int]int {
	out := map[int]int{}
	K := len(p.stay)
	alpha, next := make([]float64, K), make([]float64, K)
	for _, s := range seqs {
		for i, r := range s.Rows {
			if i == 0 {
				copy(next, p.init)
			} else {
				for k := range next {
					next[k] = alpha[k] * p.stay[k]
					if k > 0 {
						next[k] += alpha[k-1] * (1 - p.stay[k-1])
					}
				}
			}
			var z float64
			for k := range alpha {
				alpha[k] = next[k] * math.Pow(math.Max(probs[r][k], 1e-6)/p.prior[k], p.beta)
				z += alpha[k]
			}
			for k := range alpha {
				alpha[k] /= z
			}
			out[r] = argmax64(alpha)
		}
	}
	return out
}

// fuseLast predicts each row's state from the mean log-probability over its last w rows.
func fuseLast(seqs []features.Sequence, probs map[int][]float64, w int) map[int]int {
	out := map[int]int{}
	for _, s := range seqs {
		for i, r := range s.Rows {
			acc := make([]float64, len(probs[r]))
			for j := max(0, i-w+1); j <= i; j++ {
				for k, v := range probs[s.Rows[j]] {
					acc[k] += math.Log(math.Max(v, 1e-6))
				}
			}
			out[r] = argmax64(acc)
		}
	}
	return out
}

// sequenceTry scores m on real: plain, forward-filtered and fused (macro-F1), with beta and w
// chosen on va.
func sequenceTry(tb testing.TB, m *Model, va, real *datasets.Table) (plain, filtered, fused float64) {
	const K = 4
	score := func(t *datasets.Table, combine func([]features.Sequence, map[int][]float64) map[int]int) float64 {
		preds, err := m.Predict(t, PredictOptions{TopFactors: -1})
		if err != nil {
			tb.Fatal(err)
		}
		seqs, err := features.Sequences(t, SeedGroup, SeedOrder)
		if err != nil {
			tb.Fatal(err)
		}
		probs := map[int][]float64{}
		pred := map[int]int{}
		for _, pr := range preds {
			v := make([]float64, K)
			for k := range v {
				v[k] = pr.Probabilities[strconv.Itoa(k)]
			}
			probs[pr.Row] = v
			pred[pr.Row] = argmax64(v)
		}
		if combine != nil {
			pred = combine(seqs, probs)
		}
		hs := t.Column(SeedTarget)
		var truth, ps []int
		for r, k := range pred {
			v, _ := hs.Number(r)
			truth = append(truth, int(v))
			ps = append(ps, k)
		}
		_, f1, _, _ := classScores([]string{"0", "1", "2", "3"}, truth, ps)
		return f1
	}
	p := fitLeftToRight(tb, va, K)
	best := -1.0
	beta := 1.0
	for _, b := range []float64{0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1} {
		p.beta = b
		if f := score(va, p.filter); f > best {
			best, beta = f, b
		}
	}
	p.beta = beta
	best, w := -1.0, 1
	for _, c := range []int{3, 5, 10, 20, 40} {
		if f := score(va, func(s []features.Sequence, pr map[int][]float64) map[int]int { return fuseLast(s, pr, c) }); f > best {
			best, w = f, c
		}
	}
	plain = score(real, nil)
	filtered = score(real, p.filter)
	fused = score(real, func(s []features.Sequence, pr map[int][]float64) map[int]int { return fuseLast(s, pr, w) })
	tb.Logf("sequence combination: filter beta %.2f, fusion window %d", beta, w)
	return plain, filtered, fused
}
