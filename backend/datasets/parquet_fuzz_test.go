package datasets

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

// parquetSeeds are small valid files of every column type, for the fuzzer to mutate.
func parquetSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	n := 50
	fl, in, st, bo, ts := make([]float64, n), make([]int64, n), make([]string, n), make([]bool, n), make([]int64, n)
	for i := range n {
		fl[i], in[i], st[i], bo[i], ts[i] = float64(i)/3, int64(i*7), []string{"a", "bb", "ccc"}[i%3], i%2 == 0, 1_700_000_000_000+int64(i)*60_000
	}
	tables := []*Table{
		{Columns: []*Column{NewFloat("x", fl, Meta{}), NewInt("n", in, Meta{}), NewString("s", st, Meta{}), NewBool("b", bo, Meta{}), NewTimestamp("t", ts, Meta{})}},
		{Columns: []*Column{NewFloat("only", fl[:3], Meta{})}},
	}
	var out [][]byte
	for _, t := range tables {
		var buf bytes.Buffer
		if err := EncodeParquet(&buf, t); err != nil {
			tb.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

// FuzzDecodeParquet feeds mutated Parquet files to DecodeParquet: it must never panic, answer
// anything but bad input for a broken file, or hand back an inconsistent table; and memory must
// follow the values the file really holds, not the row count its footer claims.
func FuzzDecodeParquet(f *testing.F) {
	for _, s := range parquetSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := DecodeParquet(bytes.NewReader(data), int64(len(data)))
		checkDecoded(t, tb, err)
	})
}

// A damaged footer length or page header is refused before anything is allocated from it
// (parquet-go would allocate the claimed size first: up to 4 GiB for a 400-byte file).
func TestDecodeParquetRefusesClaimsLargerThanTheFile(t *testing.T) {
	good := parquetSeeds(t)[1]
	footer := append([]byte(nil), good...)
	copy(footer[len(footer)-8:], []byte{0xff, 0xff, 0xff, 0xfe})
	noMagic := append([]byte(nil), good...)
	copy(noMagic[len(noMagic)-4:], "PAR2")
	for name, data := range map[string][]byte{"footer length": footer, "end mark": noMagic, "tiny": good[:10]} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := DecodeParquet(bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&after)
		if apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), "not a readable Parquet file") {
			t.Errorf("%s: %v, want a bad-input error naming the file as unreadable", name, err)
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
			t.Errorf("%s: allocated %d bytes to refuse a %d-byte file", name, d, len(data))
		}
	}
	if _, err := DecodeParquet(bytes.NewReader(good), int64(len(good))); err != nil {
		t.Fatalf("the undamaged file: %v", err)
	}
}
