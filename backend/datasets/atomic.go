package datasets

import (
	"bufio"
	"fmt"
	"io"

	"pdmstudio/backend/atomicfile"
)

// writeFileAtomic writes a file through backend/atomicfile: a temporary name in the same folder,
// flushed and synced, renamed over path only when complete. A failure removes the temporary file
// and leaves any existing file at path untouched; a kill leaves a partial file that the next
// start sweeps away (atomicfile.Sweep), never a half-written file under the final name.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	f, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
