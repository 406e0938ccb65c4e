package app

import (
	"runtime"
	"runtime/debug"
)

// Version and Commit are set at build time with -ldflags "-X pdmstudio/app.Version=... -X pdmstudio/app.Commit=...".
var (
	Version = "0.1.0-dev"
	Commit  = ""
)

// VersionInfo is what `pdmstudio version --json` prints.
type VersionInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Go      string `json:"go"`
}

// CurrentVersion returns the build's version, commit (from -ldflags or the VCS stamp) and Go version.
func CurrentVersion() VersionInfo {
	c := Commit
	if c == "" {
		c = "unknown"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					c = s.Value[:12]
				}
			}
		}
	}
	return VersionInfo{Version: Version, Commit: c, Go: runtime.Version()}
}
