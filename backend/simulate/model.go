package simulate

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/profiles"
)

// Tuning constants of the simulation (documented in the package comment where they matter to
// users).
const (
	episodesTarget     = 8    // a typical episode spans about rows/episodesTarget rows
	minEpisodeRows     = 120  // … but at least this many
	maxEpisodeRows     = 5000 // … and at most this many
	minFailRows        = 60   // shortest run to failure, rows, and at least a third of a typical episode
	minDegradeRows     = 30   // shortest onset-to-failure stretch, rows, and at least a fifth of a typical episode
	defaultDwellSteps  = 1000 // regime dwell when the profile leaves it to us, steps
	dwellsPerEpisode   = 40   // mean regime dwell is at most a typical episode / this…
	minDwellCapRows    = 10   // … or this many rows, whichever is more
	pmQuantile         = 0.75 // preventive maintenance interval: this quantile of the life
	failureGapSeconds  = 8 * 3600
	maintenanceGapSecs = 4 * 3600
	thermalLagSeconds  = 900 // time constant of temperatures following load and wear…
	maxThermalLagRows  = 2   // … but at most this many rows
	stepRampFraction   = 0.1 // "step" progression reaches full size after this share of the way
	cancelCheckRows    = 256 // rows between checks of the context (a power of two)

	outlierProb     = 0.0015 // per sensor and row
	dropoutProb     = 0.001  // single-row dropout, per sensor and row
	burstProb       = 0.0003 // start of a multi-row dropout, per sensor and row
	burstMinRows    = 5
	burstExtraRows  = 45
	episodeOffsetSD = 0.02 // per-episode sensor offset, share of the normal span
	ambientAmp      = 0.01 // daily temperature swing, share of the normal span
	frictionHeat    = 0.15 // temperature rise from full mechanical wear, share of span
)

// loadSensitivity is how strongly a sensor kind follows load: the share of its normal span
// (× 0.8) it moves from the lightest to the heaviest regime. Negative values fall with load.
var loadSensitivity = map[string]float64{
	"temperature": 0.6, "vibration": 0.3, "current": 0.9, "power": 0.9, "torque": 0.9,
	"load": 0.95, "force": 0.7, "pressure": 0.6, "flow": 0.7, "speed": -0.15, "voltage": -0.15,
	"frequency": 0, "level": 0.2, "duration": -0.2, "acoustic": 0.4, "humidity": 0, "ratio": 0.2,
	"energy": 0.8, "concentration": 0, "position": 0.1,
}

const defaultLoadSensitivity = 0.3

// effect is a failure-mode effect resolved to a sensor index.
type effect struct {
	sensor int
	shift  float64 // signed shift at failure, in the sensor's unit
}

type mode struct {
	name        string
	progression string
	onset       float64
	shape       float64
	scale       float64 // steps
	effects     []effect
	mech        float64 // 0..1: how mechanical (vibration-raising) the mode is → friction heat
	coolsSensor []bool  // the mode drives this temperature sensor down: no friction heat there
}

type sensorModel struct {
	s        profiles.Sensor
	span     float64
	center   float64
	alpha    float64
	thermal  bool
	phase    float64 // of the daily ambient cycle
	noise    float64
	lo, hi   float64 // clip range
	clip     bool
	outlierA float64 // outlier amplitude unit
}

type regime struct {
	name  string
	load  float64
	dwell float64 // mean dwell, rows
	w     float64 // choice weight
}

type model struct {
	p           profiles.Profile
	rows        int
	seed        uint64
	sensors     []sensorModel
	modes       []mode
	regimes     []regime
	loadLo      float64
	loadHi      float64
	stride      int     // profile steps per row
	rowMillis   int64   // ms between rows
	pmSteps     float64 // preventive maintenance interval, steps
	target      int     // typical episode length, rows
	minFail     int     // shortest run to failure, rows
	minDegrade  int     // shortest onset-to-failure stretch, rows
	thermalStep float64 // per-row smoothing factor of temperatures
}

func newModel(p profiles.Profile, rows int, seed uint64) *model {
	m := &model{p: p, rows: rows, seed: seed}
	stepSeconds := math.Inf(1)
	for _, s := range p.Sensors {
		if s.SampleIntervalS > 0 {
			stepSeconds = min(stepSeconds, s.SampleIntervalS)
		}
	}
	if math.IsInf(stepSeconds, 1) {
		stepSeconds = 1
	}
	index := map[string]int{}
	for i, s := range p.Sensors {
		index[s.Name] = i
		span := s.NormalMax - s.NormalMin
		if span <= 0 {
			span = math.Max(math.Abs(s.NormalMax)*0.1, 1)
		}
		alpha, ok := loadSensitivity[s.Kind]
		if !ok {
			alpha = defaultLoadSensitivity
		}
		m.sensors = append(m.sensors, sensorModel{
			s: s, span: span, center: (s.NormalMin + s.NormalMax) / 2, alpha: alpha,
			thermal: s.Kind == "temperature", phase: float64(i) * 0.7, noise: s.NoiseStd,
			lo: s.PhysicalMin, hi: s.PhysicalMax, clip: s.PhysicalMax > s.PhysicalMin,
			outlierA: math.Max(s.NoiseStd, 0.05*span),
		})
	}
	for _, fm := range p.FailureModes {
		md := mode{name: fm.Name, progression: fm.Progression, onset: fm.OnsetFraction,
			shape: fm.TimeToFailure.Shape, scale: fm.TimeToFailure.ScaleSteps, coolsSensor: make([]bool, len(p.Sensors))}
		vib := 0.0
		for _, e := range fm.Effects {
			i, ok := index[e.Sensor]
			if !ok {
				continue // profiles.Check rejects this; be safe anyway
			}
			dir := 1.0
			if e.Direction < 0 {
				dir = -1
				md.coolsSensor[i] = true
			}
			md.effects = append(md.effects, effect{sensor: i, shift: dir * e.Magnitude * m.sensors[i].span})
			if m.sensors[i].s.Kind == "vibration" && dir > 0 {
				vib += e.Magnitude
			}
		}
		md.mech = math.Min(1, vib/2)
		m.modes = append(m.modes, md)
	}

	// Life statistics of the competing failure modes, from a fixed-seed Monte Carlo: they set the
	// time compression and the preventive maintenance interval.
	rng := rand.New(rand.NewPCG(seed, m.stream(1)))
	lives := make([]float64, 4000)
	for i := range lives {
		lives[i] = math.Inf(1)
		for _, md := range m.modes {
			lives[i] = math.Min(lives[i], weibull(rng, md.shape, md.scale))
		}
	}
	slices.Sort(lives)
	median := lives[len(lives)/2]
	m.pmSteps = lives[int(pmQuantile*float64(len(lives)))]
	target := float64(min(maxEpisodeRows, max(minEpisodeRows, rows/episodesTarget)))
	m.stride = max(1, int(math.Round(median/target)))
	m.target = int(target)
	m.minFail = max(minFailRows, int(target/3))
	m.minDegrade = max(minDegradeRows, int(target/5))
	rowSeconds := float64(m.stride) * stepSeconds
	m.rowMillis = max(1, int64(math.Round(rowSeconds*1000)))
	m.thermalStep = 1 - math.Exp(-1/math.Min(thermalLagSeconds/rowSeconds, maxThermalLagRows))

	m.loadLo, m.loadHi = math.Inf(1), math.Inf(-1)
	for _, r := range p.Regimes {
		dwellSteps := r.MeanDurationSteps
		if dwellSteps <= 0 {
			dwellSteps = defaultDwellSteps
		}
		dwell := math.Min(math.Max(1, dwellSteps/float64(m.stride)), math.Max(minDwellCapRows, target/dwellsPerEpisode))
		m.regimes = append(m.regimes, regime{name: r.Name, load: r.LoadFraction, dwell: dwell, w: r.Probability / dwell})
		m.loadLo = math.Min(m.loadLo, r.LoadFraction)
		m.loadHi = math.Max(m.loadHi, r.LoadFraction)
	}
	return m
}

// weibull draws from a two-parameter Weibull distribution.
func weibull(rng *rand.Rand, shape, scale float64) float64 {
	u := 1 - rng.Float64() // (0, 1]
	return scale * math.Pow(-math.Log(u), 1/shape)
}

// degradation returns the wear level for fraction p (0..1) of the way from onset to failure.
func degradation(progression string, p float64) float64 {
	p = math.Max(0, math.Min(1, p))
	switch progression {
	case profiles.ProgressionExponential:
		return math.Expm1(3*p) / math.Expm1(3)
	case profiles.ProgressionStep:
		return math.Min(1, p/stepRampFraction)
	default:
		return p
	}
}

// episodePlan is one episode in rows.
type episodePlan struct {
	mode    int
	failRow int // row (within the episode) at which the machine fails, latent for maintenance
	onset   int // first row with wear
	last    int // last row of the episode
	end     string
}

// planEpisode draws the next episode: the failure modes compete (each draws a Weibull time
// to failure; the first to fail is the one that shows) and preventive maintenance may end the
// episode first. With forced ≥ 0 the episode's life is drawn the same way but it develops
// failure mode forced and runs to failure within maxRows rows (shortened if need be, so that
// all coverage episodes fit into the data).
func (m *model) planEpisode(rng *rand.Rand, forced, maxRows int) episodePlan {
	ep := episodePlan{mode: 0}
	ttf := math.Inf(1)
	for i, md := range m.modes {
		if t := weibull(rng, md.shape, md.scale); t < ttf {
			ttf, ep.mode = t, i
		}
	}
	if forced >= 0 {
		ep.mode = forced
	}
	ep.failRow = max(m.minFail, int(math.Round(ttf/float64(m.stride))))
	if forced >= 0 { // a typical length at least, but all coverage episodes must fit
		ep.failRow = max(minFailRows, min(max(ep.failRow, m.target), maxRows-1))
	}
	f := m.modes[ep.mode].onset * (0.7 + 0.6*rng.Float64())
	f = math.Max(0, math.Min(0.95, f))
	ep.onset = max(0, min(int(math.Round(f*float64(ep.failRow))), ep.failRow-m.minDegrade))
	pmRow := max(m.minFail, int(math.Round(m.pmSteps/float64(m.stride))))
	ep.last, ep.end = ep.failRow, EndFailure
	if pmRow < ep.failRow && forced < 0 {
		ep.last, ep.end = pmRow, EndMaintenance
	}
	return ep
}

func (m *model) generate(ctx context.Context, startMillis int64, progress func(float64)) (*datasets.Table, error) {
	n := m.rows
	ns := len(m.sensors)
	ts := make([]int64, n)
	unit := make([]int64, n)
	regimeCol := make([]string, n)
	fmCol := make([]string, n)
	degCol := make([]float64, n)
	hsCol := make([]int64, n)
	rulCol := make([]int64, n)
	endCol := make([]string, n)
	outCol := make([]bool, n)
	vals := make([][]float64, ns) // NaN marks a dropout; NewFloat turns it into a null
	for i := range vals {
		vals[i] = make([]float64, n)
	}

	rng := rand.New(rand.NewPCG(m.seed, m.stream(2)))
	// The first episodes cover every failure mode once, in random order, each running to
	// failure, so that every mode's full signature is in the data; later ones compete.
	coverage := rng.Perm(len(m.modes))
	burst := make([]int, ns)
	offset := make([]float64, ns)
	lagged := make([]float64, ns)
	truth := make([]float64, ns)

	cur := m.pickRegime(rng)
	dwellLeft := m.dwell(rng, cur)
	loadEff := m.regimes[cur].load
	clock := startMillis
	row := 0
	episodes, failures, maint := 0, 0, 0
	nextReport := 0
	for row < n {
		forced, room := -1, n-row
		if episodes < len(coverage) {
			forced = coverage[episodes]
			room = (n - row) / (len(coverage) - episodes) // leave room for the other coverage episodes
		}
		ep := m.planEpisode(rng, forced, room)
		episodes++
		md := &m.modes[ep.mode]
		for i := range offset {
			offset[i] = rng.NormFloat64() * episodeOffsetSD * m.sensors[i].span
		}
		end := ep.end
		if row+ep.last+1 > n {
			end = EndOngoing
		}
		for k := 0; k <= ep.last && row < n; k++ {
			if row&(cancelCheckRows-1) == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if row >= nextReport {
				if progress != nil {
					progress(float64(row) / float64(n))
				}
				nextReport = row + max(cancelCheckRows, n/100)
			}
			// Operating regime: a semi-Markov switch, load following with a short lag.
			if dwellLeft <= 0 {
				cur = m.pickRegime(rng)
				dwellLeft = m.dwell(rng, cur)
			}
			dwellLeft--
			loadEff += (m.regimes[cur].load - loadEff) * 0.5
			u := 0.5
			if m.loadHi > m.loadLo {
				u = (loadEff - m.loadLo) / (m.loadHi - m.loadLo)
			}

			d := 0.0
			if k >= ep.onset {
				d = degradation(md.progression, float64(k-ep.onset)/float64(ep.failRow-ep.onset))
			}
			hs := HealthState(d)

			seconds := float64(clock) / 1000
			outlier := false
			for i := range m.sensors {
				sm := &m.sensors[i]
				x := sm.center + sm.alpha*0.8*sm.span*(u-0.5) + offset[i]
				if sm.thermal {
					x += ambientAmp * sm.span * math.Sin(2*math.Pi*seconds/86400+sm.phase)
					if !md.coolsSensor[i] {
						x += frictionHeat * sm.span * md.mech * d
					}
				}
				truth[i] = x
			}
			for _, e := range md.effects {
				truth[e.sensor] += e.shift * d
			}
			for i := range m.sensors {
				sm := &m.sensors[i]
				x := truth[i]
				if sm.thermal { // thermal inertia
					if k == 0 {
						lagged[i] = x
					} else {
						lagged[i] += (x - lagged[i]) * m.thermalStep
					}
					x = lagged[i]
				}
				x += rng.NormFloat64() * sm.noise
				if rng.Float64() < outlierProb {
					sign := 1.0
					if rng.Float64() < 0.5 {
						sign = -1
					}
					x += sign * (4 + 6*rng.Float64()) * sm.outlierA
					outlier = true
				}
				if sm.clip {
					x = math.Max(sm.lo, math.Min(sm.hi, x))
				}
				switch {
				case burst[i] > 0:
					burst[i]--
					x = math.NaN()
				case rng.Float64() < burstProb:
					burst[i] = burstMinRows + rng.IntN(burstExtraRows)
					x = math.NaN()
				case rng.Float64() < dropoutProb:
					x = math.NaN()
				}
				vals[i][row] = x
			}

			ts[row] = clock
			unit[row] = int64(episodes)
			regimeCol[row] = m.regimes[cur].name
			degCol[row] = d
			hsCol[row] = int64(hs)
			if hs == 0 {
				fmCol[row] = FailureModeNone
			} else {
				fmCol[row] = md.name
			}
			rulCol[row] = int64(ep.failRow - k)
			endCol[row] = end
			outCol[row] = outlier
			clock += m.rowMillis
			row++
		}
		switch end {
		case EndFailure:
			failures++
			clock += failureGapSeconds * 1000
		case EndMaintenance:
			maint++
			clock += maintenanceGapSecs * 1000
		}
	}
	if progress != nil {
		progress(1)
	}

	cols := []*datasets.Column{
		datasets.NewTimestamp(ColTimestamp, ts, datasets.Meta{Role: datasets.RoleTime, Description: "sample time, UTC"}),
		datasets.NewInt(ColUnit, unit, datasets.Meta{Role: datasets.RoleID, Description: "episode (unit) number: a run from new or repaired to failure or maintenance"}),
		datasets.NewString(ColRegime, regimeCol, datasets.Meta{Role: datasets.RoleContext, Description: "operating regime"}),
	}
	for i, sm := range m.sensors {
		c := datasets.NewFloat(sm.s.Name, vals[i], datasets.Meta{Unit: sm.s.Unit, Kind: sm.s.Kind, Role: datasets.RoleSensor, Description: sm.s.Description})
		cols = append(cols, c)
	}
	cols = append(cols,
		datasets.NewString(ColFailureMode, fmCol, datasets.Meta{Role: datasets.RoleLabel, Description: `active failure mode; "none" while health_state is 0`}),
		datasets.NewFloat(ColDegradation, degCol, datasets.Meta{Role: datasets.RoleLabel, Description: "wear level of the active failure mode, 0 (new) to 1 (failed)"}),
		datasets.NewInt(ColHealthState, hsCol, datasets.Meta{Role: datasets.RoleLabel, Description: "0 healthy (degradation < 0.25), 1 degrading (< 0.5), 2 warning (< 0.8), 3 critical"}),
		datasets.NewInt(ColRUL, rulCol, datasets.Meta{Unit: "steps", Role: datasets.RoleLabel, Description: "remaining useful life: rows until failure (latent for episodes ended by maintenance)"}),
		datasets.NewString(ColEpisodeEnd, endCol, datasets.Meta{Role: datasets.RoleLabel, Description: "how the episode ended: failure, maintenance or ongoing"}),
		datasets.NewBool(ColOutlier, outCol, datasets.Meta{Role: datasets.RoleFlag, Description: "at least one sensor value in this row is an injected outlier"}),
	)
	t, err := datasets.NewTable(cols...)
	if err != nil {
		return nil, err
	}
	t.Meta = map[string]string{
		MetaGenerator:    "pdmstudio-simulate/1",
		MetaMachineID:    m.p.MachineID,
		MetaEpisodes:     strconv.Itoa(episodes),
		MetaFailures:     strconv.Itoa(failures),
		MetaMaintenance:  strconv.Itoa(maint),
		MetaStepSeconds:  strconv.FormatFloat(float64(m.rowMillis)/1000, 'g', -1, 64),
		MetaStepsPerRow:  strconv.Itoa(m.stride),
		MetaHealthBounds: "0.25,0.5,0.8",
	}
	return t, nil
}

// stream returns the PCG stream for purpose k: the machine id is mixed in so that machines of
// the same type with the same seed still get different histories.
func (m *model) stream(k uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(m.p.MachineID))
	return h.Sum64() ^ (k * 0x9E3779B97F4A7C15)
}

func (m *model) pickRegime(rng *rand.Rand) int {
	total := 0.0
	for _, r := range m.regimes {
		total += r.w
	}
	x := rng.Float64() * total
	for i, r := range m.regimes {
		if x < r.w {
			return i
		}
		x -= r.w
	}
	return len(m.regimes) - 1
}

func (m *model) dwell(rng *rand.Rand, r int) int {
	return max(1, int(math.Round(rng.ExpFloat64()*m.regimes[r].dwell)))
}
