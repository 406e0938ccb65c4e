package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"pdmstudio/backend/apperr"
)

// maxCallBody bounds the JSON argument list of one call (profiles and uploads included).
const maxCallBody = 32 << 20

// HTTPOptions configure the headless face.
type HTTPOptions struct {
	Assets fs.FS  // the built UI (frontend/dist); nil serves only the API
	Caller Caller // who HTTP callers are (no user accounts yet)
	// AllowRemote permits a non-loopback Host header (serve was asked to bind a non-loopback address).
	AllowRemote bool
}

// HTTPHandler serves the UI, `POST /api/call/{Service}/{Method}` through the dispatcher and
// `GET /api/events` as Server-Sent Events.
func (c *Core) HTTPHandler(opts HTTPOptions) http.Handler {
	d := c.Dispatcher()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/call/{service}/{method}", func(w http.ResponseWriter, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			// A cross-site form cannot send application/json without a CORS preflight we never answer.
			writeError(w, apperr.BadInputf("calls must be sent as application/json"))
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxCallBody+1))
		if err != nil {
			writeError(w, apperr.BadInputf("read request: %v", err))
			return
		}
		if len(body) > maxCallBody {
			writeError(w, apperr.BadInputf("request body is larger than %d MB", maxCallBody>>20))
			return
		}
		var args []json.RawMessage
		if len(strings.TrimSpace(string(body))) > 0 {
			if err := json.Unmarshal(body, &args); err != nil {
				writeError(w, apperr.BadInputf("the request body must be a JSON array of arguments: %v", err))
				return
			}
		}
		start := time.Now()
		res, err := d.Invoke(r.Context(), opts.Caller, r.PathValue("service"), r.PathValue("method"), args)
		if err != nil {
			if apperr.KindOf(err) == apperr.KindInternal {
				c.Log.Error("call failed", "method", r.PathValue("service")+"."+r.PathValue("method"), "err", err)
			}
			writeError(w, err)
			return
		}
		c.Log.Debug("call", "method", r.PathValue("service")+"."+r.PathValue("method"), "ms", time.Since(start).Milliseconds())
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"result": res})
	})
	mux.HandleFunc("GET /api/events", func(w http.ResponseWriter, r *http.Request) { c.serveEvents(w, r) })
	mux.HandleFunc("GET /api/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, apperr.NotFoundf("no API route %s %s", r.Method, r.URL.Path))
	})
	if opts.Assets != nil {
		mux.Handle("/", spaHandler(opts.Assets))
	}
	return hostGuard(mux, opts.AllowRemote)
}

// hostGuard refuses requests whose Host is not a loopback name, so a web page on another site
// cannot reach the local server by DNS rebinding.
func hostGuard(next http.Handler, allowRemote bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowRemote && !loopbackHost(r.Host) {
			http.Error(w, "PdM Studio serves loopback clients only; start serve with --allow-remote to change that", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func loopbackHost(hostport string) bool {
	h := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// spaHandler serves the built UI: files as they are, any other path as index.html so the client
// router can take it.
func spaHandler(assets fs.FS) http.Handler {
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" {
			p = "index.html"
		}
		if _, err := fs.Stat(assets, p); err != nil {
			if path.Ext(p) != "" {
				http.NotFound(w, r)
				return
			}
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/"
			files.ServeHTTP(w, r2)
			return
		}
		if strings.HasPrefix(p, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
}

func (c *Core) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Connection", "keep-alive")
	ch, cancel := c.Events.Subscribe()
	defer cancel()
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	fl.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		case ev, ok := <-ch:
			if !ok {
				return
			}
			b, err := json.Marshal(ev)
			if err != nil {
				c.Log.Warn("event not encodable", "name", ev.Name, "err", err)
				continue
			}
			fmt.Fprintf(w, "data: %s\n\n", b)
			fl.Flush()
		}
	}
}

// errorBody is the JSON shape of a failed call in both faces.
type errorBody struct {
	Error *apperr.Error `json:"error"`
}

func httpStatus(k apperr.Kind) int {
	switch k {
	case apperr.KindBadInput:
		return http.StatusBadRequest
	case apperr.KindNotFound:
		return http.StatusNotFound
	case apperr.KindConflict:
		return http.StatusConflict
	case apperr.KindForbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, err error) {
	e := apperr.As(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus(e.Kind))
	json.NewEncoder(w).Encode(errorBody{Error: e})
}

// Serve runs the headless face on addr until ctx ends. A non-loopback addr is refused unless
// allowRemote is set.
func (c *Core) Serve(ctx context.Context, addr string, opts HTTPOptions, ready func(net.Addr)) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return apperr.BadInputf("--addr %q is not host:port: %v", addr, err)
	}
	if !opts.AllowRemote && !loopbackHost(host) {
		return apperr.BadInputf("--addr %s is not a loopback address; PdM Studio has no user accounts yet, so serving the network needs --allow-remote", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	baseCtx, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	srv := &http.Server{Handler: c.HTTPHandler(opts), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return baseCtx }}
	if ready != nil {
		ready(ln.Addr())
	}
	c.Log.Info("serving", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		cancelBase() // ends the event streams so Shutdown need not wait for them
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
