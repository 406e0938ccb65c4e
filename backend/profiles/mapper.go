package profiles

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"pdmstudio/backend/apperr"
)

// maxFieldErrors caps how many field problems one decode or validation reports; hostile input
// could otherwise produce megabytes of messages. The last entry says how many were left out.
const maxFieldErrors = 200

// fieldErrors collects field problems up to maxFieldErrors.
type fieldErrors struct {
	list    []apperr.FieldError
	dropped int
}

func (e *fieldErrors) add(field, msg string) {
	if len(e.list) >= maxFieldErrors {
		e.dropped++
		return
	}
	e.list = append(e.list, apperr.FieldError{Field: field, Message: msg})
}

// full reports whether further problems are only counted.
func (e *fieldErrors) full() bool { return len(e.list) >= maxFieldErrors }

func (e *fieldErrors) addf(field, format string, args ...any) {
	e.add(field, fmt.Sprintf(format, args...))
}

// merge appends o's problems, keeping the overall cap.
func (e *fieldErrors) merge(o fieldErrors) {
	for _, f := range o.list {
		e.add(f.Field, f.Message)
	}
	e.dropped += o.dropped
}

func (e *fieldErrors) empty() bool { return len(e.list) == 0 && e.dropped == 0 }

// result returns the problems, with a last entry saying how many were left out, if any.
func (e *fieldErrors) result() []apperr.FieldError {
	out := e.list
	if e.dropped > 0 {
		out = append(out, apperr.FieldError{Field: "", Message: fmt.Sprintf("… and %d more problems", e.dropped)})
	}
	return out
}

// mapTree maps a parsed document onto p, reporting every type problem, unknown field and missing
// required field with its profile path.
func mapTree(root *node, p *Profile) fieldErrors {
	m := &mapper{}
	m.value("", root, reflect.ValueOf(p).Elem())
	return m.errs
}

type mapper struct {
	errs fieldErrors
}

func (m *mapper) fail(path string, n *node, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if n != nil {
		if w := n.where(); w != "" {
			msg += " (" + w + ")"
		}
	}
	m.errs.add(path, msg)
}

func joinPath(path, key string) string {
	if !identPattern.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

var identPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// describe names what a node is, for "expected X, got Y" messages.
func describe(n *node) string {
	switch n.kind {
	case kString:
		return "a string (" + quoteShort(n.text) + ")"
	case kNumber:
		return "a number (" + short(n.text) + ")"
	case kBool:
		return "a boolean (" + n.text + ")"
	case kObject:
		return "an object"
	case kArray:
		return "a list"
	}
	return "null"
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func quoteShort(s string) string { return strconv.Quote(short(s)) }

func (m *mapper) value(path string, n *node, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		switch {
		case n.kind == kString:
			v.SetString(n.text)
		case n.kind == kNull:
			// an empty optional string; required ones are caught by validation
		case n.loose && (n.kind == kNumber || n.kind == kBool):
			v.SetString(n.text) // unquoted YAML such as `model: 2020`
		default:
			m.fail(path, n, "expected a string, got %s", describe(n))
		}
	case reflect.Float64:
		if f, ok := m.number(path, n); ok {
			v.SetFloat(f)
		}
	case reflect.Int:
		f, ok := m.number(path, n)
		if !ok {
			return
		}
		if f != math.Trunc(f) || math.Abs(f) > 1e9 {
			m.fail(path, n, "expected a whole number, got %s", short(n.text))
			return
		}
		v.SetInt(int64(f))
	case reflect.Bool:
		if b, ok := m.boolean(path, n); ok {
			v.SetBool(b)
		}
	case reflect.Pointer:
		if n.kind == kNull {
			v.SetZero()
			return
		}
		e := reflect.New(v.Type().Elem())
		m.value(path, n, e.Elem())
		v.Set(e)
	case reflect.Slice:
		if n.kind == kNull {
			v.SetZero()
			return
		}
		if n.kind != kArray {
			m.fail(path, n, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.arr), len(n.arr))
		for i, e := range n.arr {
			m.value(indexPath(path, i), e, s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		if n.kind == kNull {
			v.SetZero()
			return
		}
		if n.kind != kObject {
			m.fail(path, n, "expected a mapping of names to numbers, got %s", describe(n))
			return
		}
		mp := reflect.MakeMapWithSize(v.Type(), len(n.obj))
		for _, mem := range n.obj {
			ev := reflect.New(v.Type().Elem()).Elem()
			m.value(joinPath(path, mem.key), mem.val, ev)
			mp.SetMapIndex(reflect.ValueOf(mem.key), ev)
		}
		v.Set(mp)
	case reflect.Struct:
		m.object(path, n, v)
	default:
		panic("profiles: mapper cannot handle " + v.Type().String())
	}
}

func (m *mapper) object(path string, n *node, v reflect.Value) {
	if n.kind != kObject {
		m.fail(path, n, "expected an object with named fields, got %s", describe(n))
		return
	}
	fields := structFields(v.Type())
	seen := make(map[string]bool, len(n.obj))
	for _, mem := range n.obj {
		f, ok := fields.byName[mem.key]
		if !ok {
			if m.errs.full() {
				m.errs.dropped++ // spare the suggestion search once nothing more is shown
				continue
			}
			msg := fmt.Sprintf("unknown field %q", short(mem.key))
			if s := suggest(mem.key, fields.names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			m.fail(joinPath(path, mem.key), mem.val, "%s", msg)
			continue
		}
		seen[mem.key] = true
		m.value(joinPath(path, mem.key), mem.val, v.Field(f.index))
	}
	for _, name := range fields.names {
		if f := fields.byName[name]; f.required && !seen[name] {
			m.fail(joinPath(path, name), n, "required field is missing")
		}
	}
}

func (m *mapper) number(path string, n *node) (float64, bool) {
	switch n.kind {
	case kNumber:
		if math.IsInf(n.num, 0) || math.IsNaN(n.num) {
			m.fail(path, n, "must be a finite number, got %s", short(n.text))
			return 0, false
		}
		return n.num, true
	case kString:
		if n.cell {
			s := strings.TrimSpace(n.text)
			f, err := strconv.ParseFloat(s, 64)
			if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return f, true
			}
			if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
				if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
					m.fail(path, n, "expected a number, got %s; use a dot as the decimal separator", quoteShort(n.text))
					return 0, false
				}
			}
			m.fail(path, n, "expected a number, got %s", quoteShort(n.text))
			return 0, false
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(n.text), 64); err == nil {
			m.fail(path, n, "expected a number, got the string %s; remove the quotes", quoteShort(n.text))
			return 0, false
		}
	}
	m.fail(path, n, "expected a number, got %s", describe(n))
	return 0, false
}

func (m *mapper) boolean(path string, n *node) (bool, bool) {
	switch n.kind {
	case kBool:
		return n.b, true
	case kNumber, kString:
		if n.loose || n.cell {
			switch strings.ToLower(strings.TrimSpace(n.text)) {
			case "true", "yes", "y", "on", "1", "x":
				return true, true
			case "false", "no", "n", "off", "0", "":
				return false, true
			}
		}
	}
	m.fail(path, n, "expected true or false, got %s", describe(n))
	return false, false
}

type fieldInfo struct {
	index    int
	required bool
}

type structInfo struct {
	byName map[string]fieldInfo
	names  []string // in declaration order
}

// structFields lists the JSON names of a struct's fields; the struct types are small and fixed,
// so computing this on demand is cheap enough.
func structFields(t reflect.Type) structInfo {
	si := structInfo{byName: map[string]fieldInfo{}}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		si.byName[name] = fieldInfo{index: i, required: f.Tag.Get("pdm") == "required"}
		si.names = append(si.names, name)
	}
	return si
}

// suggest returns the candidate closest to s when it is a likely typo (edit distance ≤ 2, or the
// same letters in another case or with '-'/' ' for '_').
func suggest(s string, candidates []string) string {
	norm := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(s))
	best, bestD := "", 3
	for _, c := range candidates {
		if norm == c {
			return c
		}
		if d := editDistance(norm, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or limit when it is at least limit.
func editDistance(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
