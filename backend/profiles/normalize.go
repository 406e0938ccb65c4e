package profiles

import "strings"

// Normalize returns a copy of p in canonical form: surrounding spaces trimmed from every name and
// text; machine type, sensor kind, progression, distribution and urgency lower-cased (sensor kind
// aliases such as "temp" resolved); unit aliases rewritten to the canonical symbol of the sensor's
// kind (e.g. "degC" → "°C", "m3/h" → "m³/h"); the ISO 10816 class upper-cased; empty lists, maps
// and VLM info set to nil. Unknown kinds and units are left as written, for Validate to report.
//
// Decode and Parse normalise what they read. Call Normalize before Validate on a profile built
// some other way (e.g. from a form).
func Normalize(p Profile) Profile {
	p = p.Clone()
	p.MachineID = strings.TrimSpace(p.MachineID)
	p.MachineType = strings.ToLower(strings.TrimSpace(p.MachineType))
	p.Name = strings.TrimSpace(p.Name)
	p.Manufacturer = strings.TrimSpace(p.Manufacturer)
	p.Model = strings.TrimSpace(p.Model)
	p.Site = strings.TrimSpace(p.Site)
	p.Line = strings.TrimSpace(p.Line)
	p.Description = strings.TrimSpace(p.Description)
	if len(p.RatedSpecs) == 0 {
		p.RatedSpecs = nil
	}
	for i := range p.Sensors {
		s := &p.Sensors[i]
		s.Name = strings.TrimSpace(s.Name)
		if k, ok := NormalizeKind(s.Kind); ok {
			s.Kind = k
		} else {
			s.Kind = strings.TrimSpace(s.Kind)
		}
		if u, ok := NormalizeUnit(s.Kind, s.Unit); ok {
			s.Unit = u
		} else {
			s.Unit = strings.TrimSpace(s.Unit)
		}
		s.Description = strings.TrimSpace(s.Description)
		s.ISO10816Class = strings.ToUpper(strings.TrimSpace(s.ISO10816Class))
	}
	for i := range p.Regimes {
		r := &p.Regimes[i]
		r.Name = strings.TrimSpace(r.Name)
		r.Description = strings.TrimSpace(r.Description)
	}
	for i := range p.FailureModes {
		fm := &p.FailureModes[i]
		fm.Name = strings.TrimSpace(fm.Name)
		fm.Description = strings.TrimSpace(fm.Description)
		fm.Progression = strings.ToLower(strings.TrimSpace(fm.Progression))
		fm.TimeToFailure.Distribution = strings.ToLower(strings.TrimSpace(fm.TimeToFailure.Distribution))
		for j := range fm.Effects {
			fm.Effects[j].Sensor = strings.TrimSpace(fm.Effects[j].Sensor)
		}
		for j := range fm.Actions {
			a := &fm.Actions[j]
			a.Description = strings.TrimSpace(a.Description)
			a.Urgency = strings.ToLower(strings.TrimSpace(a.Urgency))
		}
		if len(fm.Effects) == 0 {
			fm.Effects = nil
		}
		if len(fm.Actions) == 0 {
			fm.Actions = nil
		}
	}
	if len(p.Sensors) == 0 {
		p.Sensors = nil
	}
	if len(p.Regimes) == 0 {
		p.Regimes = nil
	}
	if len(p.FailureModes) == 0 {
		p.FailureModes = nil
	}
	if p.VLM != nil {
		v := p.VLM
		v.ReferenceImagePath = strings.TrimSpace(v.ReferenceImagePath)
		var pts []string
		for _, pt := range v.VisualInspectionPoints {
			if pt = strings.TrimSpace(pt); pt != "" {
				pts = append(pts, pt)
			}
		}
		v.VisualInspectionPoints = pts
		if v.ReferenceImagePath == "" && len(v.VisualInspectionPoints) == 0 {
			p.VLM = nil
		}
	}
	return p
}
