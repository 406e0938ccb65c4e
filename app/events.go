package app

import (
	"sync"
)

// Emitter sends named events to the UI: the Wails runtime in the desktop, SSE in serve mode.
type Emitter interface {
	Emit(name string, data any)
}

// Event is one event as it travels over SSE.
type Event struct {
	Name string `json:"name"`
	Data any    `json:"data"`
}

// Hub fans events out to any number of subscribers (SSE clients) and sinks (the Wails runtime).
// A slow subscriber loses intermediate events rather than blocking the emitter.
type Hub struct {
	mu    sync.Mutex
	subs  map[chan Event]struct{}
	sinks []Emitter
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[chan Event]struct{}{}} }

// Emit sends the event to every subscriber and sink.
func (h *Hub) Emit(name string, data any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ev := Event{Name: name, Data: data}
	for ch := range h.subs {
		select {
		case ch <- ev:
		default: // subscriber is behind; drop rather than stall the job runner
		}
	}
	for _, s := range h.sinks {
		s.Emit(name, data)
	}
}

// AddSink forwards every later event to e as well.
func (h *Hub) AddSink(e Emitter) {
	h.mu.Lock()
	h.sinks = append(h.sinks, e)
	h.mu.Unlock()
}

// Subscribe returns a channel of events and a function that ends the subscription.
func (h *Hub) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 512)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
		h.mu.Unlock()
	}
}
