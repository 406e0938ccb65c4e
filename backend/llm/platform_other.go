//go:build !windows

package llm

// platformPreload prepares the process before yzma loads the libraries in dir. On Linux and
// macOS the libraries find each other through their RUNPATH ($ORIGIN) and the libllama.so /
// libggml.so links resolve to the same loaded objects as the versioned names.
func platformPreload(dir string) error { return nil }

// platformPostInit runs after llama.Init.
func platformPostInit(dir string) error { return nil }
