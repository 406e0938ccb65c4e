package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

// The fuzz targets feed arbitrary bytes to each decoder. Whatever the input, decoding must not
// panic or hang, must fail only with a bad-input *apperr.Error, and what it accepts must validate
// without panicking and survive a JSON round trip unchanged. Seeds: every built-in template, the
// test profile, the invalid corpus, and the hand-written seeds and past crashers kept in
// testdata/fuzz/<Target>/.
//
//	go test ./backend/profiles -run '^$' -fuzz FuzzDecodeYAML -fuzztime 5m

func FuzzDecodeJSON(f *testing.F) { fuzzDecoder(f, FormatJSON) }

func FuzzDecodeYAML(f *testing.F) { fuzzDecoder(f, FormatYAML) }

func FuzzDecodeXLSX(f *testing.F) { fuzzDecoder(f, FormatXLSX) }

func fuzzDecoder(f *testing.F, format Format) {
	for _, ti := range Types() {
		p, _ := Template(ti.Type)
		f.Add(mustEncode(f, p, format))
	}
	f.Add(mustEncode(f, testBase(), format))
	files, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*"+format.Extension()))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil && len(data) < 1<<20 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data, format)
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || e.Kind != apperr.KindBadInput {
				t.Fatalf("error is not bad input: %v", err)
			}
			if e.Message == "" || strings.ContainsRune(e.Message, 0) {
				t.Fatalf("unhelpful message %q", e.Message)
			}
			if len(e.Fields) > maxFieldErrors+1 {
				t.Fatalf("%d field problems", len(e.Fields))
			}
			if len(e.Fields) == 0 {
				return
			}
		}
		// Whatever decoded (fully or partly) must validate without panicking, and Parse, which
		// merges decode and validation problems, must keep to the same cap…
		_ = Validate(p, ValidateOptions{Exists: func(string) bool { return false }})
		_ = p.KeySensors()
		if _, perr := Parse(data, format, ValidateOptions{}); perr != nil {
			var e *apperr.Error
			if !errors.As(perr, &e) || e.Kind != apperr.KindBadInput || len(e.Fields) > maxFieldErrors+1 {
				t.Fatalf("Parse: %v", perr)
			}
		}
		if err != nil {
			return
		}
		// …and come back unchanged through JSON.
		js, err := Encode(p, FormatJSON)
		if err != nil {
			t.Fatalf("decoded profile does not encode: %v", err)
		}
		q, err := Decode(js, FormatJSON)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, js)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("JSON round trip differs:\n%#v\n%#v", p, q)
		}
	})
}
