//go:build windows

package llm

import (
	"fmt"
	"path/filepath"
	"runtime"
	"syscall"
	"unsafe"
)

// platformPreload adds dir to the DLL search path, so that llama.dll finds ggml-base.dll and
// the versioned ggml DLL it imports beside it.
func platformPreload(dir string) error {
	p, err := syscall.UTF16PtrFromString(dir)
	if err != nil {
		return err
	}
	proc := syscall.NewLazyDLL("kernel32.dll").NewProc("SetDllDirectoryW")
	if r, _, e := proc.Call(uintptr(unsafe.Pointer(p))); r == 0 {
		return fmt.Errorf("SetDllDirectoryW(%s): %v", dir, e)
	}
	return nil
}

// platformPostInit loads the ggml backends into the ggml DLL that llama.dll really uses.
//
// The npm packages ship ggml.v0.4.0.dll and llama.v0.4.0.dll (…vulkan… for the GPU build);
// yzma opens ggml.dll and llama.dll, which scripts/fetch-runtimes.sh makes as copies. Windows
// identifies a loaded DLL by file name, so llama.dll's import of the versioned ggml DLL is a
// second ggml instance, with its own empty backend registry: llama.Init filled the registry
// of ggml.dll only. Loading the backends through the versioned DLL as well fixes that.
func platformPostInit(dir string) error {
	matches, _ := filepath.Glob(filepath.Join(dir, "ggml.*v[0-9]*.dll"))
	if len(matches) == 0 {
		return nil // a folder with a plain ggml.dll that llama.dll imports directly
	}
	h, err := syscall.LoadLibrary(matches[0])
	if err != nil {
		return fmt.Errorf("loading %s: %w", matches[0], err)
	}
	fn, err := syscall.GetProcAddress(h, "ggml_backend_load_all_from_path")
	if err != nil {
		return fmt.Errorf("%s: %w", matches[0], err)
	}
	cdir := append([]byte(dir), 0)
	syscall.SyscallN(fn, uintptr(unsafe.Pointer(&cdir[0])))
	runtime.KeepAlive(cdir)
	return nil
}
