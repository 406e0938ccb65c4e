package telemetry

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/store"
)

// settingKey is where Settings live in the settings table (JSON).
const settingKey = "telemetry.settings"

// Settings tune the live fleet.
type Settings struct {
	// Speed is how many source rows each machine's replay advances per refresh (1–1,000).
	Speed int `json:"speed"`
	// RefreshIntervalS is the time between fleet refreshes in seconds (2–3,600).
	RefreshIntervalS float64 `json:"refresh_interval_s"`
	// RULHorizon raises an RUL alert when a machine's predicted remaining useful life is under
	// it, in hours (0 disables RUL alerts).
	RULHorizon float64 `json:"rul_horizon"`
	// Paused stops the replay (predictions still refresh on the latest readings).
	Paused bool `json:"paused"`
}

// DefaultSettings are used until the user saves others.
var DefaultSettings = Settings{Speed: 10, RefreshIntervalS: 30, RULHorizon: 1, Paused: false}

// Interval is the refresh interval as a duration.
func (s Settings) Interval() time.Duration {
	return time.Duration(s.RefreshIntervalS * float64(time.Second))
}

// Validate returns a bad-input error naming every field out of range.
func (s Settings) Validate() error {
	var fields []apperr.FieldError
	if s.Speed < 1 || s.Speed > 1000 {
		fields = append(fields, apperr.FieldError{Field: "speed", Message: fmt.Sprintf("must be 1 to 1000 rows per refresh, got %d", s.Speed)})
	}
	if math.IsNaN(s.RefreshIntervalS) || s.RefreshIntervalS < 2 || s.RefreshIntervalS > 3600 {
		fields = append(fields, apperr.FieldError{Field: "refresh_interval_s", Message: fmt.Sprintf("must be 2 to 3600 seconds, got %g", s.RefreshIntervalS)})
	}
	if math.IsNaN(s.RULHorizon) || s.RULHorizon < 0 || s.RULHorizon > 1e6 {
		fields = append(fields, apperr.FieldError{Field: "rul_horizon", Message: fmt.Sprintf("must be 0 (off) to 1000000 hours, got %g", s.RULHorizon)})
	}
	if len(fields) > 0 {
		return apperr.BadInput("invalid telemetry settings", fields...)
	}
	return nil
}

// LoadSettings reads the saved settings (defaults for anything not saved).
func LoadSettings(ctx context.Context, st *store.Store) (Settings, error) {
	v, ok, err := st.GetSetting(ctx, settingKey)
	if err != nil || !ok {
		return DefaultSettings, err
	}
	s := DefaultSettings
	if err := json.Unmarshal([]byte(v), &s); err != nil || s.Validate() != nil {
		return DefaultSettings, nil // a damaged setting falls back to the defaults
	}
	return s, nil
}

// SaveSettings validates and stores settings.
func SaveSettings(ctx context.Context, st *store.Store, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	return st.SetSetting(ctx, settingKey, string(b))
}
