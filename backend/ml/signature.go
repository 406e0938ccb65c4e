package ml

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/optimize"

	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/onnxrt"
)

// fitSignature trains the fault-signature classifier (family "signature") for ordered classes
// that are thresholds of a wear level (FitSpec.Progress). The feature pipeline estimates, for
// every fault signature the spec gives (a machine profile's failure modes), the fault's
// severity from the recent deviations of the sensors it affects (see the features package,
// "Fault signatures"): 0 when healthy, 1 when the sensors have moved by the whole signature.
// Several faults often move the same sensors (bearing wear and misalignment both raise the
// vibration), so the model takes the severity of the fault whose signature explains the
// deviations best: with signature weights w_m (shift/σ per sensor) and deviations z, the
// least-squares residual ‖z − v_m·w_m‖² is smallest for the largest v_m·‖w_m‖. That severity is
// on the wear level's scale, so the class cut points are the wear levels at which the classes
// change in the training data, and a cumulative-logistic link fitted on the validation data
// (its scale, and a rescaling of the severity) gives the class probabilities:
//
//	m = argmax v_m·‖w_m‖,  v = a + b·v'_m,  P(class ≥ k) = σ((v − t_k)/s),
//
// where v'_m is fault m's severity over its own window when it has one (a fault that grows
// fast, see GrowthWindows), else v_m. Nothing else is learned from the training rows than the
// healthy levels, spreads and cut points, and from the validation rows than the three numbers
// of the link: the model rests on the profile's signatures, so it does not inherit a synthetic
// training set's weakened wear signal. Model selection on the validation data decides whether
// it beats the families that learn the mapping.
func fitSignature(spec *FitSpec, p *post, pipe *features.Pipeline, tr, va *data, ytr, yva []float64, K int) (*head, []float64, error) {
	if len(pipe.Signatures) == 0 {
		return nil, nil, fmt.Errorf("signature: no fault signature matches a numeric input")
	}
	if spec.Progress == "" {
		return nil, nil, fmt.Errorf("signature: needs the progress column the classes are thresholds of")
	}
	if !p.ClassType.Numeric() {
		return nil, nil, fmt.Errorf("signature: the classes are not numbers, so they have no order")
	}
	cuts, err := progressCuts(numericTarget(tr, spec.Progress), ytr, K)
	if err != nil {
		return nil, nil, err
	}
	F := pipe.NumFeatures()
	M := len(pipe.Signatures)
	sev := onnxrt.Dense{In: F, Out: M, W: make([]float32, F*M)}
	for m, s := range pipe.Signatures {
		for j, f := range s.Features {
			sev.W[f*M+m] += float32(s.Weights[j])
		}
	}
	h := &head{Kind: headSignature, Severity: &sev, Norm: make([]float32, M)}
	for m, s := range pipe.Signatures {
		h.Norm[m] = float32(s.Norm)
	}
	if slices.ContainsFunc(pipe.Signatures, func(s features.SignatureModel) bool { return s.Value != nil }) {
		val := onnxrt.Dense{In: F, Out: M, W: make([]float32, F*M)}
		for m, s := range pipe.Signatures {
			for j, f := range s.ValueFeatures() {
				val.W[f*M+m] += float32(s.Weights[j])
			}
		}
		h.Value = &val
	}
	xva := va.x()
	raw, _, err := h.eval(xva.X, xva.N)
	if err != nil {
		return nil, nil, err
	}
	value := make([]float64, len(raw))
	for i, v := range raw {
		value[i] = float64(v)
	}
	// The link's scale s by validation log loss, then the severity scale too: a + b·v in place
	// of v, with a, b and s fitted together by maximum likelihood on the validation classes. A
	// profile's magnitudes are estimates, and effects it does not list (friction heating
	// temperatures, say) move the sensors as well. Fitting the classes directly, not the
	// progress on the severity by least squares, avoids the attenuation a noisy severity
	// gives a regression slope (dev set, 26 machines: macro-F1 0.913 vs 0.908; 0.872 with
	// no rescaling).
	span := 1e-9
	for k := 1; k < K-1; k++ {
		span = max(span, cuts[k]-cuts[k-1])
	}
	if K == 2 {
		span = max(span, cuts[0])
	}
	calibrate := func(rows []int) (a, b, s float64) {
		v, y, val := make([]float32, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
		for j, i := range rows {
			v[j], y[j], val[j] = raw[i], yva[i], value[i]
		}
		return fitLink(v, cuts, y, 0, 1, linkScale(val, cuts, y, span))
	}
	a0, b0, s := calibrate(allIndices(len(raw)))
	h.Post = ordinalLink(a0, b0, cuts, s)
	logp, err := linkScores(h, va, K, raw, cuts, calibrate)
	if err != nil {
		return nil, nil, err
	}
	return h, logp, nil
}

// progressCuts returns, for each pair of adjacent classes k, k+1, the progress value that
// best separates them in the training rows (fewest rows of classes ≤ k at or above it plus
// rows of classes > k below it; the midpoint between the two rows it falls between).
func progressCuts(prog, y []float64, K int) ([]float64, error) {
	type pv struct {
		v float64
		c int
	}
	var rows []pv
	for i, v := range prog {
		if !math.IsNaN(v) {
			rows = append(rows, pv{v, int(y[i])})
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("signature: the progress column has no values")
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a].v < rows[b].v })
	cuts := make([]float64, K-1)
	for k := range cuts {
		above := 0 // rows of classes > k, all counted as "below the cut" errors at first
		for _, r := range rows {
			if r.c > k {
				above++
			}
		}
		// Cut before row 0: errors = rows ≤ k (all above the cut).
		errs := len(rows) - above
		best, bestAt := errs, 0
		for i, r := range rows {
			if r.c > k {
				errs++
			} else {
				errs--
			}
			if i+1 < len(rows) && rows[i+1].v == r.v {
				continue
			}
			if errs < best {
				best, bestAt = errs, i+1
			}
		}
		if low := len(rows) - above; 2*best >= min(low, above) {
			return nil, fmt.Errorf("signature: the progress column does not separate class %d from the classes above it (%d of %d rows on the wrong side at best), so the classes are not in its order", k, best, len(rows))
		}
		switch {
		case bestAt == 0:
			cuts[k] = rows[0].v
		case bestAt == len(rows):
			cuts[k] = rows[len(rows)-1].v
		default:
			cuts[k] = (rows[bestAt-1].v + rows[bestAt].v) / 2
		}
	}
	if !slices.IsSorted(cuts) { // cannot happen with separating cuts, but the link needs it
		return nil, fmt.Errorf("signature: the classes are not in the order of the progress column (cut points %.4g)", cuts)
	}
	return cuts, nil
}

// linkPrior is the spread τ of the penalty n·(a² + ln² b)/(2τ²) that keeps fitLink's
// rescaling of the severity near the identity. The severities are on the wear scale by
// construction; a validation set of a few episodes otherwise rescales them by its own quirks
// (its episodes' sensor offsets). Chosen on the development simulations of both data
// settings (26 machines each, train on synthetic; fast demo settings / wizard defaults):
// macro-F1 0.9424 / 0.9555 at τ = 0.1, 0.9428 / 0.9519 at 0.2, 0.9433 / 0.9495 at 0.5,
// 0.9415 / 0.9487 at 2, and 0.9370 / 0.9538 with no rescaling at all.
const linkPrior = 0.1

// fitLink fits the link z_k = (a + b·v − t_k)/s, P(class ≥ k) = σ(z_k), to the classes y by
// penalised maximum likelihood (Nelder–Mead on α = b/s, β = a/s, log γ = −log s; the penalty
// see linkPrior), starting from a, b, s, which it returns unchanged when the fit does not
// improve on them or turns the order round.
func fitLink(v []float32, cuts, y []float64, a, b, s float64) (float64, float64, float64) {
	K := len(cuts) + 1
	n := float64(len(v))
	nll := func(x []float64) float64 {
		al, be, g := x[0], x[1], math.Exp(x[2])
		if al <= 0 {
			return math.Inf(1)
		}
		ra, rb := be/g, math.Log(al/g) // a and ln b
		l := n * (ra*ra + rb*rb) / (2 * linkPrior * linkPrior)
		for i, vi := range v {
			c := int(y[i])
			hi, lo := 1.0, 0.0 // P(≥c), P(≥c+1)
			if c > 0 {
				hi = 1 / (1 + math.Exp(-(al*float64(vi) + be - g*cuts[c-1])))
			}
			if c < K-1 {
				lo = 1 / (1 + math.Exp(-(al*float64(vi) + be - g*cuts[c])))
			}
			l -= math.Log(max(hi-lo, 1e-15))
		}
		return l
	}
	res, err := optimize.Minimize(optimize.Problem{Func: nll}, []float64{b / s, a / s, -math.Log(s)}, &optimize.Settings{FuncEvaluations: 600}, &optimize.NelderMead{})
	if err != nil && res == nil {
		return a, b, s
	}
	x := res.X
	if res.F > nll([]float64{b / s, a / s, -math.Log(s)}) || x[0] <= 0 {
		return a, b, s
	}
	g := math.Exp(x[2])
	return x[1] / g, x[0] / g, 1 / g
}
