package profiles

import (
	"slices"
	"strings"
)

// UnitInfo is one unit a sensor kind may use.
type UnitInfo struct {
	// Symbol is the canonical symbol stored in profiles, e.g. "°C", "m³/h".
	Symbol string `json:"symbol"`
	// Name is the unit's name, e.g. "degree Celsius".
	Name string `json:"name"`
	// Aliases are other spellings Normalize rewrites to Symbol, e.g. "degC", "m3/h". They are
	// matched exactly after trimming spaces: case matters, because "m" (milli) and "M" (mega)
	// differ.
	Aliases []string `json:"aliases,omitempty"`
}

// KindInfo is one sensor kind with the units it may use.
type KindInfo struct {
	// Kind is the Sensor.Kind value, e.g. "temperature".
	Kind string `json:"kind"`
	// Label is a display name, e.g. "Temperature".
	Label string `json:"label"`
	// Units are the allowed units, the most usual first.
	Units []UnitInfo `json:"units"`
}

// KindOther is the sensor kind for quantities the table does not list; it accepts any unit of
// any other kind.
const KindOther = "other"

// The unit table. Each kind lists its canonical symbols and the aliases accepted on input.
// Keep docs in XLSX-LAYOUT.md in step when changing it.
var kindTable = []KindInfo{
	{Kind: "temperature", Label: "Temperature", Units: []UnitInfo{
		{"°C", "degree Celsius", []string{"degC", "deg C", "C", "celsius", "Celsius", "℃", "ºC", "° C"}},
		{"K", "kelvin (also for temperature differences such as superheat)", []string{"kelvin", "Kelvin", "degK"}},
		{"°F", "degree Fahrenheit", []string{"degF", "deg F", "F", "fahrenheit", "Fahrenheit", "℉", "ºF", "° F"}},
	}},
	{Kind: "vibration", Label: "Vibration", Units: []UnitInfo{
		{"mm/s", "millimetre per second (velocity, RMS)", []string{"mm/sec", "mm s-1", "mm·s⁻¹", "mm/s rms", "mm/s RMS"}},
		{"in/s", "inch per second (velocity)", []string{"ips", "in/sec", "IPS"}},
		{"g", "standard gravity (acceleration)", []string{"G", "gn"}},
		{"m/s²", "metre per second squared (acceleration)", []string{"m/s2", "m/s^2", "m s-2", "m/sec2", "m/sec^2"}},
		{"µm", "micrometre (displacement, peak-to-peak)", []string{"um", "μm", "micron", "microns", "µm pk-pk", "um pk-pk"}},
		{"mil", "thousandth of an inch (displacement)", []string{"mils"}},
	}},
	{Kind: "current", Label: "Electric current", Units: []UnitInfo{
		{"A", "ampere", []string{"amp", "amps", "Amp", "Amps", "ampere", "amperes"}},
		{"mA", "milliampere", []string{"milliamp"}},
	}},
	{Kind: "voltage", Label: "Voltage", Units: []UnitInfo{
		{"V", "volt", []string{"volt", "volts", "Volt", "Volts", "VAC", "Vac"}},
		{"kV", "kilovolt", []string{"kv", "KV"}},
		{"mV", "millivolt", nil},
	}},
	{Kind: "pressure", Label: "Pressure", Units: []UnitInfo{
		{"bar", "bar (gauge unless the sensor description says absolute)", []string{"Bar", "BAR", "barg", "bar(g)", "bar g"}},
		{"mbar", "millibar", []string{"mBar", "millibar"}},
		{"kPa", "kilopascal", []string{"kpa", "KPa", "KPA"}},
		{"MPa", "megapascal", []string{"Mpa", "MPA"}},
		{"Pa", "pascal", []string{"pa"}},
		{"psi", "pound-force per square inch", []string{"PSI", "psig", "PSIG"}},
	}},
	{Kind: "flow", Label: "Flow", Units: []UnitInfo{
		{"m³/h", "cubic metre per hour", []string{"m3/h", "m^3/h", "m3/hr", "m³/hr", "cmh", "m3 h-1"}},
		{"m³/min", "cubic metre per minute", []string{"m3/min", "m^3/min"}},
		{"m³/s", "cubic metre per second", []string{"m3/s", "m^3/s"}},
		{"L/min", "litre per minute", []string{"l/min", "lpm", "LPM", "L/m", "ltr/min"}},
		{"L/s", "litre per second", []string{"l/s", "lps"}},
		{"L/h", "litre per hour", []string{"l/h", "lph"}},
		{"gpm", "US gallon per minute", []string{"GPM", "gal/min"}},
		{"kg/h", "kilogram per hour (mass flow)", []string{"kg/hr"}},
		{"kg/s", "kilogram per second (mass flow)", nil},
		{"t/h", "tonne per hour (mass flow)", []string{"t/hr", "tph"}},
	}},
	{Kind: "speed", Label: "Speed", Units: []UnitInfo{
		{"rpm", "revolution per minute", []string{"RPM", "r/min", "1/min", "min-1", "min⁻¹", "rev/min"}},
		{"Hz", "revolution per second / hertz", []string{"hz", "rps", "1/s"}},
		{"m/s", "metre per second (linear)", []string{"m/sec"}},
		{"m/min", "metre per minute (linear)", []string{"m/mn", "mpm"}},
	}},
	{Kind: "power", Label: "Power", Units: []UnitInfo{
		{"kW", "kilowatt", []string{"kw", "KW", "Kw"}},
		{"W", "watt", []string{"w", "watt", "watts"}},
		{"MW", "megawatt", []string{"Mw"}},
		{"kVA", "kilovolt-ampere (apparent power)", []string{"kva", "KVA"}},
		{"hp", "horsepower", []string{"HP", "bhp"}},
	}},
	{Kind: "torque", Label: "Torque", Units: []UnitInfo{
		{"Nm", "newton metre", []string{"N·m", "N.m", "N-m", "N m", "Nxm"}},
		{"kNm", "kilonewton metre", []string{"kN·m", "kN.m", "kN-m", "kN m"}},
		{"lbf·ft", "pound-force foot", []string{"lbf.ft", "lb-ft", "ft-lb", "ft·lbf"}},
	}},
	{Kind: "level", Label: "Level", Units: []UnitInfo{
		{"%", "percent of range", []string{"percent", "pct"}},
		{"mm", "millimetre", nil},
		{"cm", "centimetre", nil},
		{"m", "metre", nil},
		{"L", "litre (volume in tank)", []string{"l", "litre", "liter"}},
	}},
	{Kind: "force", Label: "Force", Units: []UnitInfo{
		{"kN", "kilonewton", []string{"kn", "KN"}},
		{"N", "newton", nil},
		{"MN", "meganewton", nil},
		{"tf", "tonne-force", []string{"t-f", "tonf"}},
	}},
	{Kind: "position", Label: "Position / displacement", Units: []UnitInfo{
		{"mm", "millimetre", nil},
		{"µm", "micrometre", []string{"um", "μm", "micron", "microns"}},
		{"m", "metre", nil},
		{"°", "degree of angle", []string{"deg", "degree", "degrees"}},
	}},
	{Kind: "frequency", Label: "Frequency", Units: []UnitInfo{
		{"Hz", "hertz", []string{"hz"}},
		{"kHz", "kilohertz", []string{"khz", "KHz"}},
	}},
	{Kind: "acoustic", Label: "Sound / acoustic emission", Units: []UnitInfo{
		{"dB", "decibel", []string{"db"}},
		{"dB(A)", "A-weighted decibel", []string{"dBA", "dB A", "dba"}},
	}},
	{Kind: "humidity", Label: "Relative humidity", Units: []UnitInfo{
		{"%RH", "percent relative humidity", []string{"% RH", "%rh", "RH%", "%"}},
	}},
	{Kind: "load", Label: "Load (share of rated)", Units: []UnitInfo{
		{"%", "percent of rated", []string{"percent", "pct"}},
	}},
	{Kind: "duration", Label: "Duration (cycle time, run time)", Units: []UnitInfo{
		{"s", "second", []string{"sec", "secs", "seconds"}},
		{"ms", "millisecond", []string{"msec"}},
		{"min", "minute", []string{"mins", "minutes"}},
		{"h", "hour", []string{"hr", "hrs", "hours"}},
	}},
	{Kind: "ratio", Label: "Dimensionless ratio (power factor, efficiency, COP)", Units: []UnitInfo{
		{"1", "dimensionless", []string{"-", "ratio", "none"}},
		{"%", "percent", []string{"percent", "pct"}},
	}},
	{Kind: "energy", Label: "Energy", Units: []UnitInfo{
		{"kWh", "kilowatt hour", []string{"kwh", "KWh", "KWH"}},
		{"MWh", "megawatt hour", []string{"mwh", "MWH"}},
	}},
	{Kind: "concentration", Label: "Concentration / contamination", Units: []UnitInfo{
		{"ppm", "part per million", []string{"PPM"}},
		{"mg/kg", "milligram per kilogram", nil},
	}},
}

// kindAliases maps accepted alternative kind names to kinds. Kinds are matched case-insensitively.
var kindAliases = map[string]string{
	"temp":         "temperature",
	"vib":          "vibration",
	"vibrations":   "vibration",
	"amps":         "current",
	"rotation":     "speed",
	"rotational":   "speed",
	"displacement": "position",
	"sound":        "acoustic",
	"time":         "duration",
}

// Kinds returns the sensor kinds with their units (a copy), in table order, followed by KindOther.
func Kinds() []KindInfo {
	out := make([]KindInfo, 0, len(kindTable)+1)
	for _, k := range kindTable {
		k.Units = cloneUnits(k.Units)
		out = append(out, k)
	}
	out = append(out, KindInfo{Kind: KindOther, Label: "Other (any unit from the table)", Units: allUnits()})
	return out
}

// UnitsFor returns the units a sensor kind may use, or nil for an unknown kind.
func UnitsFor(kind string) []UnitInfo {
	if kind == KindOther {
		return allUnits()
	}
	if k := findKind(kind); k != nil {
		return cloneUnits(k.Units)
	}
	return nil
}

// NormalizeKind returns the canonical kind for s (trimmed, lower-cased, aliases resolved) and
// whether it is known.
func NormalizeKind(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	if a, ok := kindAliases[k]; ok {
		k = a
	}
	if k == KindOther || findKind(k) != nil {
		return k, true
	}
	return k, false
}

// NormalizeUnit returns the canonical symbol for unit as used by a sensor of the given kind and
// whether it is allowed for that kind. For an unknown kind it resolves the unit against the whole
// table. Aliases are matched exactly (after trimming spaces).
func NormalizeUnit(kind, unit string) (string, bool) {
	u := strings.TrimSpace(unit)
	if kind != KindOther {
		if k := findKind(kind); k != nil {
			if sym, ok := lookupUnit(k.Units, u); ok {
				return sym, true
			}
			return u, false
		}
	}
	for _, k := range kindTable {
		if sym, ok := lookupUnit(k.Units, u); ok {
			return sym, kind == KindOther
		}
	}
	return u, false
}

// kindsOfUnit returns the kinds whose tables contain the canonical symbol or alias u.
func kindsOfUnit(u string) []string {
	var out []string
	for _, k := range kindTable {
		if _, ok := lookupUnit(k.Units, u); ok {
			out = append(out, k.Kind)
		}
	}
	return out
}

func lookupUnit(units []UnitInfo, u string) (string, bool) {
	for _, ui := range units {
		if ui.Symbol == u {
			return ui.Symbol, true
		}
	}
	for _, ui := range units {
		if slices.Contains(ui.Aliases, u) {
			return ui.Symbol, true
		}
	}
	return "", false
}

func findKind(kind string) *KindInfo {
	for i := range kindTable {
		if kindTable[i].Kind == kind {
			return &kindTable[i]
		}
	}
	return nil
}

func unitSymbols(units []UnitInfo) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Symbol
	}
	return out
}

// allUnits lists every unit once, for KindOther. An alias that is another unit's symbol, or
// already an alias of an earlier unit, is left out (NormalizeUnit resolves it the same way).
func allUnits() []UnitInfo {
	var out []UnitInfo
	symbols := map[string]bool{}
	for _, k := range kindTable {
		for _, u := range k.Units {
			symbols[u.Symbol] = true
		}
	}
	seen := map[string]bool{}
	for _, k := range kindTable {
		for _, u := range k.Units {
			if seen[u.Symbol] {
				continue
			}
			seen[u.Symbol] = true
			var aliases []string
			for _, a := range u.Aliases {
				if !symbols[a] && !seen[a] {
					seen[a] = true
					aliases = append(aliases, a)
				}
			}
			u.Aliases = aliases
			out = append(out, u)
		}
	}
	return out
}

func cloneUnits(us []UnitInfo) []UnitInfo {
	out := make([]UnitInfo, len(us))
	for i, u := range us {
		u.Aliases = slices.Clone(u.Aliases)
		out[i] = u
	}
	return out
}

// Zones are the ISO 10816-1 evaluation zone boundaries for one machine class, as RMS vibration
// velocity in mm/s (10–1000 Hz). Zone A (new machines) lies below AB, zone B (unrestricted
// long-term operation) below BC, zone C (restricted operation) below CD, zone D (damage) above.
type Zones struct {
	AB float64 `json:"ab"` // boundary between zones A and B, mm/s
	BC float64 `json:"bc"` // boundary between zones B and C, mm/s
	CD float64 `json:"cd"` // boundary between zones C and D, mm/s
}

// iso10816Table holds the ISO 10816-1 (Annex B) zone boundaries by machine class:
// I small machines (≤ 15 kW), II medium (15–75 kW, or ≤ 300 kW on special foundations),
// III large on rigid foundations, IV large on soft foundations.
var iso10816Table = map[string]Zones{
	"I":   {AB: 0.71, BC: 1.8, CD: 4.5},
	"II":  {AB: 1.12, BC: 2.8, CD: 7.1},
	"III": {AB: 1.8, BC: 4.5, CD: 11.2},
	"IV":  {AB: 2.8, BC: 7.1, CD: 18.0},
}

// ISO10816Zones returns the zone boundaries of an ISO 10816-1 machine class ("I" to "IV").
//
// Validation applies the standard's guidance to a sensor with that class: the normal range lies
// in zones A/B (NormalMax ≤ BC), an alarm (WarningHigh) does not exceed 1.25 × BC and a trip
// (TripHigh) does not exceed 1.25 × CD.
func ISO10816Zones(class string) (Zones, bool) {
	z, ok := iso10816Table[class]
	return z, ok
}
