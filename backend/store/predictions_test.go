package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The refresh's predictions are pruned to the newest keep per machine and task; the ones a user
// asked for stay, however old.
func TestPrunePredictionsKeepsUserPredictions(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	addMachine(t, s, "motor_001")
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var ps []PredictionRow
	for i := range 10 {
		ts := base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339Nano)
		for _, task := range []string{"classification", "rul"} {
			ps = append(ps, PredictionRow{ID: fmt.Sprintf("r-%s-%d", task, i), MachineID: "motor_001", PredictionType: task,
				InputData: []byte(`{}`), Result: []byte(`{}`), Timestamp: ts, Origin: OriginRefresh})
		}
		if i < 2 { // the oldest two minutes also have a prediction someone asked for
			ps = append(ps, PredictionRow{ID: fmt.Sprintf("u-%d", i), MachineID: "motor_001", PredictionType: "classification",
				InputData: []byte(`{}`), Result: []byte(`{}`), Timestamp: ts})
		}
	}
	if err := s.InsertPredictions(ctx, ps); err != nil {
		t.Fatal(err)
	}
	n, err := s.PrunePredictions(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if n != 14 { // 7 of 10 refresh rows per task
		t.Fatalf("pruned %d rows, want 14", n)
	}
	rows, err := s.Predictions(ctx, "motor_001", "classification", 100)
	if err != nil {
		t.Fatal(err)
	}
	users, refresh := 0, 0
	for _, r := range rows {
		switch r.Origin {
		case OriginUser:
			users++
		case OriginRefresh:
			refresh++
			if r.ID != "r-classification-9" && r.ID != "r-classification-8" && r.ID != "r-classification-7" {
				t.Errorf("kept an old refresh prediction %s", r.ID)
			}
		default:
			t.Errorf("origin %q", r.Origin)
		}
	}
	if users != 2 || refresh != 3 {
		t.Fatalf("classification log after pruning: %d user, %d refresh rows; want 2 and 3", users, refresh)
	}
}
