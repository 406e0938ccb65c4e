// Package onnxpb holds the Go types of the ONNX protobuf schema (ModelProto, GraphProto,
// NodeProto, TensorProto, …), generated from onnx.proto of ONNX 1.12 (IR version 8).
//
// The schema covers the ONNX-ML operators too: TreeEnsembleRegressor and friends are plain
// NodeProto values in the "ai.onnx.ml" domain whose parameters are AttributeProto lists, so
// a model only has to import that opset (OperatorSetIdProto{Domain: "ai.onnx.ml", Version: 3}).
//
// onnx.proto is a copy of /usr/include/onnx/onnx.proto from Debian's libonnx-dev 1.12 with a
// go_package option added. To regenerate onnx.pb.go after changing it:
//
//	apt-get install -y protobuf-compiler                                  # protoc 3.21
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12     # match go.mod
//	go generate ./backend/onnxrt/onnxpb
//
// The generated file is committed so that building needs neither protoc nor the plugin.
package onnxpb

//go:generate protoc --proto_path=. --go_out=. --go_opt=paths=source_relative onnx.proto
