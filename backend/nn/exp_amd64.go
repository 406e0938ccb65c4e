package nn

//go:noescape
func expAVX2(x *float32, n int)
