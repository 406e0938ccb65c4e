//go:build !amd64

package nn

func kernels() []*microKernel { return []*microKernel{goKernel} }

func bestKernel() *microKernel { return goKernel }
