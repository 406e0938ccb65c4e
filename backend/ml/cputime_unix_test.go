//go:build unix

package ml

import "syscall"

// processCPU returns the CPU time (user + system, all threads) this process has used, in
// seconds. Benchmarks report it beside wall time because the shared build machine is often
// oversubscribed, which inflates wall time but not CPU time.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
