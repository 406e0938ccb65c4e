package knowledge

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// BM25 parameters (Robertson/Spärck Jones defaults) and field weights.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// headingWeight is how many times a word of the section path counts.
	headingWeight = 2
	// Machine-type weighting when SearchOptions.MachineType is set and Only is false.
	ownManualBoost   = 1.5 // the machine type's own manual
	otherManualScale = 0.5 // other machine types' manuals (general documents stay at 1)
)

// SearchOptions narrow and shape a search.
type SearchOptions struct {
	// MachineType, when set, boosts that type's manual ×1.5 and damps other types' manuals
	// ×0.5; general documents keep their score.
	MachineType string
	// Only, with MachineType, searches only that manual and the general documents.
	Only bool
	// Limit is the number of passages returned [5].
	Limit int
}

// Passage is a chunk with its relevance to a query.
type Passage struct {
	Chunk
	Score float64 `json:"score"`
}

type bm25 struct {
	docs  []map[string]float64 // term → weighted frequency, per chunk
	lens  []float64            // weighted length per chunk
	avg   float64
	df    map[string]int
	total int
}

func newBM25(chunks []Chunk) bm25 {
	b := bm25{df: map[string]int{}, total: len(chunks)}
	sum := 0.0
	for _, c := range chunks {
		tf := map[string]float64{}
		n := 0.0
		for _, t := range Terms(c.Document + " " + c.Section) {
			tf[t] += headingWeight
			n += headingWeight
		}
		for _, t := range Terms(c.Text) {
			tf[t]++
			n++
		}
		for t := range tf {
			b.df[t]++
		}
		b.docs = append(b.docs, tf)
		b.lens = append(b.lens, n)
		sum += n
	}
	if len(chunks) > 0 {
		b.avg = sum / float64(len(chunks))
	}
	return b
}

// score is the BM25 score of chunk i for the query terms (repeats count once).
func (b *bm25) score(i int, terms []string) float64 {
	s := 0.0
	tf := b.docs[i]
	for _, t := range terms {
		f := tf[t]
		if f == 0 {
			continue
		}
		df := float64(b.df[t])
		idf := math.Log(1 + (float64(b.total)-df+0.5)/(df+0.5))
		s += idf * f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*b.lens[i]/b.avg))
	}
	return s
}

// Search returns the passages that best match query, best first; none when no query word
// occurs in the documents. Ties keep document order.
func (ix *Index) Search(query string, o SearchOptions) []Passage {
	limit := o.Limit
	if limit <= 0 {
		limit = 5
	}
	terms := uniq(Terms(query))
	if len(terms) == 0 {
		return nil
	}
	var out []Passage
	for i, c := range ix.chunks {
		w := 1.0
		if o.MachineType != "" && c.MachineType != "" {
			switch {
			case c.MachineType == o.MachineType:
				w = ownManualBoost
			case o.Only:
				continue
			default:
				w = otherManualScale
			}
		}
		if s := ix.bm.score(i, terms) * w; s > 0 {
			out = append(out, Passage{Chunk: c, Score: s})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// synonyms map shop-floor abbreviations to the words the manuals use (before stemming).
var synonyms = map[string]string{
	"temp": "temperature", "temps": "temperature", "vib": "vibration", "vibs": "vibration",
	"brg": "bearing", "brgs": "bearing", "amps": "current", "amp": "current", "amperage": "current",
	"de": "drive-end", "nde": "non-drive-end", "dp": "differential pressure", "rul": "remaining useful life",
	"hot": "temperature", "overheating": "temperature", "overheat": "temperature", "noisy": "noise",
	"loto": "lockout tagout", "vfd": "variable frequency drive", "egt": "exhaust gas temperature",
}

// Terms splits text into lower-case words (letters and digits; "_" and "-" split words),
// expands the abbreviations of the shop floor (temp → temperature, brg → bearing, …), drops
// English stop words and stems the rest with the Snowball English stemmer.
func Terms(text string) []string {
	var out []string
	add := func(w string) {
		if w == "" || english.IsStopWord(w) {
			return
		}
		if len(w) == 1 && !unicode.IsDigit(rune(w[0])) {
			return
		}
		out = append(out, english.Stem(w, false))
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if s, ok := synonyms[w]; ok {
			for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' }) {
				add(x)
			}
			continue
		}
		add(w)
	}
	return out
}

func uniq(ts []string) []string {
	seen := map[string]bool{}
	out := ts[:0:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// typeWords are the words by which a question names a machine type.
var typeWords = map[string][]string{
	"motor":           {"motor", "motors"},
	"pump":            {"pump", "pumps"},
	"compressor":      {"compressor", "compressors"},
	"cnc":             {"cnc", "lathe", "lathes", "spindle", "machining"},
	"fan":             {"fan", "fans", "blower", "blowers"},
	"gearbox":         {"gearbox", "gearboxes", "reducer"},
	"conveyor":        {"conveyor", "conveyors"},
	"hydraulic_press": {"press", "presses"},
	"turbine":         {"turbine", "turbines"},
	"chiller":         {"chiller", "chillers"},
}

// MachineTypeIn returns the machine type a question names ("why is my pump noisy?" → "pump"),
// or "" when it names none or several.
func MachineTypeIn(text string) string {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		words[w] = true
	}
	found := ""
	for typ, ws := range typeWords {
		for _, w := range ws {
			if words[w] {
				if found != "" && found != typ {
					return ""
				}
				found = typ
			}
		}
	}
	return found
}
