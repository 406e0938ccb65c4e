// Package llm runs local language models with llama.cpp through github.com/hybridgroup/yzma
// (pure Go via purego and libffi: no cgo; Linux needs libffi8).
//
// # Library
//
// The llama.cpp shared libraries are fetched by `scripts/fetch-runtimes.sh` into
// models/llama/<os>-<arch>/ (see models/README.md). [DefaultLibraryDirs] lists where they are
// looked for, [FindLibrary] picks the first folder that has them and [Init] loads them once
// per process; [Probe] reports the state for the `doctor` command and is cheap once loaded.
// yzma v1.28.0 matches the @node-llama-cpp 3.21.1 libraries (llama.cpp "0.4.0"); newer
// yzma releases bind functions those libraries lack and fail to load them.
//
// # Models
//
// [ModelDirs] and [FindModels] list the GGUF files in the data directory's models/ and the
// models/ folders beside the app. [Inspect] reads a GGUF file's header in Go — name,
// architecture, parameters, quantisation, context length, chat template — and refuses files
// that would make llama.cpp abort the process (duplicate token strings, tensors beyond the
// end of the file, …). [LoadModel] inspects, then loads; [Model.Generate] streams a greedy or
// sampled continuation.
//
// Package gguftest writes tiny GGUF models for tests.
package llm
