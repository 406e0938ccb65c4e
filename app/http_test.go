package app

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"pdmstudio/backend/jobs"
)

func TestHTTPFaceServesCallsUIAndEvents(t *testing.T) {
	c := openTestCore(t)
	assets := fstest.MapFS{
		"index.html":    {Data: []byte("<html><title>PdM Studio</title></html>")},
		"assets/app.js": {Data: []byte("console.log(1)")},
	}
	srv := httptest.NewServer(c.HTTPHandler(HTTPOptions{Assets: assets, Caller: LocalAdmin}))
	defer srv.Close()

	post := func(path, body string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	code, out := post("/api/call/System/Version", "[]")
	if code != 200 || out["result"].(map[string]any)["go"] == "" {
		t.Fatalf("System.Version: %d %v", code, out)
	}
	code, out = post("/api/call/System/Doctor", "[]")
	if code != 200 {
		t.Fatalf("System.Doctor: %d %v", code, out)
	}
	tables := out["result"].(map[string]any)["tables"].([]any)
	if len(tables) < 8 {
		t.Fatalf("doctor tables: %v", tables)
	}
	code, out = post("/api/call/Jobs/Get", `["nope"]`)
	if code != 404 || out["error"].(map[string]any)["code"] != "not_found" {
		t.Fatalf("Jobs.Get unknown: %d %v", code, out)
	}
	code, out = post("/api/call/System/Shutdown", `[]`)
	if code != 403 {
		t.Fatalf("undeclared method over HTTP: %d %v", code, out)
	}
	code, _ = post("/api/call/System/Version", `{"not":"a list"}`)
	if code != 400 {
		t.Fatalf("non-array body: %d", code)
	}
	resp, _ := http.Post(srv.URL+"/api/call/System/Version", "text/plain", strings.NewReader("[]"))
	if resp.StatusCode != 400 {
		t.Fatalf("text/plain call accepted: %d", resp.StatusCode)
	}

	// The UI: files, and index.html for client routes.
	for path, want := range map[string]string{"/": "PdM Studio", "/machines/new": "PdM Studio", "/assets/app.js": "console.log"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, b)
		}
	}
	if resp, _ := http.Get(srv.URL + "/assets/missing.js"); resp.StatusCode != 404 {
		t.Errorf("missing asset: %d", resp.StatusCode)
	}

	// Events: a job's updates arrive over SSE, ending with its final state.
	req, _ := http.NewRequest("GET", srv.URL+"/api/events", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(50 * time.Millisecond)
	j, err := c.Jobs.Submit(context.Background(), jobs.Spec{Kind: "test.events"}, func(ctx context.Context, p *jobs.Progress) (any, error) {
		p.Report("working", 0.5, map[string]any{"epoch": 1})
		return "done", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") {
			continue
		}
		var ev struct {
			Name string   `json:"name"`
			Data jobs.Job `json:"data"`
		}
		if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Name == "job" && ev.Data.ID == j.ID && ev.Data.Status == "succeeded" {
			return
		}
	}
	t.Fatal("never saw the job succeed over SSE")
}

func TestServeRefusesNonLoopback(t *testing.T) {
	c := openTestCore(t)
	err := c.Serve(context.Background(), "0.0.0.0:0", HTTPOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("non-loopback serve: %v", err)
	}
	h := c.HTTPHandler(HTTPOptions{Caller: LocalAdmin})
	req := httptest.NewRequest("POST", "/api/call/System/Version", strings.NewReader("[]"))
	req.Host = "evil.example:8765"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 403 {
		t.Fatalf("foreign Host header: %d", rec.Code)
	}
}
