package ml

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/atomicfile"
	"pdmstudio/backend/ml/features"
	"pdmstudio/backend/onnxrt"
)

// Files of a model directory.
const (
	ManifestFile = "manifest.json" // Manifest, written last
	ONNXFile     = "model.onnx"    // the head as an ONNX model: features in, outputs out
	ParamsFile   = "params.json"   // feature pipeline, head parameters (Go engine), post-processing
)

// ErrCorrupt is wrapped by Load's errors for a model file that is damaged: a checksum that does
// not match the manifest, or content that does not parse.
var ErrCorrupt = errors.New("model file is corrupted")

// params is the content of params.json.
type params struct {
	Format   string             `json:"format"`
	Pipeline *features.Pipeline `json:"pipeline"`
	Head     *head              `json:"head"`
	Post     *post              `json:"post"`
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Save writes the model into dir (created if needed): params.json, model.onnx, then
// manifest.json with their SHA-256 sums. Each file is written atomically, the manifest last,
// so a directory with a manifest is complete.
func (m *Model) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating model directory: %w", err)
	}
	pj, err := json.Marshal(params{Format: FormatVersion, Pipeline: m.pipe, Head: m.head, Post: m.post})
	if err != nil {
		return fmt.Errorf("encoding %s: %w", ParamsFile, err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ParamsFile), pj); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ONNXFile), m.onnx); err != nil {
		return err
	}
	m.man.Files = map[string]string{ParamsFile: sha(pj), ONNXFile: sha(m.onnx)}
	mj, err := json.MarshalIndent(m.man, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", ManifestFile, err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, ManifestFile), append(mj, '\n'))
}

// ReadManifest reads and checks dir/manifest.json without loading the model (for listings).
// A missing directory or manifest is a not-found error; a manifest that does not parse wraps
// ErrCorrupt.
func ReadManifest(dir string) (Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, apperr.NotFoundf("no model in %s (%s is missing)", dir, ManifestFile)
		}
		return Manifest{}, fmt.Errorf("reading %s: %w", path, err)
	}
	var man Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&man); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w: not valid JSON (%v)", path, ErrCorrupt, err)
	}
	if man.Format != FormatVersion {
		return Manifest{}, fmt.Errorf("%s: unsupported model format %q (this build reads %q)", path, man.Format, FormatVersion)
	}
	if !slices.Contains(Tasks, man.Task) {
		return Manifest{}, fmt.Errorf("%s: %w: unknown task %q", path, ErrCorrupt, man.Task)
	}
	for _, f := range []string{ONNXFile, ParamsFile} {
		if man.Files[f] == "" {
			return Manifest{}, fmt.Errorf("%s: %w: no checksum for %s", path, ErrCorrupt, f)
		}
	}
	return man, nil
}

// Load reads a model directory written by Save, verifies every file against the manifest's
// checksums, and opens an ONNX Runtime session when the library is loaded (otherwise
// predictions use the Go engine). A missing file or directory is a not-found error naming
// it; a damaged file gives an error wrapping ErrCorrupt that names it.
func Load(dir string) (*Model, error) {
	man, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, name := range []string{ParamsFile, ONNXFile} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, apperr.NotFoundf("model file %s is missing", path)
			}
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if got := sha(b); got != man.Files[name] {
			return nil, fmt.Errorf("%s: %w: its SHA-256 does not match %s", path, ErrCorrupt, ManifestFile)
		}
		files[name] = b
	}
	var p params
	if err := json.Unmarshal(files[ParamsFile], &p); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", filepath.Join(dir, ParamsFile), ErrCorrupt, err)
	}
	if p.Format != FormatVersion || p.Pipeline == nil || p.Head == nil || p.Post == nil {
		return nil, fmt.Errorf("%s: %w: incomplete parameters", filepath.Join(dir, ParamsFile), ErrCorrupt)
	}
	if err := p.Head.check(p.Pipeline.NumFeatures()); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", filepath.Join(dir, ParamsFile), ErrCorrupt, err)
	}
	if len(p.Pipeline.Baseline) != p.Pipeline.NumFeatures() {
		return nil, fmt.Errorf("%s: %w: baseline has %d values for %d features", filepath.Join(dir, ParamsFile), ErrCorrupt, len(p.Pipeline.Baseline), p.Pipeline.NumFeatures())
	}
	if _, err := onnxrt.ParseModel(files[ONNXFile]); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", filepath.Join(dir, ONNXFile), ErrCorrupt, err)
	}
	m := &Model{man: man, pipe: p.Pipeline, head: p.Head, post: p.Post, onnx: files[ONNXFile]}
	m.openSession()
	return m, nil
}
