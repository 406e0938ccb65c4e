//go:build windows

package onnxrt

import (
	"fmt"
	"syscall"
)

// lookupGetAPIBase returns OrtGetApiBase of the library at path (already loaded by
// onnxruntime_go, so LoadLibrary only adds a reference) and a function that drops it.
func lookupGetAPIBase(path string) (uintptr, func(), error) {
	h, err := syscall.LoadLibrary(path)
	if err != nil {
		return 0, nil, fmt.Errorf("loading %s: %w", path, err)
	}
	p, err := syscall.GetProcAddress(h, "OrtGetApiBase")
	if err != nil {
		syscall.FreeLibrary(h)
		return 0, nil, fmt.Errorf("OrtGetApiBase not found in %s: %w", path, err)
	}
	return p, func() { syscall.FreeLibrary(h) }, nil
}
