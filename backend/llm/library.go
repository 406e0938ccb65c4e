package llm

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/hybridgroup/yzma/pkg/llama"
	"github.com/hybridgroup/yzma/pkg/loader"
	"github.com/jupiterrider/ffi"
)

// EnvLibrary names the environment variable that points at a folder holding the llama.cpp
// libraries. When it is set, it is the only place looked at.
const EnvLibrary = "PDMSTUDIO_LLAMA_LIB"

// Info describes the loaded llama.cpp, or why none is loaded. It is JSON-friendly for the
// doctor command.
type Info struct {
	// Loaded is true once the libraries are loaded and the backends initialised.
	Loaded bool `json:"loaded"`
	// Path is the folder the libraries were loaded from (or tried last).
	Path string `json:"path,omitempty"`
	// Version is llama_version() of the library, e.g. "0.4.0".
	Version string `json:"version,omitempty"`
	// Package names the npm package the folder was fetched from, read from the
	// .fetch-stamp that scripts/fetch-runtimes.sh writes, e.g. "@node-llama-cpp/linux-x64@3.21.1".
	Package string `json:"package,omitempty"`
	// SystemInfo is llama_print_system_info(): CPU features per backend.
	SystemInfo string `json:"system_info,omitempty"`
	// Backends are the ggml backends registered, e.g. ["CPU"], ["Vulkan", "CPU"].
	Backends []string `json:"backends,omitempty"`
	// Devices are the compute devices those backends offer.
	Devices []Device `json:"devices,omitempty"`
	// GPUOffload reports whether layers can be offloaded to a GPU.
	GPUOffload bool `json:"gpu_offload"`
	// Searched lists the places looked at when no folder was given.
	Searched []string `json:"searched,omitempty"`
	// Error says why the library is not loaded; empty when Loaded.
	Error string `json:"error,omitempty"`
}

// Device is one ggml compute device.
type Device struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Type        string `json:"type"`    // CPU, GPU, IGPU, ACCEL
	Backend     string `json:"backend"` // CPU, Vulkan, CUDA, …
	MemoryTotal uint64 `json:"memory_total,omitempty"`
	MemoryFree  uint64 `json:"memory_free,omitempty"`
}

// ErrNotFound is returned (wrapped) when no llama.cpp library folder is found.
var ErrNotFound = errors.New("llama.cpp libraries not found")

// ErrNotInitialized is returned by functions that need llama.cpp before [Init] succeeded.
var ErrNotInitialized = errors.New("llama.cpp is not loaded")

// PlatformDir is the folder name for this platform under models/llama: "<os>-<arch>" with
// Go's amd64 written x64, e.g. "linux-x64", "windows-x64".
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

// libraryFile is the file yzma opens first in a folder, for the short name ("llama", "ggml").
func libraryFile(dir, short string) string { return loader.GetLibraryFilename(dir, short) }

// requiredLibraries are the short names yzma loads from the folder.
var requiredLibraries = []string{"ggml", "ggml-base", "llama"}

// DefaultLibraryDirs returns the folders looked at for the libraries, in order. When
// PDMSTUDIO_LLAMA_LIB is set, the list is just that folder. Otherwise, for each base of
//
//	<exe dir>/models/llama/   <exe dir>/../../models/llama/   <cwd>/models/llama/
//
// it lists <base>/<os>-<arch>-vulkan (Windows only: the GPU build is preferred) and
// <base>/<os>-<arch>. Duplicates are removed.
func DefaultLibraryDirs() []string {
	if p := strings.TrimSpace(os.Getenv(EnvLibrary)); p != "" {
		return []string{p}
	}
	var bases []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		d := filepath.Dir(exe)
		bases = append(bases, filepath.Join(d, "models", "llama"), filepath.Join(d, "..", "..", "models", "llama"))
	}
	if cwd, err := os.Getwd(); err == nil {
		bases = append(bases, filepath.Join(cwd, "models", "llama"))
	}
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		d = filepath.Clean(d)
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, b := range bases {
		if runtime.GOOS == "windows" {
			add(filepath.Join(b, PlatformDir()+"-vulkan"))
		}
		add(filepath.Join(b, PlatformDir()))
	}
	return dirs
}

// FindLibrary returns the first folder among dirs (default: [DefaultLibraryDirs]) that holds
// the libraries yzma loads (libllama, libggml, libggml-base). The error wraps [ErrNotFound]
// and names every folder looked at.
func FindLibrary(dirs ...string) (string, error) {
	if len(dirs) == 0 {
		dirs = DefaultLibraryDirs()
	}
	var tried []string
	for _, d := range dirs {
		if d == "" {
			continue
		}
		ok := true
		for _, short := range requiredLibraries {
			if st, err := os.Stat(libraryFile(d, short)); err != nil || st.IsDir() {
				ok = false
				break
			}
		}
		if ok {
			return d, nil
		}
		tried = append(tried, d)
	}
	return "", fmt.Errorf("%w (looked in %s for %s; run `make` or scripts/fetch-runtimes.sh models, or set %s to the folder)",
		ErrNotFound, strings.Join(tried, ", "), filepath.Base(libraryFile("", "llama")), EnvLibrary)
}

var (
	mu    sync.Mutex
	state Info
	// loadedDir is the folder whose libraries are in the process; yzma cannot unload them.
	loadedDir string
)

// Init loads llama.cpp from the first folder [FindLibrary] finds and initialises its
// backends, once per process. After a success later calls return the cached Info; after a
// failure a later call tries again.
func Init() (Info, error) { return InitFrom("") }

// InitFrom is [Init] with an explicit library folder ("" = search the default places).
func InitFrom(dir string) (Info, error) {
	mu.Lock()
	defer mu.Unlock()
	if state.Loaded {
		return cloneInfo(state), nil
	}
	info := Info{}
	var err error
	if dir == "" {
		info.Searched = DefaultLibraryDirs()
		if dir, err = FindLibrary(info.Searched...); err != nil {
			info.Error = err.Error()
			state = info
			return cloneInfo(state), err
		}
	} else if _, err := FindLibrary(dir); err != nil {
		info.Path = dir
		info.Error = err.Error()
		state = info
		return cloneInfo(state), err
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	info.Path = dir
	if loadedDir != "" && loadedDir != dir {
		err = fmt.Errorf("llama.cpp libraries from %s are already in this process; cannot load %s as well", loadedDir, dir)
		info.Error = err.Error()
		state = info
		return cloneInfo(state), err
	}
	if err := load(dir); err != nil {
		err = fmt.Errorf("loading llama.cpp from %s: %w (the libraries may not match github.com/hybridgroup/yzma; keep @node-llama-cpp packages on 3.21.1)", dir, err)
		info.Error = err.Error()
		state = info
		return cloneInfo(state), err
	}
	loadedDir = dir
	describe(&info)
	info.Loaded = true
	state = info
	return cloneInfo(state), nil
}

// load runs yzma's Load and Init with llama.cpp's log routed to slog, recovering from panics
// in the binding (a library missing a symbol yzma expects).
func load(dir string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while loading: %v", r)
		}
	}()
	if err := platformPreload(dir); err != nil {
		return err
	}
	if err := llama.Load(dir); err != nil {
		return err
	}
	llama.LogSet(logCallback())
	llama.Init()
	return platformPostInit(dir)
}

// describe fills version, backends and devices from the loaded library.
func describe(info *Info) {
	info.Version = libraryVersion(info.Path)
	info.Package = stampPackage(info.Path)
	info.SystemInfo = strings.TrimSpace(llama.PrintSystemInfo())
	info.GPUOffload = llama.SupportsGpuOffload()
	seen := map[string]bool{}
	for i := uint64(0); i < llama.GGMLBackendRegCount(); i++ {
		reg := llama.GGMLBackendRegGet(i)
		if reg == 0 {
			continue
		}
		if n := llama.GGMLBackendRegName(reg); n != "" && !seen[n] {
			seen[n] = true
			info.Backends = append(info.Backends, n)
		}
	}
	for i := uint64(0); i < llama.GGMLBackendDeviceCount(); i++ {
		dev := llama.GGMLBackendDeviceGet(i)
		if dev == 0 {
			continue
		}
		d := Device{
			Name:        llama.GGMLBackendDeviceName(dev),
			Description: llama.GGMLBackendDeviceDescription(dev),
			Type:        llama.GGMLBackendDevType(dev).String(),
			Backend:     llama.GGMLBackendRegName(llama.GGMLBackendDeviceBackendReg(dev)),
		}
		d.MemoryFree, d.MemoryTotal = llama.GGMLBackendDeviceMemory(dev)
		info.Devices = append(info.Devices, d)
	}
}

// libraryVersion calls llama_version(), which yzma v1.28.0 does not wrap; "" if absent.
func libraryVersion(dir string) string {
	lib, err := loader.LoadLibrary(dir, "llama")
	if err != nil {
		return ""
	}
	fn, err := lib.Prep("llama_version", &ffi.TypePointer)
	if err != nil {
		return ""
	}
	var p *byte
	fn.Call(unsafe.Pointer(&p))
	if p == nil {
		return ""
	}
	var b []byte
	for q := unsafe.Pointer(p); *(*byte)(q) != 0 && len(b) < 256; q = unsafe.Add(q, 1) {
		b = append(b, *(*byte)(q))
	}
	return string(b)
}

// stampPackage reads "name@version" from the folder's .fetch-stamp, if any.
func stampPackage(dir string) string {
	f, err := os.Open(filepath.Join(dir, ".fetch-stamp"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if sc.Scan() {
		if fields := strings.Fields(strings.TrimPrefix(sc.Text(), "#")); len(fields) > 0 {
			return fields[0]
		}
	}
	return ""
}

// Probe reports the library's state for the doctor command. If Init has not succeeded yet it
// runs Init (the user may have fetched the libraries since); once loaded it only copies the
// cached Info.
func Probe() Info {
	if info := Current(); info.Loaded {
		return info
	}
	info, _ := Init()
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

func cloneInfo(i Info) Info {
	i.Backends = append([]string(nil), i.Backends...)
	i.Devices = append([]Device(nil), i.Devices...)
	i.Searched = append([]string(nil), i.Searched...)
	return i
}

// Logging: llama.cpp writes through a callback, often in fragments; whole lines go to slog.

var (
	logOnce   sync.Once
	logCB     uintptr
	logMu     sync.Mutex
	logBuf    strings.Builder
	logLvl    int32
	logTarget atomic.Pointer[slog.Logger]
)

// SetLogger sends llama.cpp's log lines to l: errors at Error, warnings at Warn, the rest at
// Debug. Nil (the default) uses slog.Default().
func SetLogger(l *slog.Logger) { logTarget.Store(l) }

// ggml_log_level values.
const (
	ggmlLogDebug = 1
	ggmlLogInfo  = 2
	ggmlLogWarn  = 3
	ggmlLogError = 4
	ggmlLogCont  = 5
)

func logCallback() uintptr {
	logOnce.Do(func() {
		logCB = purego.NewCallback(func(level int32, text *byte, _ uintptr) uintptr {
			if text == nil {
				return 0
			}
			var b []byte
			for q := unsafe.Pointer(text); *(*byte)(q) != 0; q = unsafe.Add(q, 1) {
				b = append(b, *(*byte)(q))
			}
			logWrite(level, string(b))
			return 0
		})
	})
	return logCB
}

func logWrite(level int32, s string) {
	logMu.Lock()
	defer logMu.Unlock()
	if level != ggmlLogCont {
		logLvl = level
	}
	logBuf.WriteString(s)
	for {
		buf := logBuf.String()
		i := strings.IndexByte(buf, '\n')
		if i < 0 {
			return
		}
		line := strings.TrimSpace(buf[:i])
		rest := buf[i+1:]
		logBuf.Reset()
		logBuf.WriteString(rest)
		if line == "" {
			continue
		}
		l := logTarget.Load()
		if l == nil {
			l = slog.Default()
		}
		switch logLvl {
		case ggmlLogError:
			l.Error("llama.cpp: " + line)
		case ggmlLogWarn:
			l.Warn("llama.cpp: " + line)
		default:
			l.Debug("llama.cpp: " + line)
		}
	}
}
