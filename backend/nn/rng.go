package nn

import (
	"math"
	"math/bits"
)

// RNG is a seeded pseudo-random generator (xoshiro256**, seeded through splitmix64). Its
// streams are fixed by the algorithm, not by the Go release, so the same seed gives the same
// numbers everywhere. It is not safe for concurrent use; give each goroutine its own (see
// Split).
type RNG struct {
	s [4]uint64
}

// NewRNG returns a generator seeded with seed.
func NewRNG(seed uint64) *RNG {
	r := &RNG{}
	r.Seed(seed)
	return r
}

// Seed resets r to the stream of seed.
func (r *RNG) Seed(seed uint64) {
	x := seed
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
}

// Split returns a new generator whose stream is determined by r's state and key, and advances
// r by one step. Use it to hand independent streams to parallel workers in a fixed order.
func (r *RNG) Split(key uint64) *RNG {
	return NewRNG(r.Uint64() ^ bits.RotateLeft64(key*0x9e3779b97f4a7c15, 17))
}

// Uint64 returns 64 uniformly random bits.
func (r *RNG) Uint64() uint64 {
	s := &r.s
	result := bits.RotateLeft64(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// Float64 returns a uniform number in [0, 1) with 53 random bits.
func (r *RNG) Float64() float64 {
	return float64(r.Uint64()>>11) * (1.0 / (1 << 53))
}

// IntN returns a uniform integer in [0, n). It panics if n <= 0.
func (r *RNG) IntN(n int) int {
	if n <= 0 {
		panic("nn: RNG.IntN with n <= 0")
	}
	hi, lo := bits.Mul64(r.Uint64(), uint64(n))
	if lo < uint64(n) {
		thresh := -uint64(n) % uint64(n)
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), uint64(n))
		}
	}
	return int(hi)
}

// NormFloat64 returns a standard normal number (Marsaglia and Tsang's ziggurat with 128
// strips; the strip index and the value come from separate bits of one 64-bit draw).
func (r *RNG) NormFloat64() float64 {
	for {
		u := r.Uint64()
		hz := int32(u >> 32)
		iz := u & 127
		x := float64(hz) * zigW[iz]
		if uint32(abs32(hz)) < zigK[iz] {
			return x
		}
		if iz == 0 {
			// The tail beyond zigR.
			for {
				x = -math.Log(1-r.Float64()) / zigR
				y := -math.Log(1 - r.Float64())
				if y+y >= x*x {
					break
				}
			}
			if hz > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[iz]+r.Float64()*(zigF[iz-1]-zigF[iz]) < math.Exp(-0.5*x*x) {
			return x
		}
	}
}

func abs32(x int32) int64 {
	if x < 0 {
		return -int64(x)
	}
	return int64(x)
}

// Ziggurat tables for the standard normal, 128 strips (Marsaglia & Tsang 2000).
const (
	zigR = 3.442619855899
	zigV = 9.91256303526217e-3
)

var (
	zigK [128]uint32
	zigW [128]float64
	zigF [128]float64
)

func init() {
	const m1 = 2147483648.0
	dn, tn := zigR, zigR
	q := zigV / math.Exp(-0.5*dn*dn)
	zigK[0] = uint32(dn / q * m1)
	zigK[1] = 0
	zigW[0] = q / m1
	zigW[127] = dn / m1
	zigF[0] = 1
	zigF[127] = math.Exp(-0.5 * dn * dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigV/dn+math.Exp(-0.5*dn*dn)))
		zigK[i+1] = uint32(dn / tn * m1)
		tn = dn
		zigF[i] = math.Exp(-0.5 * dn * dn)
		zigW[i] = dn / m1
	}
}

// Perm fills dst with a uniformly random permutation of 0..len(dst)-1 and returns it.
func (r *RNG) Perm(dst []int) []int {
	for i := range dst {
		dst[i] = i
	}
	r.Shuffle(dst)
	return dst
}

// Shuffle permutes xs uniformly at random (Fisher–Yates).
func (r *RNG) Shuffle(xs []int) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// FillNormal fills dst with standard normal numbers.
func FillNormal[T Float](r *RNG, dst []T) {
	if d32, ok := as32(dst); ok {
		for i := range d32 {
			d32[i] = float32(r.NormFloat64())
		}
		return
	}
	for i := range dst {
		dst[i] = T(r.NormFloat64())
	}
}

// FillUniform fills dst with uniform numbers in [lo, hi).
func FillUniform[T Float](r *RNG, dst []T, lo, hi float64) {
	for i := range dst {
		dst[i] = T(lo + (hi-lo)*r.Float64())
	}
}

// FillNormalSeeded fills dst with standard normal numbers from generators seeded with
// DeriveSeed(seed, chunk) for fixed chunks of 8192 values, on all Gemm threads; the result
// depends only on seed and len(dst).
func FillNormalSeeded[T Float](seed uint64, dst []T) {
	const chunk = 8192
	n := (len(dst) + chunk - 1) / chunk
	Parallel(n, 0, func(c int) {
		FillNormal(NewRNG(DeriveSeed(seed, uint64(c))), dst[c*chunk:min(len(dst), (c+1)*chunk)])
	})
}
