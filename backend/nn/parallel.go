package nn

import (
	"sync"
	"sync/atomic"
)

// Parallel runs f(0), …, f(n−1) on up to workers goroutines (workers <= 0: the Gemm thread
// setting, see SetThreads) and waits for them. Each index runs entirely on one goroutine, so
// results that depend only on the index are deterministic whatever the scheduling.
func Parallel(n, workers int, f func(i int)) {
	if workers <= 0 {
		workers = numThreads()
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// DeriveSeed returns a seed for stream key of a computation seeded with seed (splitmix64 of
// both), so that parallel workers can each own a generator independent of scheduling.
func DeriveSeed(seed, key uint64) uint64 {
	z := seed ^ (key+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// parallelRange runs f over [0, n) in contiguous chunks of at least grain elements on the
// Gemm threads (one chunk when n is small). For elementwise work, whose result does not
// depend on how it is split.
func parallelRange(n, grain int, f func(lo, hi int)) {
	chunks := min(numThreads(), max(1, n/grain))
	if chunks <= 1 {
		f(0, n)
		return
	}
	Parallel(chunks, chunks, func(c int) { f(c*n/chunks, (c+1)*n/chunks) })
}
