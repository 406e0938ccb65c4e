package llm

import (
	"strings"
	"testing"
)

var testSchema = Schema{Type: "object", Properties: []Property{
	{Name: "summary", Schema: Schema{Type: "string", MaxLength: 40}},
	{Name: "risk_factors", Schema: Schema{Type: "array", MaxItems: 3, Items: &Schema{Type: "string", MaxLength: 20}}},
	{Name: "actions", Schema: Schema{Type: "array", MinItems: 1, MaxItems: 2, Items: &Schema{Type: "object", Properties: []Property{
		{Name: "action", Schema: Schema{Type: "string", MinLength: 1, MaxLength: 20}},
		{Name: "priority", Schema: Schema{Type: "string", Enum: []string{"high", "medium", "low"}}},
	}}}},
	{Name: "score", Schema: Schema{Type: "number"}},
	{Name: "urgent", Schema: Schema{Type: "boolean"}},
	{Name: "count", Schema: Schema{Type: "integer"}},
}}

func TestSchemaGrammar(t *testing.T) {
	g, err := testSchema.Grammar()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"root ::= root-",
		`"\"summary\"" ws ":" ws summary-`,
		`"\"" char{0,40} "\""`,
		`"\"" char{1,20} "\""`,
		`"\"high\"" | "\"medium\"" | "\"low\""`,
		`( "," ws risk-factors-item-`, "){0,2}",
		"){0,1}", // actions: 1 to 2 items
		`"true" | "false"`,
		"ws ::= ", "char ::= ",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("grammar lacks %q:\n%s", want, g)
		}
	}
	t.Log(g)
	if n := testSchema.MaxBytes(); n < 500 || n > 3000 {
		t.Errorf("MaxBytes = %d", n)
	}

	bad := []struct {
		name string
		s    Schema
		want string
	}{
		{"empty object", Schema{Type: "object"}, "needs properties"},
		{"duplicate property", Schema{Type: "object", Properties: []Property{{Name: "a", Schema: Schema{Type: "string"}}, {Name: "a", Schema: Schema{Type: "string"}}}}, "repeated name"},
		{"array without items", Schema{Type: "array"}, "needs items"},
		{"bad range", Schema{Type: "string", MinLength: 5, MaxLength: 2}, "do not make a range"},
		{"unknown type", Schema{Type: "date"}, "unknown type"},
	}
	for _, tc := range bad {
		if _, err := tc.s.Grammar(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestGBNFLiteral(t *testing.T) {
	for in, want := range map[string]string{
		`"a"`:  `"\"a\""`,
		`a\b`:  `"a\\b"`,
		"x\ny": `"x\ny"`,
		"°C":   `"°C"`,
	} {
		if got := literal(in); got != want {
			t.Errorf("literal(%q) = %s, want %s", in, got, want)
		}
	}
}
