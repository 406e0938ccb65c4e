// Package knowledge holds PdM Studio's equipment manuals — one per machine type, plus general
// condition-monitoring guidance — embedded in the binary as Markdown, and finds the passages
// that ground the assistant's answers and explanations.
//
// Documents are cut at their headings: every heading (##, ###, ####) starts a [Chunk] whose
// source is the document title and the heading path ("Failure modes > Bearing wear
// (bearing_wear)"). [Index.Search] ranks chunks with BM25 (Okapi, k1 = 1.2, b = 0.75) over
// Snowball-stemmed words; the heading path counts twice, and a machine type filters or boosts
// its own manual. Every answer built on a passage cites it through [Chunk.Source].
//
// Why a small BM25 of our own rather than a search library: the corpus is a few hundred
// chunks known at build time, ranking takes microseconds, and the whole scorer is one page
// that tests can pin down. bleve (the one mature Go full-text engine on the module proxy)
// would add dozens of modules and an index format for nothing we need. Stemming is the one
// part worth borrowing: github.com/kljensen/snowball (Porter2, pure Go, no dependencies).
//
// Manual conventions the code relies on (TestManualConventions checks them): the first line
// is "# Title"; a machine manual is named manuals/<machine_type>.md and has a "## Failure
// modes" section with one "### Name (`failure_mode`)" subsection per failure mode of that
// type in the built-in profiles, each holding "**Confirm.**" and "**Act.**" paragraphs.
package knowledge

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"pdmstudio/backend/profiles"
)

//go:embed manuals/*.md
var manualFS embed.FS

// Document is one Markdown document.
type Document struct {
	// ID is the file name without ".md", e.g. "motor", "condition-monitoring".
	ID string `json:"id"`
	// Title is the document's "# " heading.
	Title string `json:"title"`
	// MachineType is the machine type a manual covers ("" for general documents).
	MachineType string `json:"machine_type,omitempty"`
	// Markdown is the full text.
	Markdown string `json:"markdown,omitempty"`
}

// Source names where a passage comes from: the document title and the heading path.
type Source struct {
	Document string `json:"document"`
	Section  string `json:"section"`
}

// String is "Document › Section".
func (s Source) String() string { return s.Document + " › " + s.Section }

// Chunk is the text under one heading (up to the next heading).
type Chunk struct {
	// ID is the chunk's position in the index.
	ID int `json:"id"`
	// DocID and Document are the document's id and title.
	DocID    string `json:"doc_id"`
	Document string `json:"document"`
	// MachineType is the document's machine type ("" for general documents).
	MachineType string `json:"machine_type,omitempty"`
	// Section is the heading path below the title, e.g. "Failure modes > Bearing wear
	// (bearing_wear)"; "Introduction" for text before the first "##" heading.
	Section string `json:"section"`
	// Heading is the last element of Section.
	Heading string `json:"heading"`
	// Level is the heading level (2 for "##"; 1 for the introduction).
	Level int `json:"level"`
	// Text is the Markdown under the heading, without the heading line.
	Text string `json:"text"`
}

// Source returns the chunk's citation.
func (c Chunk) Source() Source { return Source{Document: c.Document, Section: c.Section} }

// SectionSeparator joins the headings of a section path.
const SectionSeparator = " > "

// Parse reads a Markdown document into its chunks. machineType is "" for general documents.
// The title is the first "# " heading (required); headings inside ``` fences are text.
func Parse(id, machineType, markdown string) (Document, []Chunk, error) {
	doc := Document{ID: id, MachineType: machineType, Markdown: markdown}
	var chunks []Chunk
	var stack []string // headings at levels 2, 3, 4 …
	var body []string
	cur := Chunk{Section: "Introduction", Heading: "Introduction", Level: 1}
	flush := func() {
		text := strings.TrimSpace(strings.Join(body, "\n"))
		if text != "" {
			cur.Text = text
			chunks = append(chunks, cur)
		}
		body = body[:0]
	}
	fenced := false
	for _, line := range strings.Split(strings.ReplaceAll(markdown, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
		}
		level, heading := headingOf(line)
		if fenced || level == 0 {
			if doc.Title != "" || strings.TrimSpace(line) == "" {
				body = append(body, line)
				continue
			}
			return doc, nil, fmt.Errorf("%s: text before the \"# Title\" line", id)
		}
		if level == 1 {
			if doc.Title != "" {
				return doc, nil, fmt.Errorf("%s: a second \"# \" title %q", id, heading)
			}
			doc.Title = heading
			continue
		}
		if doc.Title == "" {
			return doc, nil, fmt.Errorf("%s: heading %q before the \"# Title\" line", id, heading)
		}
		flush()
		depth := level - 2
		if depth > len(stack) {
			return doc, nil, fmt.Errorf("%s: heading %q skips a level", id, heading)
		}
		stack = append(stack[:depth], heading)
		cur = Chunk{Section: strings.Join(stack, SectionSeparator), Heading: heading, Level: level}
	}
	flush()
	if doc.Title == "" {
		return doc, nil, fmt.Errorf("%s: no \"# Title\" line", id)
	}
	for i := range chunks {
		chunks[i].DocID, chunks[i].Document, chunks[i].MachineType = id, doc.Title, machineType
	}
	return doc, chunks, nil
}

// headingOf returns the level and text of an ATX heading line ("## Text"), or 0. Inline code
// marks are dropped from the text: "Bearing wear (`bearing_wear`)" → "Bearing wear (bearing_wear)".
func headingOf(line string) (int, string) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(line) || line[n] != ' ' {
		return 0, ""
	}
	text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[n:]), "#"))
	return n, strings.ReplaceAll(text, "`", "")
}

// Index is a searchable set of documents. It is immutable and safe for concurrent use.
type Index struct {
	docs   []Document
	chunks []Chunk
	bm     bm25
}

// New builds an index over documents given as (id, machine type, Markdown).
func New(docs ...Document) (*Index, error) {
	ix := &Index{}
	for _, d := range docs {
		doc, chunks, err := Parse(d.ID, d.MachineType, d.Markdown)
		if err != nil {
			return nil, err
		}
		for _, c := range chunks {
			c.ID = len(ix.chunks)
			ix.chunks = append(ix.chunks, c)
		}
		ix.docs = append(ix.docs, doc)
	}
	ix.bm = newBM25(ix.chunks)
	return ix, nil
}

var defaultIndex = sync.OnceValues(func() (*Index, error) {
	docs, err := Embedded()
	if err != nil {
		return nil, err
	}
	return New(docs...)
})

// Default returns the index over the embedded manuals, built once. The manuals are tested,
// so an error here means a broken build; it panics rather than make every caller handle it.
func Default() *Index {
	ix, err := defaultIndex()
	if err != nil {
		panic(fmt.Sprintf("knowledge: embedded manuals: %v", err))
	}
	return ix
}

// Embedded returns the embedded documents: manuals/<machine_type>.md for each machine type
// of [profiles.Types] and the general documents (any other manuals/*.md), sorted by id.
func Embedded() ([]Document, error) {
	files, err := fs.Glob(manualFS, "manuals/*.md")
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	types := map[string]bool{}
	for _, t := range profiles.Types() {
		types[t.Type] = true
	}
	var docs []Document
	for _, f := range files {
		data, err := manualFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		id := strings.TrimSuffix(path.Base(f), ".md")
		d := Document{ID: id, Markdown: string(data)}
		if types[id] {
			d.MachineType = id
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// Documents lists the indexed documents (Markdown left out; see [Index.Document]).
func (ix *Index) Documents() []Document {
	out := make([]Document, len(ix.docs))
	for i, d := range ix.docs {
		d.Markdown = ""
		out[i] = d
	}
	return out
}

// Document returns one document with its Markdown.
func (ix *Index) Document(id string) (Document, bool) {
	for _, d := range ix.docs {
		if d.ID == id {
			return d, true
		}
	}
	return Document{}, false
}

// Manual returns the manual of a machine type.
func (ix *Index) Manual(machineType string) (Document, bool) {
	for _, d := range ix.docs {
		if d.MachineType == machineType && machineType != "" {
			return d, true
		}
	}
	return Document{}, false
}

// Chunks returns every chunk, in document order.
func (ix *Index) Chunks() []Chunk { return slices.Clone(ix.chunks) }

// FailureMode returns the section of a machine type's manual about a failure mode (the
// heading that names it in parentheses, e.g. "Bearing wear (bearing_wear)").
func (ix *Index) FailureMode(machineType, failureMode string) (Chunk, bool) {
	mark := "(" + failureMode + ")"
	for _, c := range ix.chunks {
		if c.MachineType == machineType && machineType != "" && strings.HasSuffix(c.Heading, mark) {
			return c, true
		}
	}
	return Chunk{}, false
}

// Section returns the chunk of a document whose section path is section, or whose heading
// is section.
func (ix *Index) Section(docID, section string) (Chunk, bool) {
	for _, c := range ix.chunks {
		if c.DocID == docID && (c.Section == section || c.Heading == section) {
			return c, true
		}
	}
	return Chunk{}, false
}

// Paragraph returns the text of the paragraph of c that starts with the bold label, e.g.
// Paragraph(c, "Act.") for "**Act.** …", without the label; a list right after the label
// line belongs to it. "" when there is none.
func (c Chunk) Paragraph(label string) string {
	mark := "**" + label + "**"
	lines := strings.Split(c.Text, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), mark) {
			continue
		}
		out := []string{strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), mark))}
		for _, next := range lines[i+1:] {
			t := strings.TrimSpace(next)
			if t == "" || strings.HasPrefix(t, "**") {
				break
			}
			out = append(out, t)
		}
		return strings.TrimSpace(strings.Join(out, "\n"))
	}
	return ""
}

// ListItems returns the "- " items of a paragraph's text (see [Chunk.Paragraph]).
func ListItems(text string) []string {
	var items []string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "- ") {
			items = append(items, strings.TrimSpace(t[2:]))
		}
	}
	return items
}
