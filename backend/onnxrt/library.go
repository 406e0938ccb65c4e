package onnxrt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// EnvLibrary names the environment variable that points at the ONNX Runtime library file
// itself (not a folder). When it is set, it is the only place looked at.
const EnvLibrary = "PDMSTUDIO_ORT_LIB"

// Execution provider settings accepted by [Options.Provider] and [SessionOptions.Provider].
const (
	// ProviderAuto tries CUDA, then DirectML, then falls back to the CPU.
	ProviderAuto = "auto"
	// ProviderCPU always runs on the CPU.
	ProviderCPU = "cpu"
)

// ONNX Runtime's names of the execution providers this package knows, as reported in
// [Info.Providers] and [Info.ActiveProvider].
const (
	EPCPU      = "CPUExecutionProvider"
	EPCUDA     = "CUDAExecutionProvider"
	EPDirectML = "DmlExecutionProvider"
)

// Options configure [Init].
type Options struct {
	// LibraryPath is the ONNX Runtime library file to load. Empty: the first hit of
	// FindLibrary(DefaultLibraryDirs()...).
	LibraryPath string
	// Provider is ProviderAuto (the default when empty) or ProviderCPU.
	Provider string
}

// Info describes the loaded ONNX Runtime, or why none is loaded. It is JSON-friendly for the
// doctor command.
type Info struct {
	// Loaded is true once the library is loaded and the environment is created.
	Loaded bool `json:"loaded"`
	// Path is the library file that was loaded (or tried last).
	Path string `json:"path,omitempty"`
	// Version is ONNX Runtime's version string, e.g. "1.24.1".
	Version string `json:"version,omitempty"`
	// BuildInfo is ONNX Runtime's build description (git commit, build type).
	BuildInfo string `json:"build_info,omitempty"`
	// Providers are the execution providers compiled into the library, in ONNX Runtime's
	// order of preference, e.g. ["DmlExecutionProvider", "CPUExecutionProvider"].
	Providers []string `json:"providers,omitempty"`
	// Provider is the setting in force: ProviderAuto or ProviderCPU.
	Provider string `json:"provider,omitempty"`
	// ActiveProvider is the execution provider new sessions use: EPCUDA, EPDirectML or EPCPU.
	ActiveProvider string `json:"active_provider,omitempty"`
	// ProviderNotes says why a GPU provider was not picked (one line per provider tried).
	ProviderNotes []string `json:"provider_notes,omitempty"`
	// Searched lists the places looked at when no library path was given.
	Searched []string `json:"searched,omitempty"`
	// Error says why the library is not loaded; empty when Loaded.
	Error string `json:"error,omitempty"`
}

// ErrNotFound is returned (wrapped) by [FindLibrary] and [Init] when no library file exists
// in any of the places looked at.
var ErrNotFound = errors.New("ONNX Runtime library not found")

// ErrNotInitialized is returned by functions that need the library before [Init] succeeded.
var ErrNotInitialized = errors.New("ONNX Runtime is not loaded")

// PlatformDir is the folder name for this platform under models/onnxruntime and models/llama:
// "<os>-<arch>" with Go's amd64 written x64, e.g. "linux-x64", "windows-x64", "darwin-arm64".
func PlatformDir() string {
	arch := runtime.GOARCH
	switch arch {
	case "amd64":
		arch = "x64"
	case "386":
		arch = "x86"
	}
	return runtime.GOOS + "-" + arch
}

// LibraryFileNames are the file names the library may have on this platform, preferred first.
func LibraryFileNames() []string {
	switch runtime.GOOS {
	case "windows":
		return []string{"onnxruntime.dll"}
	case "darwin":
		return []string{"libonnxruntime.dylib", "libonnxruntime.1.dylib"}
	default:
		return []string{"libonnxruntime.so", "libonnxruntime.so.1"}
	}
}

// DefaultLibraryDirs returns where the library is looked for, in order. When PDMSTUDIO_ORT_LIB
// is set, the list is just that file. Otherwise it is:
//
//	<exe dir>/models/onnxruntime/<os>-<arch>/
//	<exe dir>/../../models/onnxruntime/<os>-<arch>/   (build/bin/pdmstudio → the repository's models/)
//	<cwd>/models/onnxruntime/<os>-<arch>/
//
// Duplicates are removed. The entries are meant for [FindLibrary] and for display.
func DefaultLibraryDirs() []string {
	if p := strings.TrimSpace(os.Getenv(EnvLibrary)); p != "" {
		return []string{p}
	}
	return runtimeDirs(filepath.Join("models", "onnxruntime", PlatformDir()))
}

// runtimeDirs returns <exe dir>/rel, <exe dir>/../../rel and <cwd>/rel, cleaned and deduplicated.
func runtimeDirs(rel string) []string {
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		exeDir := filepath.Dir(exe)
		dirs = append(dirs, filepath.Join(exeDir, rel), filepath.Join(exeDir, "..", "..", rel))
	}
	if cwd, err := os.Getwd(); err == nil {
		dirs = append(dirs, filepath.Join(cwd, rel))
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

// FindLibrary returns the first ONNX Runtime library found in entries. Each entry is a folder
// (looked into for [LibraryFileNames]) or the library file itself. With no entries it uses
// [DefaultLibraryDirs]. The error wraps [ErrNotFound] and names every place looked at.
func FindLibrary(entries ...string) (string, error) {
	if len(entries) == 0 {
		entries = DefaultLibraryDirs()
	}
	var tried []string
	for _, e := range entries {
		if e == "" {
			continue
		}
		st, err := os.Stat(e)
		if err != nil {
			tried = append(tried, e)
			continue
		}
		if !st.IsDir() {
			return e, nil
		}
		for _, name := range LibraryFileNames() {
			p := filepath.Join(e, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
		tried = append(tried, e)
	}
	return "", fmt.Errorf("%w (looked in %s; run `make` or scripts/fetch-runtimes.sh models, or set %s to the library file)",
		ErrNotFound, strings.Join(tried, ", "), EnvLibrary)
}

// state is the process-wide library state; mu guards it.
var (
	mu    sync.Mutex
	state Info
)

// Init loads ONNX Runtime and creates its environment, once per process. After a success,
// later calls return the same Info; a different Options.Provider is applied (it only
// affects sessions created afterwards), a different LibraryPath is ignored. After a failure
// a later call tries again, possibly with another path.
func Init(opts Options) (Info, error) {
	mu.Lock()
	defer mu.Unlock()
	provider, err := normalizeProvider(opts.Provider)
	if err != nil {
		return cloneInfo(state), err
	}
	if state.Loaded {
		if provider != state.Provider {
			selectProvider(&state, provider)
		}
		return cloneInfo(state), nil
	}

	info := Info{Provider: provider}
	path := opts.LibraryPath
	if path == "" {
		info.Searched = DefaultLibraryDirs()
		path, err = FindLibrary(info.Searched...)
		if err != nil {
			info.Error = err.Error()
			state = info
			return cloneInfo(state), err
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	info.Path = path
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		err = fmt.Errorf("%w: %s is not a file", ErrNotFound, path)
		info.Error = err.Error()
		state = info
		return cloneInfo(state), err
	}

	ort.SetSharedLibraryPath(path)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		err = fmt.Errorf("loading ONNX Runtime from %s: %w (this build needs ONNX Runtime 1.24 or newer)", path, err)
		info.Error = err.Error()
		state = info
		return cloneInfo(state), err
	}
	_ = ort.DisableTelemetry() // offline app; only has an effect on Windows builds
	info.Loaded = true
	info.Version = ort.GetVersion()
	if api, err := readAPIInfo(path); err == nil {
		info.Providers = api.providers
		info.BuildInfo = api.buildInfo
	} else {
		info.ProviderNotes = append(info.ProviderNotes, "could not list providers: "+err.Error())
	}
	selectProvider(&info, provider)
	state = info
	return cloneInfo(state), nil
}

// Probe reports the library's state for the doctor command. If Init has not run yet it runs
// Init with default options; if an earlier Init failed it tries again (the user may have
// fetched the library since). Once loaded it only copies the cached Info.
func Probe() Info {
	mu.Lock()
	loaded, provider := state.Loaded, state.Provider
	mu.Unlock()
	if loaded {
		mu.Lock()
		defer mu.Unlock()
		return cloneInfo(state)
	}
	info, _ := Init(Options{Provider: provider})
	return info
}

// Current returns the cached Info without trying to load anything.
func Current() Info {
	mu.Lock()
	defer mu.Unlock()
	return cloneInfo(state)
}

// Initialized reports whether Init has succeeded.
func Initialized() bool {
	mu.Lock()
	defer mu.Unlock()
	return state.Loaded
}

func normalizeProvider(p string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "", ProviderAuto:
		return ProviderAuto, nil
	case ProviderCPU:
		return ProviderCPU, nil
	default:
		return "", fmt.Errorf("unknown execution provider setting %q (want %q or %q)", p, ProviderAuto, ProviderCPU)
	}
}

// gpuCandidates are the GPU execution providers ProviderAuto tries, in order.
var gpuCandidates = []string{EPCUDA, EPDirectML}

// selectProvider sets info.Provider and info.ActiveProvider: with ProviderAuto the first GPU
// provider that can be appended to session options, else EPCPU.
func selectProvider(info *Info, provider string) {
	info.Provider = provider
	info.ActiveProvider = EPCPU
	info.ProviderNotes = nil
	if provider == ProviderCPU {
		return
	}
	for _, ep := range gpuCandidates {
		if why := providerUnusable(info, ep); why != "" {
			info.ProviderNotes = append(info.ProviderNotes, ep+": "+why)
			continue
		}
		so, err := ort.NewSessionOptions()
		if err != nil {
			info.ProviderNotes = append(info.ProviderNotes, "session options: "+err.Error())
			return
		}
		err = appendProvider(so, ep)
		so.Destroy()
		if err == nil {
			info.ActiveProvider = ep
			return
		}
		info.ProviderNotes = append(info.ProviderNotes, ep+": "+firstLine(err.Error()))
	}
}

// providerUnusable says why ep cannot work with the loaded library without asking ONNX
// Runtime (whose failed attempts print errors to stderr); "" when it is worth trying.
func providerUnusable(info *Info, ep string) string {
	if len(info.Providers) > 0 && !slices.Contains(info.Providers, ep) {
		return "not compiled into this ONNX Runtime build"
	}
	if ep == EPCUDA {
		// CUDA lives in a separate provider library beside the main one.
		name := "libonnxruntime_providers_cuda.so"
		if runtime.GOOS == "windows" {
			name = "onnxruntime_providers_cuda.dll"
		}
		p := filepath.Join(filepath.Dir(info.Path), name)
		if _, err := os.Stat(p); err != nil {
			return name + " is not beside the library"
		}
	}
	return ""
}

// appendProvider appends the GPU execution provider ep (device 0) to so.
func appendProvider(so *ort.SessionOptions, ep string) error {
	switch ep {
	case EPCUDA:
		co, err := ort.NewCUDAProviderOptions()
		if err != nil {
			return err
		}
		defer co.Destroy()
		return so.AppendExecutionProviderCUDA(co)
	case EPDirectML:
		return so.AppendExecutionProviderDirectML(0)
	case EPCPU, "":
		return nil
	default:
		return fmt.Errorf("unknown execution provider %q", ep)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return strings.TrimSpace(s)
}

func cloneInfo(i Info) Info {
	i.Providers = append([]string(nil), i.Providers...)
	i.ProviderNotes = append([]string(nil), i.ProviderNotes...)
	i.Searched = append([]string(nil), i.Searched...)
	return i
}
