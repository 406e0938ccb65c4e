package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Documents are first parsed into a small generic tree (node), then mapped onto Profile by
// mapper.go. The tree keeps each value's source location (JSON/YAML line, XLSX cell), so type
// errors name both the profile field path and where in the file it is, and the mapping is the
// same code for all three formats.

// Limits on parsed documents. A real profile is a few hundred values, at most five levels deep.
const (
	maxDepth = 32      // nesting of objects and lists
	maxNodes = 100_000 // values (after YAML alias expansion)
)

type nodeKind int

const (
	kNull nodeKind = iota
	kString
	kNumber
	kBool
	kObject
	kArray
)

func (k nodeKind) String() string {
	switch k {
	case kNull:
		return "null"
	case kString:
		return "string"
	case kNumber:
		return "number"
	case kBool:
		return "boolean"
	case kObject:
		return "object"
	case kArray:
		return "list"
	}
	return "value"
}

type member struct {
	key string
	val *node
}

type node struct {
	kind nodeKind
	// text is the string value, or the literal source text of a number or boolean.
	text string
	num  float64
	b    bool
	obj  []member
	arr  []*node
	// loose marks a value whose type the source did not state: an unquoted YAML scalar or an XLSX
	// cell. It may be read as a string (using text), and an XLSX cell as a number or boolean.
	loose bool
	// cell marks an XLSX cell: its text may be parsed as a number or boolean.
	cell bool
	line int    // source line (JSON, YAML); 0 if unknown
	ref  string // other source location ("Sensors!E4", "Sensors row 5"); may be empty
}

// where says where the value came from: "Sensors!E4", "line 12" or "".
func (n *node) where() string {
	switch {
	case n.ref != "":
		return n.ref
	case n.line > 0:
		return "line " + strconv.Itoa(n.line)
	}
	return ""
}

// syntaxError is a document that could not be parsed at all.
func syntaxError(format Format, loc, msg string) error {
	where := ""
	if loc != "" {
		where = " (" + loc + ")"
	}
	return badInput(fmt.Sprintf("the %s file could not be read: %s%s", format.label(), msg, where))
}

// checkText rejects text that is not UTF-8 and strips a UTF-8 byte order mark.
func checkText(data []byte, format Format) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, syntaxError(format, "", "the file is empty")
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, syntaxError(format, "", "the file is UTF-16 encoded; save it as UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		return nil, syntaxError(format, lineAt(data, off),
			fmt.Sprintf("the file is not valid UTF-8 text (bad byte 0x%02X at offset %d); save it as UTF-8", data[off], off))
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, syntaxError(format, lineAt(data, i), "the file contains a NUL byte; is it a binary file?")
	}
	return data, nil
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

func lineAt(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	return "line " + strconv.Itoa(bytes.Count(data[:off], []byte{'\n'})+1)
}

// ---- JSON ----

// parseJSON reads one JSON object into a tree. It reports duplicate keys, excess nesting and
// trailing data, which encoding/json would silently accept or hide.
func parseJSON(data []byte) (*node, error) {
	data, err := checkText(data, FormatJSON)
	if err != nil {
		return nil, err
	}
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	root, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, syntaxError(FormatJSON, p.loc(), "unexpected data after the end of the JSON object")
	}
	if root.kind != kObject {
		return nil, syntaxError(FormatJSON, root.where(), "the document must be a JSON object {…}, not a "+root.kind.String())
	}
	return root, nil
}

type jsonParser struct {
	data  []byte
	dec   *json.Decoder
	nodes int
	// line is the line number at offset off; offsets only grow, so counting newlines from the
	// last position keeps locating values linear in the file size.
	off, line int
}

func (p *jsonParser) lineNo() int {
	o := min(max(int(p.dec.InputOffset()), 0), len(p.data))
	if o < p.off {
		return bytes.Count(p.data[:o], []byte{'\n'}) + 1
	}
	if p.line == 0 {
		p.line = 1
	}
	p.line += bytes.Count(p.data[p.off:o], []byte{'\n'})
	p.off = o
	return p.line
}

func (p *jsonParser) loc() string { return "line " + strconv.Itoa(p.lineNo()) }

func (p *jsonParser) fail(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return syntaxError(FormatJSON, lineAt(p.data, int(se.Offset)), se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return syntaxError(FormatJSON, p.loc(), "unexpected end of file; is it truncated?")
	}
	return syntaxError(FormatJSON, p.loc(), err.Error())
}

func (p *jsonParser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, syntaxError(FormatJSON, p.loc(), fmt.Sprintf("the document is nested more than %d levels deep", maxDepth))
	}
	if p.nodes++; p.nodes > maxNodes {
		return nil, syntaxError(FormatJSON, p.loc(), fmt.Sprintf("the document has more than %d values", maxNodes))
	}
	line := p.lineNo()
	loc := func() string { return "line " + strconv.Itoa(line) }
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.fail(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: kObject, line: line}
			seen := map[string]bool{}
			for p.dec.More() {
				kloc := p.loc()
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.fail(err)
				}
				key, _ := kt.(string)
				if seen[key] {
					return nil, syntaxError(FormatJSON, kloc, fmt.Sprintf("key %q appears twice in the same object", key))
				}
				seen[key] = true
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.obj = append(n.obj, member{key, v})
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.fail(err)
			}
			return n, nil
		case '[':
			n := &node{kind: kArray, line: line}
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.arr = append(n.arr, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.fail(err)
			}
			return n, nil
		}
		return nil, syntaxError(FormatJSON, loc(), fmt.Sprintf("unexpected %q", t))
	case string:
		return &node{kind: kString, text: t, line: line}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		n := &node{kind: kNumber, text: string(t), num: f, line: line}
		if err != nil {
			n.num = math.Inf(1) // out of range; the mapper reports it as not finite
		}
		return n, nil
	case bool:
		return &node{kind: kBool, b: t, text: strconv.FormatBool(t), line: line}, nil
	case nil:
		return &node{kind: kNull, text: "null", line: line}, nil
	}
	return nil, syntaxError(FormatJSON, loc(), fmt.Sprintf("unexpected token %v", tok))
}

// ---- YAML ----

// parseYAML reads one YAML document into a tree. The YAML parser builds a node graph without
// expanding aliases; this function expands them itself with a budget, so an alias bomb ("billion
// laughs") costs at most maxNodes values and is refused with a clear error.
func parseYAML(data []byte) (root *node, err error) {
	data, err = checkText(data, FormatYAML)
	if err != nil {
		return nil, err
	}
	// The YAML parser holds the whole node graph in memory (~150 bytes a value); refuse documents
	// that plainly hold more values than any profile before handing them to it.
	if n := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{','}); n > maxNodes {
		return nil, syntaxError(FormatYAML, "", fmt.Sprintf("the document has more than %d lines or list items; a profile is far smaller", maxNodes))
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := safeYAML(func() error { return dec.Decode(&doc) }); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, syntaxError(FormatYAML, "", "the file holds no YAML document")
		}
		return nil, syntaxError(FormatYAML, "", yamlMessage(err, data))
	}
	var extra yaml.Node
	if err := safeYAML(func() error { return dec.Decode(&extra) }); err == nil {
		return nil, syntaxError(FormatYAML, fmt.Sprintf("line %d", extra.Line), "the file holds more than one YAML document (a second '---'); put one profile per file")
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(FormatYAML, "", yamlMessage(err, data))
	}
	top := &doc
	// Measure the expanded document first (memoised per node, so linear in the file): an alias
	// bomb is refused before a single value of it is built.
	if _, err := yamlSize(top, map[*yaml.Node]int{}, map[*yaml.Node]bool{}, 0); err != nil {
		return nil, err
	}
	c := &yamlConv{}
	if top.Kind == yaml.DocumentNode {
		if len(top.Content) == 0 {
			return nil, syntaxError(FormatYAML, "", "the file holds no YAML document")
		}
		top = top.Content[0]
	}
	root, err = c.conv(top, 0, nil)
	if err != nil {
		return nil, err
	}
	if root.kind != kObject {
		return nil, syntaxError(FormatYAML, root.where(), "the document must be a YAML mapping (key: value lines), not a "+root.kind.String())
	}
	return root, nil
}

// safeYAML runs a YAML parser call and turns a panic inside the third-party parser into an
// error, so hostile input can never take the application down.
func safeYAML(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML (%v)", r)
		}
	}()
	return f()
}

func yamlMessage(err error, data []byte) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	switch {
	case strings.Contains(msg, "exceeded max depth"):
		return "the document is nested too deeply"
	case strings.Contains(msg, "found character that cannot start any token") && bytes.ContainsRune(data, '\t'):
		return msg + " (YAML does not allow tabs for indentation; use spaces)"
	}
	return msg
}

// yamlSize returns how many values n stands for once aliases are expanded, refusing documents
// beyond maxNodes values or maxDepth levels and aliases that contain themselves.
func yamlSize(n *yaml.Node, memo map[*yaml.Node]int, active map[*yaml.Node]bool, depth int) (int, error) {
	if depth > maxDepth+1 { // +1: the document node itself
		return 0, syntaxError(FormatYAML, "line "+strconv.Itoa(n.Line), fmt.Sprintf("the document is nested more than %d levels deep", maxDepth))
	}
	if v, ok := memo[n]; ok {
		return v, nil
	}
	if active[n] {
		return 0, syntaxError(FormatYAML, "line "+strconv.Itoa(n.Line), "an alias refers to a value that contains it")
	}
	active[n] = true
	defer delete(active, n)
	size := 1
	children := n.Content
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		children = []*yaml.Node{n.Alias}
	}
	for _, ch := range children {
		cs, err := yamlSize(ch, memo, active, depth+1)
		if err != nil {
			return 0, err
		}
		if size += cs; size > maxNodes {
			return 0, syntaxError(FormatYAML, "line "+strconv.Itoa(n.Line), fmt.Sprintf("the document expands to more than %d values (too many aliases?)", maxNodes))
		}
	}
	memo[n] = size
	return size, nil
}

type yamlConv struct {
	nodes int
}

func (c *yamlConv) conv(n *yaml.Node, depth int, active []*yaml.Node) (*node, error) {
	line := n.Line
	loc := func() string { return "line " + strconv.Itoa(line) }
	if depth > maxDepth {
		return nil, syntaxError(FormatYAML, loc(), fmt.Sprintf("the document is nested more than %d levels deep", maxDepth))
	}
	if c.nodes++; c.nodes > maxNodes {
		return nil, syntaxError(FormatYAML, loc(), fmt.Sprintf("the document expands to more than %d values (too many aliases?)", maxNodes))
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, syntaxError(FormatYAML, loc(), "alias to an unknown anchor")
		}
		for _, a := range active {
			if a == n.Alias {
				return nil, syntaxError(FormatYAML, loc(), "alias *"+n.Value+" refers to a value that contains it")
			}
		}
		return c.conv(n.Alias, depth+1, append(active, n.Alias))
	case yaml.MappingNode:
		out := &node{kind: kObject, line: line}
		if len(n.Content)%2 != 0 {
			return nil, syntaxError(FormatYAML, loc(), "malformed mapping")
		}
		seen := map[string]bool{}
		var merges []*node
		for i := 0; i < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, syntaxError(FormatYAML, fmt.Sprintf("line %d", k.Line), "a mapping key must be a plain name, not a list or mapping")
			}
			if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0 && k.ShortTag() == "!!merge") {
				mv, err := c.conv(v, depth+1, active)
				if err != nil {
					return nil, err
				}
				switch mv.kind {
				case kObject:
					merges = append(merges, mv)
				case kArray:
					for _, e := range mv.arr {
						if e.kind != kObject {
							return nil, syntaxError(FormatYAML, e.where(), "a merge key (<<) must refer to mappings")
						}
						merges = append(merges, e)
					}
				default:
					return nil, syntaxError(FormatYAML, mv.where(), "a merge key (<<) must refer to a mapping")
				}
				continue
			}
			if seen[k.Value] {
				return nil, syntaxError(FormatYAML, fmt.Sprintf("line %d", k.Line), fmt.Sprintf("key %q appears twice in the same mapping", k.Value))
			}
			seen[k.Value] = true
			cv, err := c.conv(v, depth+1, active)
			if err != nil {
				return nil, err
			}
			out.obj = append(out.obj, member{k.Value, cv})
		}
		// Merged keys come first and never override explicit keys (YAML merge semantics).
		for _, m := range merges {
			for _, mem := range m.obj {
				if !seen[mem.key] {
					seen[mem.key] = true
					out.obj = append(out.obj, mem)
				}
			}
		}
		return out, nil
	case yaml.SequenceNode:
		out := &node{kind: kArray, line: line}
		for _, e := range n.Content {
			ce, err := c.conv(e, depth+1, active)
			if err != nil {
				return nil, err
			}
			out.arr = append(out.arr, ce)
		}
		return out, nil
	case yaml.ScalarNode:
		return yamlScalar(n)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &node{kind: kNull, line: line}, nil
		}
		return c.conv(n.Content[0], depth+1, active)
	}
	return nil, syntaxError(FormatYAML, loc(), "unsupported YAML node")
}

func yamlScalar(n *yaml.Node) (*node, error) {
	plain := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	out := &node{text: n.Value, line: n.Line, loose: plain}
	switch n.ShortTag() {
	case "!!null":
		out.kind = kNull
	case "!!bool":
		var b bool
		if err := safeYAML(func() error { return n.Decode(&b) }); err != nil {
			out.kind = kString
			return out, nil
		}
		out.kind, out.b = kBool, b
	case "!!int", "!!float":
		var f float64
		if err := safeYAML(func() error { return n.Decode(&f) }); err != nil {
			// e.g. an integer too large for float64 conversion rules; keep the text and let the
			// mapper say it is out of range.
			out.kind, out.num = kNumber, math.Inf(1)
			return out, nil
		}
		out.kind, out.num = kNumber, f
	case "!!str", "!!timestamp":
		out.kind = kString
	case "!!binary":
		return nil, syntaxError(FormatYAML, out.where(), "binary values (!!binary) are not supported")
	default:
		// Unknown local tags (!foo): keep the text as a string.
		out.kind = kString
	}
	return out, nil
}
