package onnxrt

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkMLP compares ONNX Runtime with the pure-Go forward pass on a 32→64→64→1 MLP, for
// one row (latency) and 1000 rows (throughput). `make bench` runs it.
func BenchmarkMLP(b *testing.B) {
	requireORT(b)
	r := rand.New(rand.NewPCG(11, 12))
	layers := randomLayers(r, []int{32, 64, 64, 1}, []Activation{ReLU, ReLU, Linear})
	g, err := MLP("x", "y", layers)
	if err != nil {
		b.Fatal(err)
	}
	data, err := g.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	sessions := map[string]*Session{}
	for name, o := range map[string]*SessionOptions{
		"ort":         nil,
		"ort-spin":    {Spin: true},
		"ort-1thread": {IntraOpThreads: 1},
	} {
		s, err := NewSessionFromBytes(data, o)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		sessions[name] = s
	}
	for _, rows := range []int{1, 1000} {
		x := randFloats(r, rows*32, 1)
		for _, name := range []string{"ort", "ort-spin", "ort-1thread"} {
			s := sessions[name]
			b.Run(fmt.Sprintf("%s/rows=%d", name, rows), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.RunFloat32(x, int64(rows), 32); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("go/rows=%d", rows), func(b *testing.B) {
			for b.Loop() {
				if _, err := MLPForward(layers, x, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTreeEnsemble compares ONNX Runtime with the pure-Go evaluator on 100 trees of
// depth 6 over 32 features.
func BenchmarkTreeEnsemble(b *testing.B) {
	requireORT(b)
	r := rand.New(rand.NewPCG(13, 14))
	te := TreeEnsemble{NFeatures: 32, NOutputs: 1}
	for i := 0; i < 100; i++ {
		te.Trees = append(te.Trees, randomTree(r, 6, 32, 1))
	}
	g, err := te.RegressorGraph("x", "y")
	if err != nil {
		b.Fatal(err)
	}
	data, err := g.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSessionFromBytes(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, rows := range []int{1, 1000} {
		x := randFloats(r, rows*32, 1)
		b.Run(fmt.Sprintf("ort/rows=%d", rows), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.RunFloat32(x, int64(rows), 32); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("go/rows=%d", rows), func(b *testing.B) {
			for b.Loop() {
				if _, err := te.Predict(x, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
