package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"pdmstudio/backend/apperr"
)

// Dispatcher is the one generic way into the service layer, shared by the desktop Bridge and the
// HTTP face: it runs the central permission check, finds the method by reflection, decodes the
// JSON argument list into its parameters and calls it. No handler is written per method.
type Dispatcher struct {
	services map[string]reflect.Value
	perms    map[string]Permission
}

var (
	ctxType   = reflect.TypeOf((*context.Context)(nil)).Elem()
	errorType = reflect.TypeOf((*error)(nil)).Elem()
)

// NewDispatcher serves the given services (name → pointer to service struct) under the given
// permission table.
func NewDispatcher(perms map[string]Permission, services map[string]any) *Dispatcher {
	d := &Dispatcher{services: map[string]reflect.Value{}, perms: perms}
	for name, s := range services {
		d.services[name] = reflect.ValueOf(s)
	}
	return d
}

// Methods lists every exported method of every service as "Service.Method", sorted.
func (d *Dispatcher) Methods() []string {
	var out []string
	for name, v := range d.services {
		t := v.Type()
		for i := 0; i < t.NumMethod(); i++ {
			out = append(out, name+"."+t.Method(i).Name)
		}
	}
	sort.Strings(out)
	return out
}

// Invoke calls service.method for caller with JSON-encoded arguments and returns its result.
// Methods may take a context.Context first; they return (T, error), error, or T.
func (d *Dispatcher) Invoke(ctx context.Context, caller Caller, service, method string, args []json.RawMessage) (any, error) {
	if err := authorize(d.perms, caller, service, method); err != nil {
		return nil, err
	}
	sv, ok := d.services[service]
	if !ok {
		return nil, apperr.NotFoundf("no service %q", service)
	}
	m := sv.MethodByName(method)
	if !m.IsValid() {
		return nil, apperr.NotFoundf("no method %s.%s", service, method)
	}
	mt := m.Type()
	in := []reflect.Value{}
	first := 0
	if mt.NumIn() > 0 && mt.In(0) == ctxType {
		in = append(in, reflect.ValueOf(WithCaller(ctx, caller)))
		first = 1
	}
	want := mt.NumIn() - first
	if len(args) != want {
		return nil, apperr.BadInputf("%s.%s takes %d argument(s), got %d", service, method, want, len(args))
	}
	for i, raw := range args {
		pt := mt.In(first + i)
		pv := reflect.New(pt)
		dec := json.NewDecoder(bytes.NewReader(raw))
		if pt.Kind() == reflect.Struct || (pt.Kind() == reflect.Pointer && pt.Elem().Kind() == reflect.Struct) {
			dec.DisallowUnknownFields()
		}
		if err := dec.Decode(pv.Interface()); err != nil {
			return nil, apperr.BadInputf("%s.%s argument %d: %s", service, method, i+1, jsonProblem(err))
		}
		in = append(in, pv.Elem())
	}
	out := m.Call(in)
	var result any
	var err error
	for _, o := range out {
		if o.Type() == errorType {
			if !o.IsNil() {
				err = o.Interface().(error)
			}
			continue
		}
		result = o.Interface()
	}
	return result, err
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if ok := asType(err, &te); ok {
		field := te.Field
		if field == "" {
			field = "value"
		}
		return fmt.Sprintf("%s must be %s, not a JSON %s", field, kindName(te.Type), te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func asType(err error, target **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = t
	}
	return ok
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Uint32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}
