package ml

import (
	"context"
	"fmt"
	"math"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml/features"
)

// forecastTargets returns, for the rows of d whose group has Horizon later rows, the change of
// each sensor from its latest value to each of the next Horizon rows (n×S·H, sensor-major; a
// missing future value is forward-filled from the rows before it), and the rows kept.
func forecastTargets(d *data, p *post) (*data, []float64) {
	H, S := p.Horizon, len(p.Sensors)
	cols := make([]*datasets.Column, S)
	for s, name := range p.Sensors {
		cols[s] = d.t.Column(name)
	}
	var y []float64
	kept := d.keep(func(i int) bool {
		fr := d.idx[i]
		return d.f.Pos[fr]+H < len(d.f.Seqs[d.f.Seq[fr]].Rows)
	})
	for i, fr := range kept.idx {
		_ = i
		seq := d.f.Seqs[d.f.Seq[fr]].Rows
		pos := d.f.Pos[fr]
		x := d.f.Row(fr)
		for s := 0; s < S; s++ {
			last := float64(x[p.SensorFeature[s]])
			v := last
			for h := 1; h <= H; h++ {
				if a, ok := cols[s].Number(seq[pos+h]); ok && !math.IsInf(a, 0) {
					v = a
				}
				y = append(y, v-last)
			}
		}
	}
	return kept, y
}

func fitForecast(ctx context.Context, spec *FitSpec, pipe *features.Pipeline, tr, va *data, stage stageFunc) (*fitted, error) {
	p := &post{Horizon: spec.Horizon, Level: spec.IntervalLevel, Sensors: spec.Sensors}
	for _, name := range spec.Sensors {
		idx := -1
		for i, in := range pipe.Inputs {
			if in.Name == name && in.Kind == features.Numeric {
				idx = i
			}
		}
		if idx < 0 {
			reason := "it is not a model input"
			for _, s := range pipe.Skipped {
				if s.Column == name {
					reason = s.Reason
				}
			}
			return nil, field("sensors", "column %q cannot be forecast: %s", name, reason)
		}
		p.SensorInput = append(p.SensorInput, idx)
		p.SensorFeature = append(p.SensorFeature, pipe.Inputs[idx].First)
	}
	H, S := spec.Horizon, len(spec.Sensors)
	K := S * H
	tr, ytr := forecastTargets(tr, p)
	va, yva := forecastTargets(va, p)
	if len(tr.idx) < MinTrainRows {
		return nil, field("horizon", "only %d training rows have %d later rows in their group; shorten the horizon or add data", len(tr.idx), H)
	}
	if len(va.idx) == 0 {
		return nil, field("valid", "no validation row has %d later rows in its group", H)
	}
	p.YMean, p.YStd = meanStd(ytr, K)
	xtr, xva := tr.x(), va.x()
	str, sva := scaled(ytr, p.YMean, p.YStd), scaled(yva, p.YMean, p.YStd)
	cands := fitRegressors(ctx, spec, xtr, xva, str, sva, K, true, stage)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Score: mean over outputs of MAE / naive MAE (the naive forecast is a change of 0).
	naive := make([]float64, K)
	for i, v := range yva {
		naive[i%K] += math.Abs(v)
	}
	for _, c := range cands {
		if c.err != nil {
			continue
		}
		out := c.extra.([]float32)
		ae := make([]float64, K)
		for i, o := range out {
			k := i % K
			ae[k] += math.Abs(p.YMean[k] + p.YStd[k]*float64(o) - yva[i])
		}
		var rel float64
		for k := range ae {
			rel += ae[k] / max(naive[k], 1e-12)
		}
		c.score = -rel / float64(K)
	}
	best := pick(cands, func(a, b *candidate) bool { return a.score > b.score })
	if best == nil {
		return nil, fmt.Errorf("every model family failed: %v", cands[0].err)
	}
	stage("calibrating", 0.85, 0.86)(0)
	// Interval offsets: residual quantiles per sensor and step on the validation rows.
	out := best.extra.([]float32)
	lo, hi := (1-p.Level)/2, (1+p.Level)/2
	p.FLo, p.FHi = make([]float64, K), make([]float64, K)
	res := make([]float64, 0, va.f.N)
	for k := 0; k < K; k++ {
		res = res[:0]
		for i := k; i < len(out); i += K {
			res = append(res, yva[i]-(p.YMean[k]+p.YStd[k]*float64(out[i])))
		}
		p.FLo[k], p.FHi[k] = quantile(res, lo), quantile(res, hi)
	}
	return &fitted{head: best.head, post: p, family: best.family, metric: "-relative_mae", candidates: candidateList(cands, best, "-relative_mae")}, nil
}
