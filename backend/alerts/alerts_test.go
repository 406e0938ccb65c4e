package alerts

import (
	"context"
	"strings"
	"testing"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datadir"
	"pdmstudio/backend/machines"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/store"
)

func ptr[T any](v T) *T { return &v }

func TestConditions(t *testing.T) {
	r := Rules{RULHorizonHours: 10}
	top := []Factor{{"bearing_temp", 0.3}, {"vibration", 0.2}, {"current", -0.1}, {"speed", 0.05}}
	for _, c := range []struct {
		name string
		obs  Observation
		want map[string]string // cause → severity
	}{
		{"healthy", Observation{HealthState: ptr(0), AnomalyScore: ptr(0.1), AnomalyThreshold: ptr(1.0), RULHours: ptr(50.0)}, map[string]string{}},
		{"degrading raises nothing", Observation{HealthState: ptr(1)}, map[string]string{}},
		{"warning state", Observation{HealthState: ptr(2), Confidence: ptr(0.8), StateTop: top}, map[string]string{"state": Warning}},
		{"critical state", Observation{HealthState: ptr(3)}, map[string]string{"state": Critical}},
		{"anomaly over threshold", Observation{AnomalyScore: ptr(1.2), AnomalyThreshold: ptr(1.0)}, map[string]string{"anomaly": Warning}},
		{"anomaly twice the threshold", Observation{AnomalyScore: ptr(2.5), AnomalyThreshold: ptr(1.0)}, map[string]string{"anomaly": Critical}},
		{"anomaly at threshold", Observation{AnomalyScore: ptr(1.0), AnomalyThreshold: ptr(1.0)}, map[string]string{}},
		{"rul under horizon", Observation{RULHours: ptr(7.0)}, map[string]string{"rul": Warning}},
		{"rul under half the horizon", Observation{RULHours: ptr(4.0)}, map[string]string{"rul": Critical}},
		{"all three", Observation{HealthState: ptr(3), AnomalyScore: ptr(3.0), AnomalyThreshold: ptr(1.0), RULHours: ptr(1.0)},
			map[string]string{"state": Critical, "anomaly": Critical, "rul": Critical}},
	} {
		c.obs.MachineID, c.obs.MachineName = "m1", "Motor 1"
		got := map[string]string{}
		for _, cond := range r.Conditions(c.obs) {
			if _, dup := got[cond.Cause]; dup {
				t.Fatalf("%s: two conditions of cause %s", c.name, cond.Cause)
			}
			got[cond.Cause] = cond.Severity
			if !strings.HasPrefix(cond.Message, "Motor 1") || cond.Value == nil || cond.Threshold == nil {
				t.Fatalf("%s: %+v", c.name, cond)
			}
		}
		if len(got) != len(c.want) {
			t.Fatalf("%s: %v, want %v", c.name, got, c.want)
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Fatalf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
	conds := r.Conditions(Observation{MachineID: "m1", HealthState: ptr(2), StateTop: top})
	if len(conds[0].Factors) != 4 || conds[0].Factors[0].Sensor != "bearing_temp" || !strings.Contains(conds[0].Message, "bearing_temp, vibration, current") {
		t.Fatalf("factors %+v, message %q", conds[0].Factors, conds[0].Message)
	}
	if got := (Rules{}).Conditions(Observation{RULHours: ptr(0.0)}); len(got) != 0 {
		t.Fatalf("RUL alerts with horizon 0: %+v", got)
	}
}

// TestLifecycle drives alerts through the store: raise, de-duplicate, escalate, acknowledge,
// clear after the condition is gone for two refreshes, raise anew.
func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	dd, err := datadir.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dd.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, _ := profiles.FleetProfile("motor_siemens_1la7_001")
	if _, err := (&machines.Service{Store: st, Dir: dd}).Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	id := p.MachineID
	r := Rules{RULHorizonHours: 10}
	svc := &Service{Store: st}
	step := func(obs *Observation) []Change {
		t.Helper()
		open, err := st.Alerts(ctx, store.AlertFilter{State: "open"})
		if err != nil {
			t.Fatal(err)
		}
		now := map[string][]Condition{}
		if obs != nil {
			obs.MachineID = id
			now[id] = r.Conditions(*obs)
		}
		ins, upd, ch := r.Reconcile(open, now, store.Now())
		if err := st.SaveAlerts(ctx, ins, upd); err != nil {
			t.Fatal(err)
		}
		return ch
	}
	kinds := func(ch []Change) string {
		var out []string
		for _, c := range ch {
			out = append(out, c.Kind+":"+c.Alert.Cause)
		}
		return strings.Join(out, ",")
	}

	if got := kinds(step(&Observation{HealthState: ptr(2)})); got != "raised:state" {
		t.Fatalf("first warning: %q", got)
	}
	if got := kinds(step(&Observation{HealthState: ptr(2)})); got != "" {
		t.Fatalf("same warning again: %q (must not raise a duplicate)", got)
	}
	open, _ := svc.List(ctx, store.AlertFilter{State: "open"})
	if len(open) != 1 || open[0].State != store.AlertActive || open[0].Severity != Warning {
		t.Fatalf("open: %+v", open)
	}
	a, err := svc.Acknowledge(ctx, open[0].ID, "maria")
	if err != nil || a.State != store.AlertAcknowledged || *a.AcknowledgedBy != "maria" || a.AcknowledgedAt == nil {
		t.Fatalf("acknowledge: %v %+v", err, a)
	}
	if again, err := svc.Acknowledge(ctx, a.ID, "otto"); err != nil || *again.AcknowledgedBy != "maria" {
		t.Fatalf("acknowledging twice: %v %+v", err, again)
	}
	// Escalation to critical re-activates the acknowledged alert (same alert, not a new one).
	if got := kinds(step(&Observation{HealthState: ptr(3)})); got != "escalated:state" {
		t.Fatalf("escalation: %q", got)
	}
	esc, _ := st.GetAlert(ctx, a.ID)
	if esc.Severity != Critical || esc.State != store.AlertActive || esc.AcknowledgedBy != nil {
		t.Fatalf("escalated: %+v", esc)
	}
	// One healthy refresh is not enough to clear (hysteresis); a flicker back resets the count.
	step(&Observation{HealthState: ptr(0)})
	step(&Observation{HealthState: ptr(3)})
	step(&Observation{HealthState: ptr(0)})
	if cur, _ := st.GetAlert(ctx, a.ID); cur.State == store.AlertCleared {
		t.Fatal("cleared after one refresh without the condition following a flicker")
	}
	// Not observed (machine not refreshed) leaves it alone.
	step(nil)
	if got := kinds(step(&Observation{HealthState: ptr(0)})); got != "cleared:state" {
		t.Fatalf("clear: %q", got)
	}
	cl, _ := st.GetAlert(ctx, a.ID)
	if cl.State != store.AlertCleared || cl.ClearedAt == nil || *cl.ClearedBy != "" {
		t.Fatalf("cleared: %+v", cl)
	}
	if _, err := svc.Acknowledge(ctx, a.ID, "maria"); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("acknowledging a cleared alert: %v", err)
	}
	// The condition coming back raises a new alert; the old one stays as history.
	if got := kinds(step(&Observation{HealthState: ptr(2), RULHours: ptr(3.0)})); got != "raised:state,raised:rul" {
		t.Fatalf("re-raise: %q", got)
	}
	all, _ := svc.List(ctx, store.AlertFilter{MachineID: id})
	if len(all) != 3 {
		t.Fatalf("%d alerts in history, want 3", len(all))
	}
	rul, _ := svc.List(ctx, store.AlertFilter{State: "open"})
	for _, x := range rul {
		if x.Cause == store.CauseRUL {
			c, err := svc.Clear(ctx, x.ID, "maria")
			if err != nil || c.State != store.AlertCleared || *c.ClearedBy != "maria" {
				t.Fatalf("clear by hand: %v %+v", err, c)
			}
		}
	}
	if _, err := svc.List(ctx, store.AlertFilter{State: "bogus"}); apperr.KindOf(err) != apperr.KindBadInput {
		t.Fatalf("bad state: %v", err)
	}
	if _, err := svc.Acknowledge(ctx, "nope", "x"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("unknown id: %v", err)
	}
}
