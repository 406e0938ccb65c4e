#include "textflag.h"

// Constants of expAVX2 (8 lanes each).
DATA expc<>+0(SB)/4, $0xc2aeac50   // -87.336548 (lower clamp)
DATA expc<>+4(SB)/4, $0x42b0bd71   // 88.37 (upper clamp: 2^n stays finite)
DATA expc<>+8(SB)/4, $0x3fb8aa3b   // log2(e)
DATA expc<>+12(SB)/4, $0x3f318000  // ln2 hi 0.693359375
DATA expc<>+16(SB)/4, $0xb95e8083  // ln2 lo -2.12194440e-4
DATA expc<>+20(SB)/4, $0x39500d01  // 1/5040
DATA expc<>+24(SB)/4, $0x3ab60b61  // 1/720
DATA expc<>+28(SB)/4, $0x3c088889  // 1/120
DATA expc<>+32(SB)/4, $0x3d2aaaab  // 1/24
DATA expc<>+36(SB)/4, $0x3e2aaaab  // 1/6
DATA expc<>+40(SB)/4, $0x3f000000  // 0.5
DATA expc<>+44(SB)/4, $0x3f800000  // 1
DATA expc<>+48(SB)/4, $0x0000007f  // 127
GLOBL expc<>(SB), RODATA|NOPTR, $52

// func expAVX2(x *float32, n int)
//
// x[i] = e^x[i] for i < n (n a multiple of 8): inputs clamped to [-87.34, 88.37], Cody–Waite
// reduction with n = round-to-nearest-even(x·log2 e), degree-7 Taylor polynomial, 2^n by
// exponent bits. Relative error below 2e-7, like Exp32.
TEXT ·expAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
	JZ done
	VBROADCASTSS expc<>+0(SB), Y8
	VBROADCASTSS expc<>+4(SB), Y9
	VBROADCASTSS expc<>+8(SB), Y10
	VBROADCASTSS expc<>+12(SB), Y11
	VBROADCASTSS expc<>+16(SB), Y12
	VBROADCASTSS expc<>+44(SB), Y13
	VPBROADCASTD expc<>+48(SB), Y14
loop:
	VMOVUPS (SI), Y0
	VMAXPS Y8, Y0, Y0
	VMINPS Y9, Y0, Y0
	VMULPS Y10, Y0, Y1
	VROUNDPS $0, Y1, Y1             // n, nearest even
	VFNMADD231PS Y11, Y1, Y0        // r = x - n·ln2hi
	VFNMADD231PS Y12, Y1, Y0        // r -= n·ln2lo
	VBROADCASTSS expc<>+20(SB), Y2  // p = 1/5040
	VBROADCASTSS expc<>+24(SB), Y3
	VFMADD213PS Y3, Y0, Y2          // p = p·r + 1/720
	VBROADCASTSS expc<>+28(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS expc<>+32(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS expc<>+36(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS expc<>+40(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VFMADD213PS Y13, Y0, Y2         // p = p·r + 1
	VFMADD213PS Y13, Y0, Y2         // p = p·r + 1
	VCVTPS2DQ Y1, Y1                // n as int32
	VPADDD Y14, Y1, Y1
	VPSLLD $23, Y1, Y1              // 2^n
	VMULPS Y1, Y2, Y0
	VMOVUPS Y0, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ loop
	VZEROUPPER
done:
	RET
