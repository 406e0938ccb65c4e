//go:build !amd64

package nn

func kernels() []*microKernel { return []*microKernel{goKernel} }

func bestKernel() *microKernel { return goKernel }

const hasAVX2 = false

func expAVX2(x *float32, n int) { panic("nn: expAVX2 without amd64") }
