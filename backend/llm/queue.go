package llm

import (
	"context"
	"errors"
	"sync"
)

// ErrEngineClosed is returned by [Engine] calls after the engine was closed (the model was
// unloaded or replaced), including calls that were waiting in its queue.
var ErrEngineClosed = errors.New("the language model was unloaded")

// fifo grants one turn at a time, in arrival order. A waiter whose context ends leaves the
// queue without ever running; close fails every waiter.
type fifo struct {
	mu      sync.Mutex
	busy    bool
	closed  bool
	waiters []chan error
}

// acquire waits for the turn. On success the caller must call release.
func (q *fifo) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrEngineClosed
	}
	if !q.busy {
		q.busy = true
		q.mu.Unlock()
		return nil
	}
	w := make(chan error, 1)
	q.waiters = append(q.waiters, w)
	q.mu.Unlock()

	select {
	case err := <-w:
		return err
	case <-ctx.Done():
		q.mu.Lock()
		for i, x := range q.waiters {
			if x == w {
				q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
				q.mu.Unlock()
				return ctx.Err()
			}
		}
		q.mu.Unlock()
		// The turn (or the close) arrived as ctx ended: pass a granted turn on.
		if err := <-w; err == nil {
			q.release()
		}
		return ctx.Err()
	}
}

// release hands the turn to the oldest waiter, or frees it.
func (q *fifo) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiters) > 0 {
		w := q.waiters[0]
		q.waiters = q.waiters[1:]
		w <- nil
		return
	}
	q.busy = false
}

// waiting is the number of callers queued behind the running one.
func (q *fifo) waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiters)
}

// close refuses new callers and fails the queued ones; the running one finishes.
func (q *fifo) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	for _, w := range q.waiters {
		w <- ErrEngineClosed
	}
	q.waiters = nil
}
