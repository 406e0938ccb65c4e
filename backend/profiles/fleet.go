package profiles

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"pdmstudio/backend/apperr"
)

// The built-in fleet and the per-type templates are YAML files embedded in the binary; each is
// a complete profile in the same format users import. TestBuiltins checks every one of them.
//
//go:embed fleet/*.yaml templates/*.yaml
var builtinFS embed.FS

// typeTable lists the machine types, in display order.
var typeTable = []TypeInfo{
	{Type: "motor", Label: "Electric motor", Description: "Low-voltage induction motors driving pumps, fans and conveyors."},
	{Type: "pump", Label: "Centrifugal pump", Description: "Centrifugal and multistage pumps for water, coolant and process fluids."},
	{Type: "compressor", Label: "Screw compressor", Description: "Oil-injected rotary screw air compressors."},
	{Type: "cnc", Label: "CNC machine tool", Description: "CNC lathes and machining centres; spindle, axes and coolant."},
	{Type: "fan", Label: "Industrial fan", Description: "Axial and centrifugal fans for ventilation and process air."},
	{Type: "gearbox", Label: "Gearbox", Description: "Industrial helical and bevel-helical gear units."},
	{Type: "conveyor", Label: "Conveyor", Description: "Belt and chain conveyors with their drive units."},
	{Type: "hydraulic_press", Label: "Hydraulic press", Description: "Hydraulic presses with their power unit (pump, tank, valves)."},
	{Type: "turbine", Label: "Gas turbine", Description: "Industrial gas turbines for power generation and mechanical drive."},
	{Type: "chiller", Label: "Chiller", Description: "Air-cooled water chillers with screw compressors."},
}

type builtins struct {
	fleet     []Profile
	templates map[string]Profile
	err       error
}

var loadBuiltins = sync.OnceValue(func() *builtins {
	b := &builtins{templates: map[string]Profile{}}
	b.err = b.load()
	return b
})

func (b *builtins) load() error {
	read := func(file string) (Profile, error) {
		data, err := builtinFS.ReadFile(file)
		if err != nil {
			return Profile{}, err
		}
		p, err := Parse(data, FormatYAML, ValidateOptions{})
		if err != nil {
			return Profile{}, fmt.Errorf("built-in profile %s: %w", file, err)
		}
		return p, nil
	}
	files, err := fs.Glob(builtinFS, "fleet/*.yaml")
	if err != nil {
		return err
	}
	slices.Sort(files)
	seen := map[string]string{}
	for _, file := range files {
		p, err := read(file)
		if err != nil {
			return err
		}
		if prev, dup := seen[p.MachineID]; dup {
			return fmt.Errorf("built-in profiles %s and %s share machine id %q", prev, file, p.MachineID)
		}
		seen[p.MachineID] = file
		b.fleet = append(b.fleet, p)
	}
	for _, t := range typeTable {
		file := "templates/" + t.Type + ".yaml"
		p, err := read(file)
		if err != nil {
			return err
		}
		if p.MachineType != t.Type {
			return fmt.Errorf("template %s has machine_type %q", file, p.MachineType)
		}
		b.templates[t.Type] = p
	}
	extra, _ := fs.Glob(builtinFS, "templates/*.yaml")
	if len(extra) != len(typeTable) {
		return fmt.Errorf("templates/ holds %d files for %d machine types", len(extra), len(typeTable))
	}
	return nil
}

// mustBuiltins returns the built-in data; the files are embedded and checked by tests, so a
// failure here is a programming error.
func mustBuiltins() *builtins {
	b := loadBuiltins()
	if b.err != nil {
		panic("profiles: " + b.err.Error())
	}
	return b
}

// Fleet returns the built-in demonstration fleet (26 machines), sorted by machine id. The
// profiles are copies the caller may change.
func Fleet() []Profile {
	b := mustBuiltins()
	out := make([]Profile, len(b.fleet))
	for i, p := range b.fleet {
		out[i] = p.Clone()
	}
	return out
}

// FleetProfile returns the built-in fleet machine with the given id, or a not-found error.
func FleetProfile(id string) (Profile, error) {
	for _, p := range mustBuiltins().fleet {
		if p.MachineID == id {
			return p.Clone(), nil
		}
	}
	return Profile{}, apperr.NotFoundf("no built-in machine %q", id)
}

// Types returns the machine types in display order, with how many fleet machines each has.
func Types() []TypeInfo {
	b := mustBuiltins()
	out := slices.Clone(typeTable)
	for i := range out {
		for _, p := range b.fleet {
			if p.MachineType == out[i].Type {
				out[i].FleetCount++
			}
		}
	}
	return out
}

// Template returns the template profile of a machine type: a complete, valid example with the
// placeholder id "<type>_new_001" to edit into a new machine. An unknown type is a not-found
// error that lists the known types.
func Template(machineType string) (Profile, error) {
	t := strings.ToLower(strings.TrimSpace(machineType))
	p, ok := mustBuiltins().templates[t]
	if !ok {
		return Profile{}, apperr.NotFoundf("no template for machine type %q; known types: %s", machineType, strings.Join(typeNames(), ", "))
	}
	return p.Clone(), nil
}

// TemplateFile returns the template of a machine type encoded in the given format, with a
// suggested file name such as "motor_template.xlsx".
func TemplateFile(machineType string, format Format) (name string, data []byte, err error) {
	p, err := Template(machineType)
	if err != nil {
		return "", nil, err
	}
	if data, err = Encode(p, format); err != nil {
		return "", nil, err
	}
	return p.MachineType + "_template" + format.Extension(), data, nil
}

func findType(t string) (TypeInfo, bool) {
	for _, ti := range typeTable {
		if ti.Type == t {
			return ti, true
		}
	}
	return TypeInfo{}, false
}

func typeNames() []string {
	out := make([]string, len(typeTable))
	for i, t := range typeTable {
		out[i] = t.Type
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
