// Package datadir knows the layout of PdM Studio's data directory: the SQLite database, one folder
// per machine, reports and logs. A machine_id (validated as ^[a-z0-9_]{3,100}$) is the only value
// that ever becomes a path segment.
package datadir

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
)

// EnvVar overrides the default data directory when --data-dir is not given.
const EnvVar = "PDMSTUDIO_DATA_DIR"

// machineIDPattern is the only shape a machine id may take; it is safe as a path segment.
var machineIDPattern = regexp.MustCompile(`^[a-z0-9_]{3,100}$`)

// ValidMachineID reports whether id matches ^[a-z0-9_]{3,100}$.
func ValidMachineID(id string) bool { return machineIDPattern.MatchString(id) }

// Dir is a data directory root.
type Dir struct{ Root string }

// Default returns the data directory used when none is given: $PDMSTUDIO_DATA_DIR, else the OS
// user data dir (Windows %LOCALAPPDATA%\PdMStudio, macOS ~/Library/Application Support/PdMStudio,
// elsewhere $XDG_DATA_HOME/PdMStudio or ~/.local/share/PdMStudio).
func Default() (string, error) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "PdMStudio"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find home directory: %w", err)
		}
		return filepath.Join(home, "Library", "Application Support", "PdMStudio"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "PdMStudio"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find home directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "PdMStudio"), nil
}

// Open makes sure root and its fixed sub-folders exist and returns the Dir.
func Open(root string) (Dir, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return Dir{}, fmt.Errorf("data dir %q: %w", root, err)
	}
	d := Dir{Root: abs}
	for _, sub := range []string{d.Root, d.MachinesDir(), d.ReportsDir(), d.LogsDir(), d.ModelsDir()} {
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return Dir{}, fmt.Errorf("create data dir: %w", err)
		}
	}
	return d, nil
}

// DatabasePath is the SQLite file.
func (d Dir) DatabasePath() string { return filepath.Join(d.Root, "pdmstudio.db") }

// MachinesDir holds one folder per machine.
func (d Dir) MachinesDir() string { return filepath.Join(d.Root, "machines") }

// ReportsDir holds generated PDF reports.
func (d Dir) ReportsDir() string { return filepath.Join(d.Root, "reports") }

// LogsDir holds the rotating log file.
func (d Dir) LogsDir() string { return filepath.Join(d.Root, "logs") }

// LogFile is the current log file.
func (d Dir) LogFile() string { return filepath.Join(d.LogsDir(), "pdmstudio.log") }

// ModelsDir is where the user's GGUF language models are looked for.
func (d Dir) ModelsDir() string { return filepath.Join(d.Root, "models") }

// MachineDir returns the folder of one machine. It fails for an id that is not a valid machine id,
// so a hostile id can never escape the data directory.
func (d Dir) MachineDir(machineID string) (string, error) {
	if !ValidMachineID(machineID) {
		return "", fmt.Errorf("invalid machine id %q: must match ^[a-z0-9_]{3,100}$", machineID)
	}
	return filepath.Join(d.MachinesDir(), machineID), nil
}
