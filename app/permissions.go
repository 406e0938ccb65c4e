package app

import (
	"context"
	"fmt"

	"pdmstudio/backend/apperr"
)

// Permission is what a service method needs from its caller.
type Permission int

// The three permissions, each including the ones before it.
const (
	PermView       Permission = iota + 1 // read anything
	PermOperate                          // run work: jobs, training, predictions, edits
	PermAdminister                       // settings, users, deleting machines
)

func (p Permission) String() string {
	switch p {
	case PermView:
		return "view"
	case PermOperate:
		return "operate"
	case PermAdminister:
		return "administer"
	}
	return fmt.Sprintf("permission(%d)", int(p))
}

// Role is a user's role.
type Role string

// The roles, from most to least capable.
const (
	RoleAdmin    Role = "admin"
	RoleOperator Role = "operator"
	RoleViewer   Role = "viewer"
)

// Grants reports whether the role holds permission p.
func (r Role) Grants(p Permission) bool {
	switch r {
	case RoleAdmin:
		return p >= PermView && p <= PermAdminister
	case RoleOperator:
		return p == PermView || p == PermOperate
	case RoleViewer:
		return p == PermView
	}
	return false
}

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleAdmin, RoleOperator, RoleViewer:
		return Role(s), nil
	}
	return "", apperr.BadInputf("unknown role %q: use admin, operator or viewer", s)
}

// Caller is who is calling a service method.
type Caller struct {
	User string `json:"username"`
	Role Role   `json:"role"`
}

// LocalAdmin is the desktop user until user accounts land: the person at the workstation.
var LocalAdmin = Caller{User: "local", Role: RoleAdmin}

type callerKey struct{}

// WithCaller returns ctx carrying the caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller carried by ctx, if any.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

// permissions is the one table of what every service method needs. The dispatcher refuses any
// method that is not listed here, so a new method is unreachable until its permission is declared.
var permissions = map[string]Permission{
	"System.Version": PermView,
	"System.Doctor":  PermView,
	"System.UIMark":  PermView,

	"Auth.Me": PermView,

	"Settings.All": PermView,
	"Settings.Set": PermAdminister,

	"Jobs.List":   PermView,
	"Jobs.Get":    PermView,
	"Jobs.Cancel": PermOperate,

	"Templates.List":     PermView,
	"Templates.Get":      PermView,
	"Templates.Download": PermView,

	"Machines.List":            PermView,
	"Machines.Get":             PermView,
	"Machines.Status":          PermView,
	"Machines.ValidateFile":    PermView,
	"Machines.ValidateProfile": PermView,
	"Machines.DownloadProfile": PermView,
	"Machines.DeletePreview":   PermView,
	"Machines.Create":          PermOperate,
	"Machines.Import":          PermOperate,
	"Machines.Update":          PermOperate,
	"Machines.Delete":          PermAdminister,

	"Fleet.Init":          PermOperate,
	"Fleet.Bootstrap":     PermOperate,
	"Fleet.SkipBootstrap": PermOperate,

	"Fleet.Overview":         PermView,
	"Fleet.Refresh":          PermOperate,
	"Fleet.Alerts":           PermView,
	"Fleet.AcknowledgeAlert": PermOperate,
	"Fleet.ClearAlert":       PermOperate,
	"Telemetry.History":      PermView,
	"Telemetry.Settings":     PermView,
	"Telemetry.SaveSettings": PermAdminister,
	"Telemetry.Import":       PermOperate,
	"Telemetry.ImportFile":   PermOperate,
	"Telemetry.UseReplay":    PermOperate,

	"Datasets.List":        PermView,
	"Datasets.Stats":       PermView,
	"Datasets.Histogram":   PermView,
	"Datasets.Series":      PermView,
	"Datasets.Correlation": PermView,
	"Datasets.Rows":        PermView,
	"Datasets.Export":      PermView,

	"Onboarding.Seed":         PermOperate,
	"Onboarding.Train":        PermOperate,
	"Onboarding.Generate":     PermOperate,
	"Onboarding.TrainingRuns": PermView,
	"Onboarding.Validate":     PermOperate,
	"Onboarding.Validation":   PermView,
	"Models.Train":            PermOperate,
	"Models.Versions":         PermView,
	"Models.Activate":         PermOperate,
	"Models.Predict":          PermOperate,
	"Models.Predictions":      PermView,
	"Models.Timeline":         PermView,

	"Assistant.Info":          PermView,
	"Assistant.LoadModel":     PermOperate,
	"Assistant.UnloadModel":   PermOperate,
	"Assistant.Settings":      PermView,
	"Assistant.SaveSettings":  PermAdminister,
	"Assistant.SetModelDir":   PermAdminister,
	"Assistant.Chat":          PermOperate,
	"Assistant.CancelChat":    PermOperate,
	"Assistant.Sessions":      PermView,
	"Assistant.Session":       PermView,
	"Assistant.RenameSession": PermOperate,
	"Assistant.DeleteSession": PermOperate,
	"Assistant.Explain":       PermOperate,
	"Assistant.Explanations":  PermView,
	"Assistant.AnalyzeFleet":  PermOperate,
	"Assistant.Search":        PermView,

	"Onboarding.Batch":           PermOperate,
	"Onboarding.BatchOperations": PermView,
}

// authorize is the central permission check run before every call, from either face.
func authorize(perms map[string]Permission, c Caller, service, method string) error {
	name := service + "." + method
	need, ok := perms[name]
	if !ok {
		return apperr.Forbiddenf("%s has no declared permission and cannot be called", name)
	}
	if !c.Role.Grants(need) {
		return apperr.Forbiddenf("%s needs the %s permission; %s (%s) does not have it", name, need, c.User, c.Role)
	}
	return nil
}
