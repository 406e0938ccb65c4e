package quality

import (
	"context"
	"fmt"
	"os"
	"testing"

	"pdmstudio/backend/datasets"
	"pdmstudio/backend/profiles"
	"pdmstudio/backend/simulate"
	"pdmstudio/backend/tvae"
)

func TestScratchStates(t *testing.T) {
	path := os.Getenv("SCRATCH_MODEL")
	if path == "" {
		t.Skip()
	}
	p, _ := profiles.FleetProfile(os.Getenv("SCRATCH_MACHINE"))
	real, _ := simulate.Run(context.Background(), p, simulate.Options{Rows: 10000, Seed: 1}, nil)
	m, err := tvae.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	syn, _ := m.Sample(10000, 2, nil)
	show := func(name string, tb *datasets.Table) {
		hs := tb.Column("health_state").Ints
		cnt := make([]int, 4)
		sums := map[string][]float64{}
		for _, c := range tb.Columns {
			if c.Meta.Role == datasets.RoleSensor || c.Name == "degradation" {
				sums[c.Name] = make([]float64, 8)
			}
		}
		for i, s := range hs {
			cnt[s]++
			for n, v := range sums {
				x, ok := tb.Column(n).Number(i)
				if ok {
					v[s] += x
					v[4+s]++
				}
			}
		}
		fmt.Println(name, "counts", cnt)
		for _, c := range tb.Columns {
			v, ok := sums[c.Name]
			if !ok {
				continue
			}
			fmt.Printf("  %-22s", c.Name)
			for s := 0; s < 4; s++ {
				fmt.Printf(" %9.3f", v[s]/v[4+s])
			}
			fmt.Println()
		}
	}
	show("real", real)
	show("syn", syn)
}
