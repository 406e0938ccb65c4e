package profiles

import "regexp"

// SpecKey describes one well-known key of Profile.RatedSpecs. The key's suffix names its unit.
type SpecKey struct {
	// Key is the map key, e.g. "power_kw".
	Key string `json:"key"`
	// Label is a display name, e.g. "Rated power".
	Label string `json:"label"`
	// Unit is the unit symbol the value is in, e.g. "kW"; "1" for a dimensionless number.
	Unit string `json:"unit"`
	// Positive is true when the value must be greater than 0.
	Positive bool `json:"positive"`
}

var specTable = []SpecKey{
	{"power_kw", "Rated power", "kW", true},
	{"power_mw", "Rated power", "MW", true},
	{"speed_rpm", "Rated speed", "rpm", true},
	{"voltage_v", "Rated voltage", "V", true},
	{"current_a", "Rated current", "A", true},
	{"frequency_hz", "Supply frequency", "Hz", true},
	{"efficiency_pct", "Rated efficiency", "%", true},
	{"power_factor", "Power factor (cos φ)", "1", true},
	{"poles", "Number of poles", "1", true},
	{"torque_nm", "Rated torque", "Nm", true},
	{"output_torque_nm", "Rated output torque", "Nm", true},
	{"ratio", "Transmission ratio", "1", true},
	{"pressure_bar", "Rated pressure", "bar", true},
	{"max_pressure_bar", "Maximum pressure", "bar", true},
	{"flow_m3h", "Rated flow", "m³/h", true},
	{"flow_m3min", "Rated flow (free air delivery)", "m³/min", true},
	{"flow_lmin", "Rated flow", "L/min", true},
	{"head_m", "Rated head", "m", true},
	{"static_pressure_pa", "Rated static pressure", "Pa", true},
	{"spindle_speed_rpm", "Maximum spindle speed", "rpm", true},
	{"spindle_power_kw", "Spindle power", "kW", true},
	{"axes", "Number of axes", "1", true},
	{"force_kn", "Rated force", "kN", true},
	{"stroke_mm", "Stroke", "mm", true},
	{"belt_speed_m_min", "Belt speed", "m/min", true},
	{"length_m", "Length", "m", true},
	{"load_kg", "Rated load", "kg", true},
	{"cooling_capacity_kw", "Cooling capacity", "kW", true},
	{"cop", "Coefficient of performance", "1", true},
	{"heat_rate_kj_kwh", "Heat rate", "kJ/kWh", true},
	{"exhaust_temp_c", "Rated exhaust temperature", "°C", false},
	{"oil_volume_l", "Oil volume", "L", true},
	{"tank_volume_l", "Tank volume", "L", true},
}

// specKeyPattern is what any rated-spec key, known or not, must match.
var specKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// SpecKeys returns the well-known rated-spec keys (a copy). Other snake_case keys are allowed.
func SpecKeys() []SpecKey {
	return append([]SpecKey(nil), specTable...)
}

func findSpec(key string) (SpecKey, bool) {
	for _, s := range specTable {
		if s.Key == key {
			return s, true
		}
	}
	return SpecKey{}, false
}
