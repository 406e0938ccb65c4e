package datasets

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"pdmstudio/backend/apperr"
)

// TestDecodeParquetCorrupt flips random bytes of a valid file: decoding must either succeed or
// fail with a bad-input error, never panic or report an internal error.
func TestDecodeParquetCorrupt(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeParquet(&buf, sampleTable(t, 300)); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	rng := rand.New(rand.NewPCG(11, 12))
	for k := 0; k < 500; k++ {
		b := bytes.Clone(orig)
		for m := 0; m < 1+rng.IntN(4); m++ {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		if _, err := DecodeParquet(bytes.NewReader(b), int64(len(b))); err != nil && apperr.KindOf(err) != apperr.KindBadInput {
			t.Fatalf("mutation %d: %v (%s)", k, err, apperr.KindOf(err))
		}
	}
}
