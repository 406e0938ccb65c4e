package llm

import (
	"strings"
	"testing"

	"pdmstudio/backend/llm/gguftest"
)

// Abbreviated forms of real Jinja chat templates: each holds the markers llama.cpp (and
// DetectTemplate) recognise the family by.
var templateSamples = []struct {
	family string
	jinja  string
}{
	{TemplateChatML, gguftest.DefaultChatTemplate},
	{TemplateLlama2, "{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}"},
	{TemplateLlama2Sys, "{% if messages[0]['role'] == 'system' %}{{ '<<SYS>>\\n' + messages[0]['content'] + '\\n<</SYS>>\\n\\n' }}{% endif %}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endfor %}"},
	{TemplateLlama2SysBOS, "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'system' %}{{ '<<SYS>>\\n' + message['content'] + '\\n<</SYS>>\\n\\n' }}{% endif %}{% endfor %}"},
	{TemplateLlama2SysStrip, "{% if messages[0]['role'] == 'system' %}{% set system_message = '<<SYS>>\\n' + messages[0]['content'].strip() + '\\n<</SYS>>\\n\\n' %}{% endif %}{% for message in messages %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% endfor %}"},
	{TemplateMistralV1, "{{ bos_token }}{% for message in loop_messages %}{% if message['role'] == 'user' %}{% if loop.first and system_message is defined %}{{ ' [INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}{% else %}{{ ' [INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endif %}{% endfor %}"},
	{TemplateMistralV3, "{{ bos_token }}{% for message in loop_messages %}{% if tools is not none %}{{ '[AVAILABLE_TOOLS] [' }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + '[/INST]' }}{% endif %}{% endfor %}"},
	{TemplateMistralV3Tekken, "{{ bos_token }}{% for message in loop_messages %}{% if tools is not none %}{{ \"[AVAILABLE_TOOLS]\" }}{% endif %}{% if message['role'] == 'user' %}{{ \"[INST]\" + message['content'] + \"[/INST]\" }}{% endif %}{% endfor %}"},
	{TemplateLlama3, "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"},
	{TemplateGemma, "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}"},
	{TemplatePhi3, "{% for message in messages %}{{'<|' + message['role'] + '|>' + '\\n' + message['content'] + '<|end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}"},
}

var sampleConversation = []Message{
	{Role: RoleSystem, Content: "You are a maintenance assistant. "},
	{Role: RoleUser, Content: " Why is the pump vibrating?"},
	{Role: RoleAssistant, Content: " Likely cavitation: suction pressure is low. "},
	{Role: RoleUser, Content: "What should I check first?\n"},
}

func TestDetectTemplate(t *testing.T) {
	for _, tc := range templateSamples {
		if got := DetectTemplate(tc.jinja); got != tc.family {
			t.Errorf("DetectTemplate(%s sample) = %q", tc.family, got)
		}
	}
	for _, unknown := range []string{"", "{{ messages }}", "<|User|>{{ content }}<|Assistant|>"} {
		if got := DetectTemplate(unknown); got != "" {
			t.Errorf("DetectTemplate(%q) = %q, want \"\"", unknown, got)
		}
	}
}

func TestFormatChatShapes(t *testing.T) {
	msgs := []Message{{Role: RoleSystem, Content: "S"}, {Role: RoleUser, Content: "Q"}}
	cases := []struct {
		family string
		want   string
	}{
		{TemplateChatML, "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n"},
		{"", "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n"},
		{TemplateLlama3, "<|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"},
		{TemplateLlama2Sys, "[INST] <<SYS>>\nS\n<</SYS>>\n\nQ [/INST]"},
		{TemplateMistralV3, "[INST] S\n\nQ[/INST]"},
		{TemplateGemma, "<start_of_turn>user\nS\n\nQ<end_of_turn>\n<start_of_turn>model\n"},
		{TemplatePhi3, "<|system|>\nS<|end|>\n<|user|>\nQ<|end|>\n<|assistant|>\n"},
	}
	for _, tc := range cases {
		if got := FormatChat(tc.family, msgs, true); got != tc.want {
			t.Errorf("FormatChat(%q) =\n%q\nwant\n%q", tc.family, got, tc.want)
		}
	}
}

// TestFormatChatMatchesLlamaCpp renders the same conversation with the Go templates and with
// llama.cpp's llama_chat_apply_template: they must agree byte for byte.
func TestFormatChatMatchesLlamaCpp(t *testing.T) {
	requireLlama(t)
	for _, tc := range templateSamples {
		for _, addAssistant := range []bool{true, false} {
			want, ok := ApplyTemplate(tc.jinja, sampleConversation, addAssistant)
			if !ok {
				t.Errorf("%s: llama.cpp did not recognise the template", tc.family)
				continue
			}
			if got := FormatChat(tc.family, sampleConversation, addAssistant); got != want {
				t.Errorf("%s (add assistant %v):\n Go       %q\n llama.cpp %q", tc.family, addAssistant, got, want)
			}
		}
	}
	if _, ok := ApplyTemplate("{{ messages }}", sampleConversation, true); ok {
		t.Error("llama.cpp accepted an unknown template")
	}
	// A template only llama.cpp knows (Command-R style) is rendered by llama.cpp.
	ct := TemplateFor(ModelInfo{ChatTemplate: "{% for m in messages %}<|START_OF_TURN_TOKEN|><|USER_TOKEN|>{{ m['content'] }}<|END_OF_TURN_TOKEN|>{% endfor %}"})
	if ct.Family != TemplateLlamaCpp || !ct.Recognised {
		t.Errorf("Command-R-style template: %+v", ct)
	}
	if p := ct.Render(sampleConversation[1:2], true); !strings.Contains(p, "<|USER_TOKEN|>Why is the pump vibrating?") {
		t.Errorf("Command-R-style prompt: %q", p)
	}
	if ct := TemplateFor(ModelInfo{}); ct.Family != TemplateChatML || ct.Recognised {
		t.Errorf("no template: %+v", ct)
	}
}
