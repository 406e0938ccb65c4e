// Package atomicfile writes files so that a reader (or a crash) never sees half of one: data goes
// to a temporary name in the same folder, is synced, and is renamed over the final name only when
// complete. Temporary names carry the writer's process id, so a later start can sweep the partial
// files a killed process left behind (Sweep).
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

const marker = ".partial-"

// partialName matches the temporary names made by Create: .<base>.partial-<pid>-<random>.
var partialName = regexp.MustCompile(`^\..+\.partial-(\d+)-[0-9]+$`)

// File is a file being written under a temporary name.
type File struct {
	*os.File
	final string
	done  bool
}

// Create starts writing path; its folder must exist. Call Commit to publish it, or Abort (safe to defer) to discard it.
func Create(path string) (*File, error) {
	dir := filepath.Dir(path)
	prefix := "." + filepath.Base(path) + marker + strconv.Itoa(os.Getpid()) + "-"
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	_ = f.Chmod(0o644) // CreateTemp makes 0600; these are ordinary data files (ignored where unsupported)
	return &File{File: f, final: path}, nil
}

// TempPath is the temporary name the data is being written to.
func (f *File) TempPath() string { return f.File.Name() }

// Commit syncs, closes and renames the file to its final name.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("commit %s: already finished", f.final)
	}
	f.done = true
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		os.Remove(f.File.Name())
		return fmt.Errorf("write %s: %w", f.final, err)
	}
	if err := f.File.Close(); err != nil {
		os.Remove(f.File.Name())
		return fmt.Errorf("write %s: %w", f.final, err)
	}
	if err := os.Rename(f.File.Name(), f.final); err != nil {
		os.Remove(f.File.Name())
		return fmt.Errorf("publish %s: %w", f.final, err)
	}
	if d, err := os.Open(filepath.Dir(f.final)); err == nil { // persist the rename (not possible on every OS)
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Abort discards the temporary file. It does nothing after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// Sweep removes, under root, the partial files of processes that are no longer alive (alive
// reports whether a pid belongs to a running process). It returns the paths it removed.
func Sweep(root string, alive func(pid int) bool) ([]string, error) {
	var removed []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.Contains(d.Name(), marker) {
			return nil
		}
		m := partialName.FindStringSubmatch(d.Name())
		if m == nil {
			return nil
		}
		pid, _ := strconv.Atoi(m[1])
		if pid == os.Getpid() || alive(pid) {
			return nil
		}
		if err := os.Remove(p); err == nil {
			removed = append(removed, p)
		}
		return nil
	})
	return removed, err
}
