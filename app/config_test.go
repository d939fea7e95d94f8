package app

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMEListsEverySetting keeps the README's configuration table and
// Settings the same: every variable, with its default.
func TestREADMEListsEverySetting(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| (?:`([^`]*)`|\\(empty\\)) \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(raw), -1) {
		documented[m[1]] = m[2]
	}
	for _, s := range Settings {
		def, ok := documented[s.Name]
		if !ok {
			t.Errorf("README lacks %s", s.Name)
		} else if def != s.Default {
			t.Errorf("README gives %s the default %q, code %q", s.Name, def, s.Default)
		}
		delete(documented, s.Name)
	}
	for name := range documented {
		t.Errorf("README documents %s, which homelink does not read", name)
	}
}

func TestDefaultsAreValid(t *testing.T) {
	cfg, errs := LoadConfig(func(name string) string {
		switch name {
		case "TELEGRAM_BOT_TOKEN":
			return "123456:abcdefghijklmnopqrstuvwxyz"
		case "INVITE_KEY":
			return "a-key-of-thirty-two-characters-0"
		}
		return ""
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if cfg.DefaultLanguage != "zh-Hans" || cfg.DefaultTimezone.String() != "Asia/Shanghai" || cfg.ListenAddr != ":8080" ||
		cfg.WebhookURL != "" || cfg.RedisPrefix != "hl:" || cfg.Workers != 64 {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestEachWrongSettingIsNamed(t *testing.T) {
	bad := map[string]string{
		"TELEGRAM_BOT_TOKEN": "", "TELEGRAM_API_URL": "ftp://x", "REDIS_URL": "mysql://x", "REDIS_KEY_PREFIX": "{x}",
		"WEBHOOK_URL": "http://bot.example.org/tg", "WEBHOOK_SECRET": "has spaces", "WEBHOOK_MAX_CONNECTIONS": "0",
		"LISTEN_ADDR": "nowhere", "DEFAULT_LANGUAGE": "fr", "DEFAULT_TIMEZONE": "Local", "ADMIN_IDS": "12,abc",
		"LOG_LEVEL": "trace", "LOG_FORMAT": "xml", "HANDLER_WORKERS": "many", "INVITE_KEY": "too-short-a-key",
		"INVITE_KEY_PREVIOUS": "also-short",
	}
	_, errs := LoadConfig(func(n string) string { return bad[n] })
	if len(errs) != len(bad) {
		t.Errorf("want one error per wrong variable (%d), got %d: %v", len(bad), len(errs), errs)
	}
	said := map[string]bool{}
	for _, e := range errs {
		name, _, _ := strings.Cut(e.Error(), "=")
		name, _, _ = strings.Cut(name, ":")
		said[name] = true
		if strings.Contains(e.Error(), "has spaces") {
			t.Errorf("secret echoed: %v", e)
		}
	}
	for name := range bad {
		if !said[name] {
			t.Errorf("no error names %s; errors: %v", name, errs)
		}
	}
}

func TestWebhookPathAndRedactedURL(t *testing.T) {
	c := Config{WebhookURL: "https://bot.example.org/tg/hook", RedisURL: "redis://:pw@redis:6379/0"}
	if c.WebhookPath() != "/tg/hook" || strings.Contains(c.RedactedRedisURL(), "pw") {
		t.Fatalf("%s %s", c.WebhookPath(), c.RedactedRedisURL())
	}
}

// REDIS_URL holds a password: a wrong one is named without being echoed,
// and messages about Redis hide every password it holds.
func TestRedisURLPasswordsAreNeverShown(t *testing.T) {
	_, errs := LoadConfig(func(n string) string {
		if n == "REDIS_URL" {
			return "mysql://admin:hunter2-secret@db:6379/0"
		}
		return ""
	})
	var said []string
	for _, e := range errs {
		said = append(said, e.Error())
	}
	if len(errs) == 0 || !strings.Contains(strings.Join(said, "\n"), "REDIS_URL") || strings.Contains(strings.Join(said, "\n"), "hunter2") {
		t.Fatalf("errors for a wrong REDIS_URL: %q; want REDIS_URL named and its password not shown", said)
	}
	for _, u := range []string{
		"redis://:hunter2-secret@redis:6379/0",
		"redis://user:hunter2-secret@redis:6379/0",
		"redis://sentinel:26379/0?master_name=m&password=hunter2-secret&addr=s2:26379",
	} {
		if r := (Config{RedisURL: u}).RedactedRedisURL(); strings.Contains(r, "hunter2") {
			t.Errorf("%s shown as %s", u, r)
		}
	}
}

// An .env file holds the token and passwords: git and the image build
// leave it out.
func TestEnvFilesStayOutOfGitAndTheImage(t *testing.T) {
	for _, f := range []string{"../.gitignore", "../.dockerignore"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(raw), "\n")
		if !slices.Contains(lines, ".env") || !slices.Contains(lines, ".env.*") {
			t.Errorf("%s does not exclude .env and .env.*", f)
		}
	}
}
