package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
)

func openTestCore(t *testing.T) *Core {
	t.Helper()
	c, err := OpenCore(context.Background(), t.TempDir(), CoreOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Every exported method of every served service must have a declared permission; otherwise the
// central check refuses it.
func TestEveryServiceMethodHasADeclaredPermission(t *testing.T) {
	c := openTestCore(t)
	d := c.Dispatcher()
	methods := d.Methods()
	if len(methods) < 5 {
		t.Fatalf("suspiciously few methods: %v", methods)
	}
	for _, m := range methods {
		if _, ok := permissions[m]; !ok {
			t.Errorf("%s is served but has no entry in the permission table", m)
		}
	}
	for name := range permissions {
		found := false
		for _, m := range methods {
			found = found || m == name
		}
		if !found {
			t.Errorf("permission table names %s, which no service has", name)
		}
	}
}

type probeService struct{ called bool }

func (p *probeService) Declared() string   { p.called = true; return "ok" }
func (p *probeService) Undeclared() string { p.called = true; return "should never run" }

func TestMethodWithoutDeclaredPermissionIsRefused(t *testing.T) {
	svc := &probeService{}
	d := NewDispatcher(map[string]Permission{"Probe.Declared": PermView}, map[string]any{"Probe": svc})
	if res, err := d.Invoke(context.Background(), LocalAdmin, "Probe", "Declared", nil); err != nil || res != "ok" {
		t.Fatalf("declared method: %v %v", res, err)
	}
	svc.called = false
	_, err := d.Invoke(context.Background(), LocalAdmin, "Probe", "Undeclared", nil)
	if apperr.KindOf(err) != apperr.KindForbidden || !strings.Contains(err.Error(), "no declared permission") {
		t.Fatalf("undeclared method: %v", err)
	}
	if svc.called {
		t.Fatal("the undeclared method ran")
	}
}

func TestRolesAreChecked(t *testing.T) {
	c := openTestCore(t)
	d := c.Dispatcher()
	viewer := Caller{User: "v", Role: RoleViewer}
	operator := Caller{User: "o", Role: RoleOperator}
	args := []json.RawMessage{json.RawMessage(`"ui.theme"`), json.RawMessage(`"light"`)}
	cases := []struct {
		caller  Caller
		service string
		method  string
		args    []json.RawMessage
		allowed bool
	}{
		{viewer, "System", "Version", nil, true},
		{viewer, "Settings", "Set", args, false},
		{operator, "Settings", "Set", args, false},
		{LocalAdmin, "Settings", "Set", args, true},
		{viewer, "Jobs", "Cancel", []json.RawMessage{json.RawMessage(`"x"`)}, false},
	}
	for _, tc := range cases {
		_, err := d.Invoke(context.Background(), tc.caller, tc.service, tc.method, tc.args)
		forbidden := apperr.KindOf(err) == apperr.KindForbidden
		if forbidden == tc.allowed {
			t.Errorf("%s calling %s.%s: err %v, want allowed=%v", tc.caller.Role, tc.service, tc.method, err, tc.allowed)
		}
	}
}

func TestArgumentErrorsAreBadInput(t *testing.T) {
	c := openTestCore(t)
	d := c.Dispatcher()
	cases := []struct {
		method string
		args   []json.RawMessage
		want   string
	}{
		{"Get", nil, "takes 1 argument(s), got 0"},
		{"Get", []json.RawMessage{json.RawMessage(`42`)}, "must be a string"},
		{"List", []json.RawMessage{json.RawMessage(`{"colour":"red"}`)}, `unknown field "colour"`},
	}
	for _, tc := range cases {
		_, err := d.Invoke(context.Background(), LocalAdmin, "Jobs", tc.method, tc.args)
		if apperr.KindOf(err) != apperr.KindBadInput || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Jobs.%s(%s): %v, want bad input containing %q", tc.method, tc.args, err, tc.want)
		}
	}
	_, err := d.Invoke(context.Background(), LocalAdmin, "Settings", "Set", []json.RawMessage{json.RawMessage(`"ui.theme"`), json.RawMessage(`"purple"`)})
	e := apperr.As(err)
	if e.Kind != apperr.KindBadInput || len(e.Fields) != 1 || e.Fields[0].Field != "ui.theme" {
		t.Fatalf("bad setting value: %+v", e)
	}
}
