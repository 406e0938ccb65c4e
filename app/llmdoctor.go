package app

import "pdmstudio/backend/llm"

// llamaStatus reports the llama.cpp library for doctor.
func llamaStatus() RuntimeStatus {
	{
		i := llm.Probe()
		v := i.Version
		if i.Package != "" {
			v += " (" + i.Package + ")"
		}
		var notes []string
		if i.SystemInfo != "" {
			notes = append(notes, i.SystemInfo)
		}
		return RuntimeStatus{Name: "llama.cpp", Loaded: i.Loaded, Path: i.Path, Version: v, Backends: i.Backends,
			Notes: notes, Searched: i.Searched, Error: i.Error}
	}
}
