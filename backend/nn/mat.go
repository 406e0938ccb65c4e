package nn

import "fmt"

// Float is the element type of matrices and layers: float32 for training and inference,
// float64 for gradient checks and comparisons.
type Float interface{ float32 | float64 }

// Mat is a dense row-major matrix view: element (i, j) is Data[i*Stride+j]. Views share data.
type Mat[T Float] struct {
	Rows, Cols, Stride int
	Data               []T
}

// NewMat returns a zeroed rows×cols matrix.
func NewMat[T Float](rows, cols int) Mat[T] {
	return Mat[T]{Rows: rows, Cols: cols, Stride: cols, Data: make([]T, rows*cols)}
}

// MatOf returns a rows×cols view of data (len(data) must be rows*cols).
func MatOf[T Float](rows, cols int, data []T) Mat[T] {
	if len(data) != rows*cols {
		panic(fmt.Sprintf("nn: MatOf %d×%d over %d values", rows, cols, len(data)))
	}
	return Mat[T]{Rows: rows, Cols: cols, Stride: cols, Data: data}
}

// At returns element (i, j).
func (m Mat[T]) At(i, j int) T { return m.Data[i*m.Stride+j] }

// Set sets element (i, j).
func (m Mat[T]) Set(i, j int, v T) { m.Data[i*m.Stride+j] = v }

// Row returns row i (length Cols), sharing data.
func (m Mat[T]) Row(i int) []T { return m.Data[i*m.Stride : i*m.Stride+m.Cols] }

// RowSlice returns the view of rows [r0, r1).
func (m Mat[T]) RowSlice(r0, r1 int) Mat[T] {
	if r0 < 0 || r1 > m.Rows || r0 > r1 {
		panic(fmt.Sprintf("nn: RowSlice [%d,%d) of %d rows", r0, r1, m.Rows))
	}
	if r0 == r1 {
		return Mat[T]{Rows: 0, Cols: m.Cols, Stride: m.Stride}
	}
	return Mat[T]{Rows: r1 - r0, Cols: m.Cols, Stride: m.Stride, Data: m.Data[r0*m.Stride : (r1-1)*m.Stride+m.Cols]}
}

// ColSlice returns the view of columns [c0, c1).
func (m Mat[T]) ColSlice(c0, c1 int) Mat[T] {
	if c0 < 0 || c1 > m.Cols || c0 > c1 {
		panic(fmt.Sprintf("nn: ColSlice [%d,%d) of %d columns", c0, c1, m.Cols))
	}
	if m.Rows == 0 || c0 == c1 {
		return Mat[T]{Rows: m.Rows, Cols: c1 - c0, Stride: m.Stride}
	}
	return Mat[T]{Rows: m.Rows, Cols: c1 - c0, Stride: m.Stride, Data: m.Data[c0 : (m.Rows-1)*m.Stride+c1]}
}

// Zero sets every element of the view to 0.
func (m Mat[T]) Zero() {
	for i := 0; i < m.Rows; i++ {
		clear(m.Row(i))
	}
}

// CopyFrom copies src (same shape) into m.
func (m Mat[T]) CopyFrom(src Mat[T]) {
	if src.Rows != m.Rows || src.Cols != m.Cols {
		panic(fmt.Sprintf("nn: CopyFrom %d×%d into %d×%d", src.Rows, src.Cols, m.Rows, m.Cols))
	}
	for i := 0; i < m.Rows; i++ {
		copy(m.Row(i), src.Row(i))
	}
}
