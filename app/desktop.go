package app

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"pdmstudio/backend/apperr"
)

// Bridge is the only struct Wails binds. Its Call runs the same dispatcher as the HTTP face, so the
// permission check cannot be bypassed from the webview and no method is exposed twice.
type Bridge struct {
	ctx context.Context
	d   *Dispatcher
}

// Call invokes service.method with a JSON argument list and returns the JSON result. A failure
// comes back as an error whose message is the JSON error object {"code","message","fields"}.
func (b *Bridge) Call(service, method string, args []json.RawMessage) (json.RawMessage, error) {
	ctx := b.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := b.d.Invoke(ctx, LocalAdmin, service, method, args)
	if err != nil {
		e, _ := json.Marshal(apperr.As(err))
		return nil, errors.New(string(e))
	}
	out, err := json.Marshal(res)
	if err != nil {
		return nil, errors.New(`{"code":"internal","message":"result not encodable"}`)
	}
	return out, nil
}

// wailsEmitter forwards hub events to the webview.
type wailsEmitter struct{ ctx context.Context }

func (w wailsEmitter) Emit(name string, data any) { wruntime.EventsEmit(w.ctx, name, data) }

// WebView2EnvVar names a Fixed Version WebView2 runtime folder for offline Windows machines.
const WebView2EnvVar = "PDMSTUDIO_WEBVIEW2_DIR"

// webview2Path finds a Fixed Version WebView2 runtime: the env var, the setting, or a "webview2"
// folder beside the executable. Empty means the installed Evergreen runtime.
func webview2Path(c *Core) string {
	if runtime.GOOS != "windows" {
		return ""
	}
	if p := os.Getenv(WebView2EnvVar); p != "" {
		return p
	}
	if v, ok, _ := c.Store.GetSetting(context.Background(), "webview2.runtime_dir"); ok && v != "" {
		return v
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "webview2")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
	}
	return ""
}

// RunDesktop opens the desktop window and blocks until it is closed.
func RunDesktop(c *Core, assets fs.FS) error {
	b := &Bridge{d: c.Dispatcher()}
	if runtime.GOOS == "linux" {
		// WebKitGTK's accelerated compositing paints nothing on machines without a working GPU
		// driver (virtual machines, Xvfb, some NVIDIA setups): the window stays blank. Software
		// compositing is plenty for this UI. A user can still opt back in by setting the variable.
		for _, k := range []string{"WEBKIT_DISABLE_COMPOSITING_MODE", "WEBKIT_DISABLE_DMABUF_RENDERER"} {
			if _, set := os.LookupEnv(k); !set {
				os.Setenv(k, "1")
			}
		}
	}
	return wails.Run(&options.App{
		Title:            "PdM Studio",
		Width:            1440,
		Height:           900,
		MinWidth:         1024,
		MinHeight:        680,
		BackgroundColour: &options.RGBA{R: 15, G: 23, B: 42, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			b.ctx = ctx
			c.Events.AddSink(wailsEmitter{ctx: ctx})
			c.Log.Info("desktop window started")
			c.StartLive(ctx)
			if os.Getenv("PDMSTUDIO_NO_BOOTSTRAP") == "" {
				if _, err := c.AutoBootstrap(ctx); err != nil {
					c.Log.Error("demo fleet bootstrap", "err", err)
				}
			}
		},
		OnShutdown: func(ctx context.Context) { c.Log.Info("desktop window closed") },
		Bind:       []any{b},
		Windows: &windows.Options{
			WebviewBrowserPath:  webview2Path(c),
			WebviewUserDataPath: filepath.Join(c.Dir.Root, "webview"),
			Messages:            webview2Messages(),
		},
		Linux: &linux.Options{ProgramName: "pdmstudio"},
	})
}

// webview2Messages replaces Wails' defaults, which point an offline laptop at a download page it
// cannot reach, with instructions that work offline.
func webview2Messages() *windows.Messages {
	m := windows.DefaultMessages()
	offline := "PdM Studio needs the Microsoft Edge WebView2 runtime (94.0.992.31 or newer). " +
		"On a machine without internet access, copy the WebView2 Fixed Version runtime folder next to " +
		"pdmstudio.exe as a folder named \"webview2\", or set " + WebView2EnvVar + " to its path, then start PdM Studio again."
	m.InstallationRequired = offline
	m.Webview2NotInstalled = offline
	m.MissingRequirements = offline
	m.FailedToInstall = offline
	m.InvalidFixedWebview2 = "The WebView2 runtime folder configured for PdM Studio is not a valid Fixed Version runtime. " +
		"Check the \"webview2\" folder next to pdmstudio.exe or the " + WebView2EnvVar + " setting."
	return m
}
