//go:build unix

package tvae

import "syscall"

// processCPU returns the CPU time (user + system) this process has used, in seconds: on a
// machine shared with other work, wall-clock time says little, CPU time does.
func processCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
