package nn

import "runtime"

func runtimeGOMAXPROCS(n int) int { return runtime.GOMAXPROCS(n) }

const goldenFirst uint64 = 0x99ec5f36cb75f2b4 // xoshiro256** after splitmix64(0), checked against the reference algorithm
