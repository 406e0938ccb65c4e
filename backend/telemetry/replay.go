package telemetry

import (
	"hash/fnv"
	"math"
	"os"
	"sort"
	"strconv"
	"time"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/ml"
	"pdmstudio/backend/store"
)

// Source kinds: where a machine's telemetry comes from.
const (
	SourceTest   = "test"   // replay of the held-out synthetic test set
	SourceSeed   = "seed"   // replay of the seed data (no test set yet)
	SourceImport = "import" // readings the user imported (not replayed further)
)

// Column names of the seed-data layout the models read (see backend/simulate).
const (
	groupColumn = "unit"
	orderColumn = "timestamp"
)

// replay is one machine's telemetry: its source table and the next row to replay.
type replay struct {
	machineID string
	kind      string
	path      string
	rel       string // an import's file relative to the machine's folder
	mod       time.Time
	size      int64
	table     *datasets.Table
	group     *datasets.Column // episode id, nil when the source has none
	position  int              // next source row; rows [0, position) have arrived
	seq       int64            // last reading's sequence number
	// stepHours converts the models' RUL (rows of the seed data's cadence) into hours.
	stepHours float64
	// dirty marks a source position not yet stored.
	dirty bool
	// episodeFirst is the first row of the episode window last found (a hint; checked).
	episodeFirst int
}

var nanValue = math.NaN()

// rows is the number of rows in the source.
func (r *replay) rows() int { return r.table.NumRows() }

// startPosition is where a new replay starts: a point past the first history window that
// differs per machine, so a fresh fleet is not in lockstep.
func startPosition(machineID string, rows, history int) int {
	if rows <= history+1 {
		return rows
	}
	h := fnv.New64a()
	h.Write([]byte(machineID))
	return history + int(h.Sum64()%uint64(rows-history))
}

// advance replays the next n source rows (looping back to the start at the end of a test or
// seed source; an import does not advance past its end) and returns them as readings time
// stamped evenly over the interval that ends at now.
func (r *replay) advance(n int, now time.Time, interval time.Duration, sensors []string) []store.Reading {
	if r.kind == SourceImport || r.rows() == 0 || n <= 0 {
		return nil
	}
	out := make([]store.Reading, 0, n)
	step := interval / time.Duration(n)
	for i := 0; i < n; i++ {
		if r.position >= r.rows() {
			r.position = 0
		}
		ts := now.Add(-time.Duration(n-1-i) * step)
		out = append(out, r.reading(r.position, ts, sensors))
		r.position++
	}
	r.dirty = true
	return out
}

// backfill returns the last n rows before the position as readings back-dated one step apart
// ending at now (the history a new replay starts with).
func (r *replay) backfill(n int, now time.Time, step time.Duration, sensors []string) []store.Reading {
	lo := max(0, r.position-n)
	out := make([]store.Reading, 0, r.position-lo)
	for i := lo; i < r.position; i++ {
		out = append(out, r.reading(i, now.Add(-time.Duration(r.position-1-i)*step), sensors))
	}
	return out
}

func (r *replay) reading(row int, ts time.Time, sensors []string) store.Reading {
	r.seq++
	vals := make(map[string]*float64, len(sensors))
	for _, s := range sensors {
		c := r.table.Column(s)
		if c == nil {
			vals[s] = nil
			continue
		}
		if v, ok := c.Number(row); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals[s] = &v
		} else {
			vals[s] = nil
		}
	}
	return store.Reading{Seq: r.seq, Time: ts.UTC().Format(time.RFC3339Nano), Cycle: int64(row), Values: vals}
}

// window returns the rows the models predict from: up to history rows ending at the latest
// replayed row, within its episode, and, for models that read the asset's own baseline (base
// > 0, [ml.Model.BaseRows]), the episode's first base rows ahead of them when the episode began
// earlier (the table's Meta says how many lead: [ml.BaseRowsOf]). Without such a prefix the
// columns share the source's memory (no copy).
func (r *replay) window(history, base int) *datasets.Table {
	hi := r.position
	if hi <= 0 {
		hi = min(1, r.rows())
	}
	lo := max(0, hi-history)
	if r.group != nil && hi > 0 {
		last := r.group.Text(hi - 1)
		for k := hi - 2; k >= lo; k-- {
			if r.group.Text(k) != last {
				lo = k + 1
				break
			}
		}
	}
	if base <= 0 || lo == 0 || (r.group != nil && r.group.Text(lo-1) != r.group.Text(hi-1)) {
		return sliceTable(r.table, lo, hi)
	}
	// The episode began before the window: find its first row (kept from the last call while
	// it is still the episode's first row).
	first := 0
	if r.group != nil {
		g := r.group.Text(hi - 1)
		first = r.episodeFirst
		if first >= lo || r.group.Text(first) != g || (first > 0 && r.group.Text(first-1) == g) {
			first = lo - 1
			for first > 0 && r.group.Text(first-1) == g {
				first--
			}
		}
		r.episodeFirst = first
	}
	head := min(base, lo-first)
	idx := make([]int, 0, head+hi-lo)
	for k := first; k < first+head; k++ {
		idx = append(idx, k)
	}
	for k := lo; k < hi; k++ {
		idx = append(idx, k)
	}
	t := datasets.Take(r.table, idx)
	t.Meta = map[string]string{ml.MetaBaseRows: strconv.Itoa(head)}
	for k, v := range r.table.Meta {
		if _, ok := t.Meta[k]; !ok {
			t.Meta[k] = v
		}
	}
	return t
}

// latestLookback is how many rows latest looks back past missing readings (sensor dropouts).
const latestLookback = 20

// latest returns the latest value of column name among the replayed rows, looking back past
// missing readings up to latestLookback rows (nil: none).
func (r *replay) latest(name string) *float64 {
	c := r.table.Column(name)
	if c == nil {
		return nil
	}
	for row := min(r.position, c.Len()) - 1; row >= 0 && row >= r.position-latestLookback; row-- {
		if v, ok := c.Number(row); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return &v
		}
	}
	return nil
}

// sliceTable returns rows [lo, hi) of t as a table sharing t's memory.
func sliceTable(t *datasets.Table, lo, hi int) *datasets.Table {
	cols := make([]*datasets.Column, len(t.Columns))
	for i, c := range t.Columns {
		s := &datasets.Column{Name: c.Name, Type: c.Type, Meta: c.Meta}
		switch c.Type {
		case datasets.Float:
			s.Floats = c.Floats[lo:hi]
		case datasets.Int:
			s.Ints = c.Ints[lo:hi]
		case datasets.String:
			s.Strings = c.Strings[lo:hi]
		case datasets.Bool:
			s.Bools = c.Bools[lo:hi]
		case datasets.Timestamp:
			s.Times = c.Times[lo:hi]
		}
		if c.Nulls != nil {
			s.Nulls = c.Nulls[lo:hi]
		}
		cols[i] = s
	}
	return &datasets.Table{Columns: cols, Meta: t.Meta}
}

// stepHoursOf returns the hours between rows from a table's step_seconds metadata, or from the
// median gap of its timestamp column, or one minute.
func stepHoursOf(t *datasets.Table) float64 {
	if t == nil {
		return 1.0 / 60
	}
	if s, err := strconv.ParseFloat(t.Meta["step_seconds"], 64); err == nil && s > 0 {
		return s / 3600
	}
	if c := t.Column(orderColumn); c != nil && c.Type == datasets.Timestamp && len(c.Times) > 2 {
		gaps := make([]float64, 0, len(c.Times)-1)
		for i := 1; i < len(c.Times); i++ {
			if d := c.Times[i] - c.Times[i-1]; d > 0 {
				gaps = append(gaps, float64(d))
			}
		}
		if len(gaps) > 0 {
			sort.Float64s(gaps)
			return gaps[len(gaps)/2] / 3.6e6
		}
	}
	return 1.0 / 60
}

// fileStamp returns a file's modification time and size.
func fileStamp(path string) (time.Time, int64, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}, 0, false
	}
	return st.ModTime(), st.Size(), true
}
