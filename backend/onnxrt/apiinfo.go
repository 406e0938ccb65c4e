package onnxrt

/*
#include <stdint.h>
#include <stdlib.h>

// Just enough of onnxruntime_c_api.h to list the execution providers. OrtApi is a table of
// function pointers that only ever grows, so an index into it is stable across versions.
// The indices below were computed with offsetof() against the header shipped with
// github.com/yalue/onnxruntime_go v1.27.0 (ORT_API_VERSION 24).
enum {
	pdm_idx_GetErrorMessage = 2,
	pdm_idx_ReleaseStatus = 93,
	pdm_idx_GetAvailableProviders = 125,
	pdm_idx_ReleaseAvailableProviders = 126,
	pdm_idx_GetBuildInfoString = 254,
	pdm_api_version = 24
};

typedef struct {
	const void *(*GetApi)(uint32_t version);
	const char *(*GetVersionString)(void);
} pdm_OrtApiBase;

typedef pdm_OrtApiBase *(*pdm_GetApiBaseFn)(void);
typedef void *(*pdm_GetAvailableProvidersFn)(char ***out, int *len);
typedef void *(*pdm_ReleaseAvailableProvidersFn)(char **ptr, int len);
typedef const char *(*pdm_GetErrorMessageFn)(const void *status);
typedef void (*pdm_ReleaseStatusFn)(void *status);
typedef const char *(*pdm_GetBuildInfoStringFn)(void);

static void *const *pdm_api(uintptr_t get_api_base) {
	pdm_OrtApiBase *base = ((pdm_GetApiBaseFn)get_api_base)();
	if (!base) return NULL;
	return (void *const *)base->GetApi(pdm_api_version);
}

// pdm_providers returns a malloc'd, '\n'-separated list of provider names, or NULL with
// *err set to a malloc'd message.
static char *pdm_providers(uintptr_t get_api_base, char **err) {
	void *const *api = pdm_api(get_api_base);
	*err = NULL;
	if (!api) return NULL;
	char **names = NULL;
	int n = 0;
	void *st = ((pdm_GetAvailableProvidersFn)api[pdm_idx_GetAvailableProviders])(&names, &n);
	if (st) {
		const char *m = ((pdm_GetErrorMessageFn)api[pdm_idx_GetErrorMessage])(st);
		size_t l = 0;
		while (m && m[l]) l++;
		*err = malloc(l + 1);
		for (size_t i = 0; i < l; i++) (*err)[i] = m[i];
		(*err)[l] = 0;
		((pdm_ReleaseStatusFn)api[pdm_idx_ReleaseStatus])(st);
		return NULL;
	}
	size_t total = 1;
	for (int i = 0; i < n; i++) {
		size_t l = 0;
		while (names[i][l]) l++;
		total += l + 1;
	}
	char *out = malloc(total), *p = out;
	for (int i = 0; i < n; i++) {
		for (const char *c = names[i]; *c; c++) *p++ = *c;
		if (i + 1 < n) *p++ = '\n';
	}
	*p = 0;
	void *st2 = ((pdm_ReleaseAvailableProvidersFn)api[pdm_idx_ReleaseAvailableProviders])(names, n);
	if (st2) ((pdm_ReleaseStatusFn)api[pdm_idx_ReleaseStatus])(st2);
	return out;
}

static const char *pdm_build_info(uintptr_t get_api_base) {
	void *const *api = pdm_api(get_api_base);
	if (!api) return NULL;
	return ((pdm_GetBuildInfoStringFn)api[pdm_idx_GetBuildInfoString])();
}
*/
import "C"

import (
	"errors"
	"strings"
	"unsafe"
)

// apiInfo is what onnxruntime_go does not expose: the providers compiled into the library
// and its build description.
type apiInfo struct {
	providers []string
	buildInfo string
}

// readAPIInfo asks the already loaded library at path for its providers and build info.
func readAPIInfo(path string) (apiInfo, error) {
	fn, release, err := lookupGetAPIBase(path)
	if err != nil {
		return apiInfo{}, err
	}
	defer release()
	var cerr *C.char
	list := C.pdm_providers(C.uintptr_t(fn), &cerr)
	if list == nil {
		if cerr != nil {
			defer C.free(unsafe.Pointer(cerr))
			return apiInfo{}, errors.New(C.GoString(cerr))
		}
		return apiInfo{}, errors.New("ORT API 24 is not available")
	}
	defer C.free(unsafe.Pointer(list))
	var info apiInfo
	if s := C.GoString(list); s != "" {
		info.providers = strings.Split(s, "\n")
	}
	if b := C.pdm_build_info(C.uintptr_t(fn)); b != nil {
		info.buildInfo = strings.TrimSpace(C.GoString(b))
	}
	return info, nil
}
