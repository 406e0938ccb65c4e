package simulate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/profiles"
)

func motor(t testing.TB) profiles.Profile {
	t.Helper()
	p, err := profiles.FleetProfile("motor_siemens_1la7_001")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunSchema(t *testing.T) {
	p := motor(t)
	tb, err := Run(context.Background(), p, Options{Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumRows() != DefaultRows {
		t.Fatalf("rows = %d", tb.NumRows())
	}
	want := []string{ColTimestamp, ColUnit, ColRegime}
	for _, s := range p.Sensors {
		want = append(want, s.Name)
	}
	want = append(want, ColFailureMode, ColDegradation, ColHealthState, ColRUL, ColEpisodeEnd, ColOutlier)
	var got []string
	for _, c := range tb.Columns {
		got = append(got, c.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("columns = %v\nwant %v", got, want)
	}
	for _, s := range p.Sensors {
		c := tb.Column(s.Name)
		if c.Type != datasets.Float || c.Meta.Unit != s.Unit || c.Meta.Kind != s.Kind || c.Meta.Role != datasets.RoleSensor {
			t.Errorf("sensor column %s: %s %+v", s.Name, c.Type, c.Meta)
		}
		if c.NullCount() == 0 {
			t.Errorf("sensor %s has no dropouts", s.Name)
		}
		for i, v := range c.Floats {
			if !c.IsNull(i) && (v < s.PhysicalMin || v > s.PhysicalMax) {
				t.Fatalf("sensor %s row %d = %v outside the physical range", s.Name, i, v)
			}
		}
	}
	ts := tb.Column(ColTimestamp).Times
	if ts[0] != DefaultStart.UnixMilli() || !slices.IsSorted(ts) {
		t.Error("timestamps do not start at DefaultStart or are not increasing")
	}
	unit := tb.Column(ColUnit).Ints
	hs := tb.Column(ColHealthState).Ints
	rul := tb.Column(ColRUL).Ints
	deg := tb.Column(ColDegradation).Floats
	fm := tb.Column(ColFailureMode).Strings
	end := tb.Column(ColEpisodeEnd).Strings
	outliers := 0
	for _, o := range tb.Column(ColOutlier).Bools {
		if o {
			outliers++
		}
	}
	if outliers == 0 || outliers > tb.NumRows()/20 {
		t.Errorf("%d outlier rows", outliers)
	}
	regimes := map[string]bool{}
	for _, r := range tb.Column(ColRegime).Strings {
		regimes[r] = true
	}
	if len(regimes) != len(p.Regimes) {
		t.Errorf("regimes seen: %v", regimes)
	}
	ends := map[string]int{}
	for i := range unit {
		if HealthState(deg[i]) != int(hs[i]) || (hs[i] == 0) != (fm[i] == FailureModeNone) {
			t.Fatalf("row %d: degradation %v, health %d, mode %q disagree", i, deg[i], hs[i], fm[i])
		}
		last := i == len(unit)-1 || unit[i+1] != unit[i]
		if i > 0 && unit[i] == unit[i-1] {
			if rul[i] != rul[i-1]-1 || deg[i] < deg[i-1] || end[i] != end[i-1] {
				t.Fatalf("row %d: rul/degradation/end not consistent within unit %d", i, unit[i])
			}
		} else if i > 0 && unit[i] != unit[i-1]+1 {
			t.Fatalf("row %d: unit jumps from %d to %d", i, unit[i-1], unit[i])
		}
		if last {
			ends[end[i]]++
			switch end[i] {
			case EndFailure:
				if rul[i] != 0 || deg[i] != 1 || hs[i] != 3 {
					t.Errorf("unit %d ends at failure with rul %d degradation %v", unit[i], rul[i], deg[i])
				}
			case EndMaintenance:
				if rul[i] <= 0 {
					t.Errorf("unit %d ends at maintenance with rul %d", unit[i], rul[i])
				}
			case EndOngoing:
				if i != len(unit)-1 {
					t.Errorf("unit %d is ongoing but not last", unit[i])
				}
			}
		}
	}
	if ends[EndFailure] < 3 {
		t.Errorf("episode ends: %v", ends)
	}
	if tb.Meta[MetaMachineID] != p.MachineID || tb.Meta[MetaSeed] != "7" || tb.Meta[MetaEpisodes] != fmt.Sprint(unit[len(unit)-1]) {
		t.Errorf("meta = %v", tb.Meta)
	}
}

func TestSeedParquetRoundTrip(t *testing.T) {
	want, err := Run(context.Background(), motor(t), Options{Rows: 3000, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.parquet")
	if err := datasets.WriteParquet(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := datasets.ReadParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(want.Schema(), got.Schema()) {
		t.Errorf("schema changed:\n%v\n%v", want.Schema(), got.Schema())
	}
	for k, v := range want.Meta {
		if got.Meta[k] != v {
			t.Errorf("meta %s = %q, want %q", k, got.Meta[k], v)
		}
	}
	for j, c := range want.Columns {
		for i := 0; i < c.Len(); i++ {
			if c.Value(i) != got.Columns[j].Value(i) {
				t.Fatalf("%s row %d: %v → %v", c.Name, i, c.Value(i), got.Columns[j].Value(i))
			}
		}
	}
}

func TestRunOptions(t *testing.T) {
	p := motor(t)
	bad := p.Clone()
	bad.Sensors[0].Name = ColRUL
	invalid := p.Clone()
	invalid.Sensors[0].NormalMin = invalid.Sensors[0].NormalMax + 1
	tests := []struct {
		name  string
		p     profiles.Profile
		opts  Options
		field string
	}{
		{"too few rows", p, Options{Rows: MinRows - 1}, "rows"},
		{"too many rows", p, Options{Rows: MaxRows + 1}, "rows"},
		{"negative rows", p, Options{Rows: -5}, "rows"},
		{"reserved sensor name", bad, Options{}, "sensors[0].name"},
		{"invalid profile", invalid, Options{}, "sensors[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.p, tc.opts, nil)
			e := apperr.As(err)
			if err == nil || e.Kind != apperr.KindBadInput {
				t.Fatalf("err = %v, want bad input", err)
			}
			found := false
			for _, f := range e.Fields {
				found = found || strings.HasPrefix(f.Field, tc.field)
			}
			if !found {
				t.Errorf("fields %v do not name %q", e.Fields, tc.field)
			}
		})
	}
	for _, rows := range []int{MinRows, 1234, MaxRows} {
		tb, err := Run(context.Background(), p, Options{Rows: rows, Start: time.Date(2030, 5, 1, 0, 0, 0, 0, time.UTC)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tb.NumRows() != rows || datasets.FormatTime(tb.Column(ColTimestamp).Times[0]) != "2030-05-01T00:00:00.000Z" {
			t.Errorf("rows %d: got %d rows starting %s", rows, tb.NumRows(), datasets.FormatTime(tb.Column(ColTimestamp).Times[0]))
		}
	}
}

func TestRunDeterministic(t *testing.T) {
	p := motor(t)
	encode := func(seed uint64) []byte {
		tb, err := Run(context.Background(), p, Options{Rows: 5000, Seed: seed}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := datasets.WriteCSV(&buf, tb); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := encode(42), encode(42), encode(43)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different data")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same data")
	}
	// Machines of the same type with the same seed get different histories.
	other, _ := profiles.FleetProfile("motor_weg_w22_003")
	tb1, _ := Run(context.Background(), p, Options{Rows: 2000, Seed: 1}, nil)
	tb2, _ := Run(context.Background(), other, Options{Rows: 2000, Seed: 1}, nil)
	if slices.Equal(tb1.Column(ColRUL).Ints, tb2.Column(ColRUL).Ints) {
		t.Error("two motors with the same seed have identical RUL labels")
	}
}

func TestRunCancelAndProgress(t *testing.T) {
	p := motor(t)
	ctx, cancel := context.WithCancel(context.Background())
	var calls []float64
	_, err := Run(ctx, p, Options{Rows: MaxRows}, func(f float64) {
		calls = append(calls, f)
		if f > 0.3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if last := calls[len(calls)-1]; last > 0.35 {
		t.Errorf("kept going after cancel: last progress %v", last)
	}
	calls = nil
	if _, err := Run(context.Background(), p, Options{}, func(f float64) { calls = append(calls, f) }); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(calls) || calls[len(calls)-1] != 1 || len(calls) > 110 || len(calls) < 10 {
		t.Errorf("progress calls: %d, sorted %v, last %v", len(calls), slices.IsSorted(calls), calls[len(calls)-1])
	}
}

// TestFleetLearnable simulates every built-in machine at the default size and checks that the
// labelled degradation is visible in the data: every health state occurs, every failure mode
// occurs, and for every failure mode the affected sensors' levels move in the profile's
// direction from health state 0 to 3 (never back by more than a small tolerance), by a clear
// margin overall.
//
// Sensors also follow the operating regime and carry a small offset per episode (each repair
// leaves the machine a little different), and the few rows of a late health state may happen
// to fall into a different regime or episode mix than the healthy rows, which would masquerade
// as (or hide) degradation. So the level of each health state is estimated together with a
// level per regime and per episode in an additive model (sensor ≈ regime + unit + state
// effects, fitted by backfitting over the rows of the units that developed the mode). Rows
// shortly after a regime change (load and temperatures still settling), outlier rows and
// dropouts are left out.
func TestFleetLearnable(t *testing.T) {
	for _, p := range profiles.Fleet() {
		t.Run(p.MachineID, func(t *testing.T) {
			t.Parallel()
			seed := uint64(20240601)
			if s := os.Getenv("PDMSTUDIO_SIM_SEED"); s != "" { // to probe other seeds by hand
				seed, _ = strconv.ParseUint(s, 10, 64)
			}
			tb, err := Run(context.Background(), p, Options{Seed: seed}, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkLearnable(t, p, tb)
		})
	}
}

func checkLearnable(t *testing.T, p profiles.Profile, tb *datasets.Table) {
	hs := tb.Column(ColHealthState).Ints
	var states [4]int
	for _, h := range hs {
		states[h]++
	}
	for h, n := range states {
		if n == 0 {
			t.Errorf("health state %d never occurs (%v)", h, states)
		}
	}
	unit := tb.Column(ColUnit).Ints
	fm := tb.Column(ColFailureMode).Strings
	reg := tb.Column(ColRegime).Strings
	out := tb.Column(ColOutlier).Bools
	modeOfUnit := map[int64]string{}
	for i, m := range fm {
		if m != FailureModeNone {
			modeOfUnit[unit[i]] = m
		}
	}
	regimes := map[string]int{}
	for i, r := range p.Regimes {
		regimes[r.Name] = i
	}
	// settled[i]: the regime (and unit) has not changed for settleRows rows, so load and
	// temperatures have caught up with it.
	const settleRows = 8
	settled := make([]bool, len(hs))
	since := 0
	for i := range hs {
		if i == 0 || reg[i] != reg[i-1] || unit[i] != unit[i-1] {
			since = 0
		}
		since++
		settled[i] = since > settleRows
	}
	for _, mode := range p.FailureModes {
		if !slices.Contains(fm, mode.Name) {
			t.Errorf("failure mode %s never occurs", mode.Name)
			continue
		}
		for _, e := range mode.Effects {
			s, _ := p.Sensor(e.Sensor)
			col := tb.Column(e.Sensor)
			var ys []float64
			var rs, us, hss []int
			for i := range hs {
				if modeOfUnit[unit[i]] != mode.Name || out[i] || col.IsNull(i) || !settled[i] {
					continue
				}
				ys = append(ys, col.Floats[i])
				rs = append(rs, regimes[reg[i]])
				us = append(us, int(unit[i]))
				hss = append(hss, int(hs[i]))
			}
			level, seen := stateLevels(ys, rs, us, hss)
			span := s.NormalMax - s.NormalMin
			dir := float64(e.Direction)
			tol := 0.02 * span
			for h := 0; h < 3; h++ {
				if seen[h] && seen[h+1] && dir*(level[h+1]-level[h]) < -tol {
					t.Errorf("%s/%s: level goes the wrong way from state %d to %d: %.4g (direction %+d, tolerance %.3g %s)",
						mode.Name, e.Sensor, h, h+1, level, e.Direction, tol, s.Unit)
				}
			}
			if !seen[0] || !seen[3] {
				t.Errorf("%s: health states seen in its units: %v", mode.Name, seen)
				continue
			}
			// Overall the shift must be clear: at least a quarter of the shift at failure, or of the
			// room left before the instrument's physical limit clips it.
			room := s.PhysicalMax - s.NormalMax
			if dir < 0 {
				room = s.NormalMin - s.PhysicalMin
			}
			want := 0.25 * math.Min(e.Magnitude*span, math.Max(room, 0.1*span))
			if got := dir * (level[3] - level[0]); got < want {
				t.Errorf("%s/%s: moves %.4g %s from state 0 to 3, want ≥ %.4g (levels %.4g)", mode.Name, e.Sensor, got, s.Unit, want, level)
			}
		}
	}
}

// stateLevels fits y ≈ a[regime] + c[unit] + b[state] by backfitting and returns b (its
// absolute offset is arbitrary; differences between states are what count) and which states
// have rows.
func stateLevels(ys []float64, regime, unit, state []int) (b [4]float64, seen [4]bool) {
	factors := [][]int{regime, unit, state}
	effects := make([][]float64, len(factors))
	for f, idx := range factors {
		effects[f] = make([]float64, slices.Max(idx)+1)
	}
	for iter := 0; iter < 50; iter++ {
		for f, idx := range factors {
			sum := make([]float64, len(effects[f]))
			n := make([]int, len(effects[f]))
			for i, y := range ys {
				r := y
				for g, other := range factors {
					if g != f {
						r -= effects[g][other[i]]
					}
				}
				sum[idx[i]] += r
				n[idx[i]]++
			}
			for k := range sum {
				if n[k] > 0 {
					effects[f][k] = sum[k] / float64(n[k])
				}
			}
		}
	}
	for _, h := range state {
		seen[h] = true
	}
	copy(b[:], effects[2])
	return b, seen
}

// BenchmarkSimulateAndWriteParquet measures generating 100,000 rows, alone, followed by the
// Parquet write (the seed-data job), and followed by a plain CSV write as a baseline.
func BenchmarkSimulateAndWriteParquet(b *testing.B) {
	p := motor(b)
	dir := b.TempDir()
	run := func(b *testing.B) *datasets.Table {
		tb, err := Run(context.Background(), p, Options{Rows: MaxRows, Seed: 1}, nil)
		if err != nil {
			b.Fatal(err)
		}
		return tb
	}
	b.Run("simulate", func(b *testing.B) {
		measure(b, func() { run(b) })
	})
	b.Run("simulate+parquet", func(b *testing.B) {
		measure(b, func() {
			if err := datasets.WriteParquet(filepath.Join(dir, "seed.parquet"), run(b)); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("simulate+csv_baseline", func(b *testing.B) {
		measure(b, func() {
			if err := datasets.WriteCSVFile(filepath.Join(dir, "seed.csv"), run(b)); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// measure runs f b.N times and reports CPU time per operation (see processCPU) and rows per
// second of wall time.
func measure(b *testing.B, f func()) {
	b.Helper()
	cpu0 := processCPU()
	for b.Loop() {
		f()
	}
	b.ReportMetric((processCPU()-cpu0)*1e3/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(MaxRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
