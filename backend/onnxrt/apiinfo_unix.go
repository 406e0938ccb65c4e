//go:build !windows

package onnxrt

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// lookupGetAPIBase returns OrtGetApiBase of the library at path, which must already be loaded
// (RTLD_NOLOAD), and a function that drops the extra reference.
func lookupGetAPIBase(path string) (uintptr, func(), error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	h := C.dlopen(cpath, C.RTLD_LAZY|C.RTLD_NOLOAD)
	if h == nil {
		return 0, nil, fmt.Errorf("%s is not loaded", path)
	}
	name := C.CString("OrtGetApiBase")
	defer C.free(unsafe.Pointer(name))
	fn := C.dlsym(h, name)
	if fn == nil {
		C.dlclose(h)
		return 0, nil, fmt.Errorf("OrtGetApiBase not found in %s", path)
	}
	return uintptr(fn), func() { C.dlclose(h) }, nil
}
