package app

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
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
		"INVITE_KEY_PREVIOUS": "also-short", "MAILBOX_DAILY_LIMIT": "0", "MAILBOX_RETENTION": "12h",
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

// withEnv reads the settings a test gives, and the two required ones.
func withEnv(env map[string]string) func(string) string {
	return func(name string) string {
		switch name {
		case "TELEGRAM_BOT_TOKEN":
			return "123456:abcdefghijklmnopqrstuvwxyz"
		case "INVITE_KEY":
			return "a-key-of-thirty-two-characters-0"
		}
		return env[name]
	}
}

// The mailbox's daily limit and retention: homelink's defaults when unset,
// what is set when it makes sense, and a wrong value named with what is
// expected instead.
func TestMailboxSettings(t *testing.T) {
	cfg, errs := LoadConfig(withEnv(nil))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if cfg.MailDailyLimit != homelink.DefaultMailDailyLimit || cfg.MailRetention != homelink.DefaultMailRetention {
		t.Errorf("defaults: limit %d, retention %v; want %d, %v", cfg.MailDailyLimit, cfg.MailRetention,
			homelink.DefaultMailDailyLimit, homelink.DefaultMailRetention)
	}
	for _, ok := range []struct {
		limit, retention string
		n                int
		d                time.Duration
	}{{"1", "24h", 1, 24 * time.Hour}, {"50", "720h", 50, 720 * time.Hour}, {"1000", "8760h", 1000, 8760 * time.Hour}} {
		cfg, errs := LoadConfig(withEnv(map[string]string{"MAILBOX_DAILY_LIMIT": ok.limit, "MAILBOX_RETENTION": ok.retention}))
		if len(errs) > 0 || cfg.MailDailyLimit != ok.n || cfg.MailRetention != ok.d {
			t.Errorf("%s, %s: read %d, %v, %v", ok.limit, ok.retention, cfg.MailDailyLimit, cfg.MailRetention, errs)
		}
	}
	wrong := map[string][]string{
		"MAILBOX_DAILY_LIMIT": {"0", "-3", "1001", "many", "2.5"},
		"MAILBOX_RETENTION":   {"23h59m", "0", "-2160h", "8761h", "90d", "2160"},
	}
	expected := map[string]string{
		"MAILBOX_DAILY_LIMIT": "expected a whole number from 1 to 1000",
		"MAILBOX_RETENTION":   "expected a duration from 24h to 8760h such as 2160h",
	}
	for name, values := range wrong {
		for _, v := range values {
			_, errs := LoadConfig(withEnv(map[string]string{name: v}))
			want := fmt.Sprintf("%s=%q: %s", name, v, expected[name])
			if len(errs) != 1 || errs[0].Error() != want {
				t.Errorf("%s=%s: errors %v, want [%s]", name, v, errs, want)
			}
		}
	}
}
