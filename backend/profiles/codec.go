package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"pdmstudio/backend/apperr"
)

// Format is a profile file format.
type Format string

// The supported formats.
const (
	FormatJSON Format = "json"
	FormatYAML Format = "yaml"
	FormatXLSX Format = "xlsx"
)

// MaxFileSize is the largest profile file accepted, in bytes (10 MiB). Larger input is refused
// before parsing.
const MaxFileSize = 10 << 20

// Formats returns the supported formats.
func Formats() []Format { return []Format{FormatJSON, FormatYAML, FormatXLSX} }

func (f Format) label() string {
	switch f {
	case FormatJSON:
		return "JSON"
	case FormatYAML:
		return "YAML"
	case FormatXLSX:
		return "Excel (.xlsx)"
	}
	return string(f)
}

// Extension returns the usual file name extension for f, with the dot (".json", ".yaml", ".xlsx").
func (f Format) Extension() string { return "." + string(f) }

// MIMEType returns the media type of f, for downloads.
func (f Format) MIMEType() string {
	switch f {
	case FormatJSON:
		return "application/json"
	case FormatYAML:
		return "application/yaml"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

// ParseFormat reads a format name such as "json", "YAML", "yml" or "xlsx" (e.g. a --format flag).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "."))) {
	case "json":
		return FormatJSON, nil
	case "yaml", "yml":
		return FormatYAML, nil
	case "xlsx", "excel":
		return FormatXLSX, nil
	}
	return "", apperr.BadInput(fmt.Sprintf("unknown profile format %q", s),
		apperr.FieldError{Field: "format", Message: "use json, yaml or xlsx"})
}

// FormatFromFilename picks the format from a file name's extension (.json, .yaml, .yml, .xlsx),
// case-insensitively.
func FormatFromFilename(name string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".json":
		return FormatJSON, nil
	case ".yaml", ".yml":
		return FormatYAML, nil
	case ".xlsx":
		return FormatXLSX, nil
	case ".xls":
		return "", apperr.BadInput("the old Excel format (.xls) is not supported; save the workbook as .xlsx",
			apperr.FieldError{Field: "file", Message: "unsupported file type .xls"})
	case ".xlsm", ".xlsb", ".ods", ".csv":
		return "", apperr.BadInput(fmt.Sprintf("%s files are not supported; save the workbook as .xlsx", ext),
			apperr.FieldError{Field: "file", Message: "unsupported file type " + ext})
	}
	return "", apperr.BadInput(fmt.Sprintf("cannot tell the format of %q: use a .json, .yaml, .yml or .xlsx file", filepath.Base(name)),
		apperr.FieldError{Field: "file", Message: "unknown file extension"})
}

func badInput(msg string, fields ...apperr.FieldError) error {
	return apperr.BadInput(msg, fields...)
}

// Encode writes p in the given format. It does not validate p; call Check first when p comes
// from a user. JSON and YAML are UTF-8 text with a trailing newline.
func Encode(p Profile, format Format) ([]byte, error) {
	switch format {
	case FormatJSON:
		return encodeJSON(p)
	case FormatYAML:
		return encodeYAML(p)
	case FormatXLSX:
		return encodeXLSX(p)
	}
	return nil, fmt.Errorf("profiles: encode: unknown format %q", format)
}

func encodeJSON(p Profile) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("profiles: encode JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// encodeYAML writes YAML through the JSON form, so field order, omitted empty fields and number
// spelling (1000000, not 1e+06) are the same as in JSON.
func encodeYAML(p Profile) ([]byte, error) {
	js, err := encodeJSON(p)
	if err != nil {
		return nil, err
	}
	tree, err := parseJSON(js)
	if err != nil {
		return nil, fmt.Errorf("profiles: encode YAML: %w", err)
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{toYAMLNode(tree)}}
	doc.HeadComment = "PdM Studio machine profile (schema version " + fmt.Sprint(SchemaVersion) + ")"
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("profiles: encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("profiles: encode YAML: %w", err)
	}
	return buf.Bytes(), nil
}

func toYAMLNode(n *node) *yaml.Node {
	switch n.kind {
	case kObject:
		out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, m := range n.obj {
			out.Content = append(out.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: m.key},
				toYAMLNode(m.val))
		}
		return out
	case kArray:
		out := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range n.arr {
			out.Content = append(out.Content, toYAMLNode(e))
		}
		return out
	case kString:
		s := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n.text}
		if strings.Contains(n.text, "\n") {
			s.Style = yaml.LiteralStyle
		}
		return s
	case kNumber:
		tag := "!!float"
		if !strings.ContainsAny(n.text, ".eE") {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: n.text}
	case kBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: n.text}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// Decode reads a profile from data in the given format and normalises it (see Normalize).
//
// It does not validate the profile's content (use Parse for decode + validate). The error is an
// *apperr.Error of kind bad input: without field problems when the file cannot be read at all
// (truncated, not UTF-8, not a workbook, too large, alias bomb…), or with one field problem per
// value of the wrong type, unknown field or missing required field, each naming the field path
// (e.g. "sensors[2].normal_min") and, where known, the line or cell. With field problems the
// returned profile holds everything that could be read.
func Decode(data []byte, format Format) (Profile, error) {
	p, fields, err := decode(data, format)
	if err != nil {
		return Profile{}, err
	}
	if !fields.empty() {
		return p, apperr.BadInput("the profile file has errors", fields.result()...)
	}
	return p, nil
}

// decode parses and maps data; err is a fatal (unreadable) error, fields the mapping problems.
func decode(data []byte, format Format) (p Profile, fields fieldErrors, err error) {
	if len(data) > MaxFileSize {
		return Profile{}, fields, tooLarge(format)
	}
	var root *node
	switch format {
	case FormatJSON:
		root, err = parseJSON(data)
	case FormatYAML:
		root, err = parseYAML(data)
	case FormatXLSX:
		root, fields, err = parseXLSX(data)
	default:
		_, err = ParseFormat(string(format))
	}
	if err != nil {
		return Profile{}, fieldErrors{}, err
	}
	fields.merge(mapTree(root, &p))
	p = Normalize(p)
	return p, fields, nil
}

func tooLarge(format Format) error {
	return badInput(fmt.Sprintf("the %s file is larger than %d MB; a profile is far smaller", format.label(), MaxFileSize>>20),
		apperr.FieldError{Field: "file", Message: fmt.Sprintf("larger than the %d MB limit", MaxFileSize>>20)})
}

// DecodeReader reads at most limit bytes from r (MaxFileSize when limit ≤ 0 or larger) and decodes
// them like Decode. Input longer than the limit is refused before any parsing.
func DecodeReader(r io.Reader, format Format, limit int64) (Profile, error) {
	data, err := readLimited(r, format, limit)
	if err != nil {
		return Profile{}, err
	}
	return Decode(data, format)
}

func readLimited(r io.Reader, format Format, limit int64) ([]byte, error) {
	if limit <= 0 || limit > MaxFileSize {
		limit = MaxFileSize
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("profiles: read %s profile: %w", format.label(), err)
	}
	if int64(len(data)) > limit {
		if limit == MaxFileSize {
			return nil, tooLarge(format)
		}
		return nil, badInput(fmt.Sprintf("the %s file is larger than the limit of %d bytes", format.label(), limit),
			apperr.FieldError{Field: "file", Message: fmt.Sprintf("larger than %d bytes", limit)})
	}
	return data, nil
}

// Parse decodes data like Decode and validates the result like Validate, returning every problem
// of both steps in one *apperr.Error (kind bad input). A validation problem that only follows
// from a value that could not be decoded is left out. On success the profile is valid and
// normalised; with field problems the returned profile holds what could be read (for a form to
// show next to the problems).
func Parse(data []byte, format Format, opts ValidateOptions) (Profile, error) {
	p, fields, err := decode(data, format)
	if err != nil {
		return Profile{}, err
	}
	bad := make(map[string]bool, len(fields.list))
	for _, f := range fields.list {
		bad[f.Field] = true
	}
	fields.merge(validate(p, opts, bad))
	if !fields.empty() {
		n := len(fields.list) + fields.dropped
		return p, apperr.BadInput(fmt.Sprintf("the profile has %s", plural(n, "error")), fields.result()...)
	}
	return p, nil
}

// ParseReader reads at most limit bytes from r (see DecodeReader) and parses them like Parse.
func ParseReader(r io.Reader, format Format, limit int64, opts ValidateOptions) (Profile, error) {
	data, err := readLimited(r, format, limit)
	if err != nil {
		return Profile{}, err
	}
	return Parse(data, format, opts)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// isBadInput reports whether err is a bad-input *apperr.Error.
func isBadInput(err error) bool {
	var e *apperr.Error
	return errors.As(err, &e) && e.Kind == apperr.KindBadInput
}
