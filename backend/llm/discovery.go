package llm

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ModelFile is one GGUF file found by [FindModels]: its header, or why it cannot be used.
type ModelFile struct {
	Path  string     `json:"path"`
	Info  *ModelInfo `json:"info,omitempty"`
	Error string     `json:"error,omitempty"`
}

// ModelDirs returns the folders GGUF models are looked for in, in order: <dataDir>/models
// (when dataDir is not empty), then models/ beside the executable, two folders up from it
// (build/bin/pdmstudio → the repository) and in the working directory. Duplicates removed.
func ModelDirs(dataDir string) []string {
	var dirs []string
	if dataDir != "" {
		dirs = append(dirs, filepath.Join(dataDir, "models"))
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		d := filepath.Dir(exe)
		dirs = append(dirs, filepath.Join(d, "models"), filepath.Join(d, "..", "..", "models"))
	}
	if cwd, err := os.Getwd(); err == nil {
		dirs = append(dirs, filepath.Join(cwd, "models"))
	}
	seen := map[string]bool{}
	out := dirs[:0]
	for _, d := range dirs {
		d = filepath.Clean(d)
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// FindModels lists the *.gguf files directly inside dirs (missing folders are skipped), each
// checked with [Inspect]; a file that fails has Error set instead of Info. A file reached
// twice (same absolute path) is listed once. Sorted by path within each folder.
func FindModels(dirs ...string) []ModelFile {
	var out []ModelFile
	seen := map[string]bool{}
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range entries {
			if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".gguf") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(d, n)
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			if seen[p] {
				continue
			}
			seen[p] = true
			mf := ModelFile{Path: p}
			if info, err := Inspect(p); err != nil {
				mf.Error = err.Error()
			} else {
				mf.Info = &info
			}
			out = append(out, mf)
		}
	}
	return out
}
