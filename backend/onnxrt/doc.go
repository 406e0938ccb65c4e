// Package onnxrt loads ONNX Runtime, writes ONNX models from Go and runs them.
//
// # Library
//
// ONNX Runtime is a native library fetched by `scripts/fetch-runtimes.sh` into
// models/onnxruntime/<os>-<arch>/ (see models/README.md). [DefaultLibraryDirs] lists where
// it is looked for, [FindLibrary] picks the first hit and [Init] loads it once per process
// (a failed load may be retried with another path). [Probe] reports the state for the
// `doctor` command and is cheap once the library is loaded.
//
// The Go binding is github.com/yalue/onnxruntime_go v1.27.0, which needs ORT API 24, i.e.
// ONNX Runtime 1.24 or newer; it uses cgo.
//
// # Execution providers
//
// [ProviderAuto] tries CUDA, then DirectML, and keeps the first that ONNX Runtime accepts;
// otherwise sessions run on the CPU. [ProviderCPU] always uses the CPU. The npm Linux build
// lists CUDA, TensorRT and WebGPU but ships without the CUDA provider library, so it runs on
// the CPU; the Windows build includes DirectML. [Info.ProviderNotes] says why a GPU provider
// was not picked.
//
// # Writing models
//
// [Graph] builds an ONNX ModelProto (IR 8, opset 17; "ai.onnx.ml" opset 3 when an ML operator
// is used) from nodes and float32 initializers; [MLP] and [TreeEnsemble] turn trained
// parameters into graphs, and both have pure-Go evaluators ([MLPForward],
// [TreeEnsemble.Predict]) that compute the same thing for use without the library.
//
// # Running models
//
// [NewSession] and [NewSessionFromBytes] load a model; [Session.Run] is safe for concurrent use.
package onnxrt
