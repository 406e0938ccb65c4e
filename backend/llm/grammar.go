package llm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Schema describes the JSON a model must produce; [Schema.Grammar] turns it into a GBNF
// grammar for llama.cpp's grammar sampler, so that the output always parses. It is a small,
// strict subset of JSON Schema: objects have fixed, required properties in a fixed order, and
// every string and array has a maximum length, so the output is bounded ([Schema.MaxBytes])
// and a generation given that many tokens always finishes the document.
type Schema struct {
	// Type is "object", "array", "string", "number", "integer" or "boolean".
	Type string `json:"type"`
	// Properties of an object, all required, written in this order.
	Properties []Property `json:"properties,omitempty"`
	// Items is the element schema of an array.
	Items *Schema `json:"items,omitempty"`
	// MinItems and MaxItems bound an array's length [0, 8].
	MinItems int `json:"min_items,omitempty"`
	MaxItems int `json:"max_items,omitempty"`
	// Enum restricts a string to these values.
	Enum []string `json:"enum,omitempty"`
	// MinLength and MaxLength bound a string's length in characters [0, 256].
	MinLength int `json:"min_length,omitempty"`
	MaxLength int `json:"max_length,omitempty"`
}

// Property is one object member.
type Property struct {
	Name   string `json:"name"`
	Schema Schema `json:"schema"`
}

// Defaults for unset bounds.
const (
	defaultMaxItems  = 8
	defaultMaxLength = 256
	// wsMax is the longest whitespace run the grammar allows between tokens: a newline and
	// up to 20 spaces or tabs of indentation (as llama.cpp's json.gbnf).
	wsMax = 21
)

// gbnfCommon are the shared rules: bounded whitespace and a JSON string character (no
// control characters; the escapes \" \\ \/ \n \t; no \u escapes, so every character costs
// at most 4 bytes).
const gbnfCommon = `ws ::= | " " | "\n" [ \t]{0,20}
char ::= [^"\\\x00-\x1F\x7F] | "\\" ["\\/nt]
`

// Grammar returns a GBNF grammar whose root rule produces exactly the JSON documents s
// describes (compact or indented).
func (s Schema) Grammar() (string, error) {
	g := &gbnf{}
	root, err := g.rule(s, "root")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if root != "root" {
		fmt.Fprintf(&b, "root ::= %s\n", root)
	}
	for _, r := range g.rules {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	b.WriteString(gbnfCommon)
	return b.String(), nil
}

type gbnf struct {
	rules []string
	n     int
}

func (g *gbnf) name(hint string) string {
	g.n++
	var b strings.Builder
	for _, r := range hint {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return fmt.Sprintf("%s-%d", strings.Trim(b.String(), "-"), g.n)
}

// rule adds the rules for s and returns the expression (usually a rule name) producing it.
func (g *gbnf) rule(s Schema, hint string) (string, error) {
	switch s.Type {
	case "object":
		if len(s.Properties) == 0 {
			return "", fmt.Errorf("%s: an object needs properties", hint)
		}
		seen := map[string]bool{}
		parts := []string{`"{" ws`}
		for i, p := range s.Properties {
			if p.Name == "" || seen[p.Name] {
				return "", fmt.Errorf("%s: property %d has an empty or repeated name %q", hint, i, p.Name)
			}
			seen[p.Name] = true
			v, err := g.rule(p.Schema, p.Name)
			if err != nil {
				return "", err
			}
			if i > 0 {
				parts = append(parts, `"," ws`)
			}
			parts = append(parts, literal(jsonString(p.Name)), `ws ":" ws`, v, "ws")
		}
		parts = append(parts, `"}"`)
		return g.add(hint, strings.Join(parts, " ")), nil
	case "array":
		if s.Items == nil {
			return "", fmt.Errorf("%s: an array needs items", hint)
		}
		lo, hi := s.MinItems, s.MaxItems
		if hi <= 0 {
			hi = defaultMaxItems
		}
		if lo < 0 || lo > hi {
			return "", fmt.Errorf("%s: min_items %d and max_items %d do not make a range", hint, lo, hi)
		}
		item, err := g.rule(*s.Items, hint+"-item")
		if err != nil {
			return "", err
		}
		body := item + " ws"
		if hi > 1 {
			body += fmt.Sprintf(` ( "," ws %s ws ){%d,%d}`, item, max(lo-1, 0), hi-1)
		}
		if lo == 0 {
			body = "( " + body + " )?"
		}
		return g.add(hint, `"[" ws `+body+` "]"`), nil
	case "string":
		if len(s.Enum) > 0 {
			alts := make([]string, len(s.Enum))
			for i, e := range s.Enum {
				alts[i] = literal(jsonString(e))
			}
			return g.add(hint, strings.Join(alts, " | ")), nil
		}
		lo, hi := s.MinLength, s.MaxLength
		if hi <= 0 {
			hi = defaultMaxLength
		}
		if lo < 0 || lo > hi {
			return "", fmt.Errorf("%s: min_length %d and max_length %d do not make a range", hint, lo, hi)
		}
		return g.add(hint, fmt.Sprintf(`"\"" char{%d,%d} "\""`, lo, hi)), nil
	case "number":
		return g.add(hint, `"-"? ( "0" | [1-9] [0-9]{0,14} ) ( "." [0-9]{1,6} )?`), nil
	case "integer":
		return g.add(hint, `"-"? ( "0" | [1-9] [0-9]{0,14} )`), nil
	case "boolean":
		return g.add(hint, `"true" | "false"`), nil
	}
	return "", fmt.Errorf("%s: unknown type %q", hint, s.Type)
}

func (g *gbnf) add(hint, body string) string {
	name := g.name(hint)
	g.rules = append(g.rules, name+" ::= "+body)
	return name
}

// jsonString is s as a JSON string literal.
func jsonString(s string) string { return strconv.Quote(s) }

// literal is a GBNF string literal that matches text exactly.
func literal(text string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range text {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// MaxBytes is the longest output the grammar of s allows, in bytes. Every generated token
// adds at least one byte (llama.cpp's grammar sampler refuses empty pieces), so a generation
// with this many tokens always completes the document.
func (s Schema) MaxBytes() int {
	switch s.Type {
	case "object":
		n := 2 + wsMax
		for i, p := range s.Properties {
			if i > 0 {
				n += 1 + wsMax
			}
			n += len(jsonString(p.Name)) + 2*wsMax + 1 + p.Schema.MaxBytes() + wsMax
		}
		return n
	case "array":
		hi := s.MaxItems
		if hi <= 0 {
			hi = defaultMaxItems
		}
		item := 0
		if s.Items != nil {
			item = s.Items.MaxBytes()
		}
		return 2 + wsMax + hi*(item+wsMax) + (hi-1)*(1+wsMax)
	case "string":
		if len(s.Enum) > 0 {
			n := 0
			for _, e := range s.Enum {
				n = max(n, len(jsonString(e)))
			}
			return n
		}
		hi := s.MaxLength
		if hi <= 0 {
			hi = defaultMaxLength
		}
		return 2 + 4*hi
	case "number":
		return 1 + 15 + 1 + 6
	case "integer":
		return 16
	case "boolean":
		return 5
	}
	return 0
}

// ErrGrammar is wrapped by errors from a grammar llama.cpp refuses.
var ErrGrammar = errors.New("llama.cpp refused the grammar")
