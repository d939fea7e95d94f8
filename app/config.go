package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// Config is every setting homelink reads from the environment.
type Config struct {
	BotToken    string
	APIURL      string
	RedisURL    string
	RedisPrefix string
	// RedisSentinelAddrs and RedisSentinelMaster name the Sentinels and the
	// primary they watch; with them homelink follows a failover.
	RedisSentinelAddrs    []string
	RedisSentinelMaster   string
	RedisSentinelPassword string
	// RedisWaitReplicas is how many replicas must have an update before
	// the webhook answers 200 (0: none).
	RedisWaitReplicas     int
	WebhookURL            string
	WebhookSecret         string
	WebhookMaxConnections int
	ListenAddr            string
	DefaultLanguage       string
	DefaultTimezone       *time.Location
	AdminIDs              []int64
	InviteTTL             time.Duration
	// ForgetStrangersAfter is how long someone with no role is kept after
	// they last wrote.
	ForgetStrangersAfter time.Duration
	// MaxUpcomingPerChild is how many upcoming calls a guardian may hold
	// for one child.
	MaxUpcomingPerChild int
	// BookingHistoryRetention is how long a call is kept after its time.
	BookingHistoryRetention time.Duration
	// MailDailyLimit is how many mailbox items a guardian may leave for
	// one child in a day; MailRetention how long an item is kept.
	MailDailyLimit int
	MailRetention  time.Duration
	// ContactGapDays is how many days without a held call or a message
	// either way put a child in the weekly contact-gap alert.
	ContactGapDays int
	// InviteKey signs invitation codes (Redis keeps only HMACs);
	// InviteKeyPrevious finds codes signed before a rotation.
	InviteKey, InviteKeyPrevious []byte
	LogLevel                     slog.Level
	LogFormat                    string
	Workers                      int
	RatePerSecond                float64
	PaidBroadcast                bool
	PaidRatePerSecond            float64
	OutboxWorkers                int
	// ChatPerSecond and ChatBurst override the outbox's per-chat pacing
	// (Telegram's: about 1/s, burst 3); tests speed it up. Not settable
	// from the environment.
	ChatPerSecond float64
	ChatBurst     int
	// RedisGrace is how long Redis may be unreachable before /readyz says
	// so (10s); tests shorten it. Not settable from the environment.
	RedisGrace time.Duration
	// InboxLease is how long a worker holds a user's inbox without
	// progress before a sweep on any replica takes it over (30s); sweeps
	// run every third of it. Tests shorten it. Not settable from the
	// environment.
	InboxLease time.Duration
}

// Setting is one environment variable: its name, default and meaning. The
// README's configuration table lists exactly these (a test checks it).
type Setting struct {
	Name, Default, Help string
	set                 func(c *Config, v string) error
	secret              bool
}

// Settings lists every setting in the order the README shows them.
var Settings = []Setting{
	{Name: "TELEGRAM_BOT_TOKEN", Help: "The bot's token from @BotFather. Required.", secret: true,
		set: func(c *Config, v string) error {
			if !tokenRE.MatchString(v) {
				return errors.New("expected the token @BotFather gave, like 123456789:AAH…")
			}
			c.BotToken = v
			return nil
		}},
	{Name: "TELEGRAM_API_URL", Default: "https://api.telegram.org", Help: "Bot API server; set it to use a local Bot API server.",
		set: func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return errors.New("expected an http(s) URL such as https://api.telegram.org")
			}
			c.APIURL = strings.TrimRight(v, "/")
			return nil
		}},
	{Name: "REDIS_URL", Default: "redis://127.0.0.1:6379/0", Help: "Redis holding all shared state (redis:// or rediss://). With `?master_name=`, the Sentinels to ask for the primary instead (the URL's host and each `&addr=host:port`; its password is the Sentinels', the primary's is `&password=`).", secret: true,
		set: func(c *Config, v string) error {
			if isSentinelURL(v) {
				if o, err := redis.ParseFailoverURL(v); err != nil || o.MasterName == "" {
					return errors.New("expected a Sentinel URL such as redis://sentinel1:26379/0?master_name=mymaster&addr=sentinel2:26379")
				}
			} else if _, err := redis.ParseURL(v); err != nil {
				return errors.New("expected a URL such as redis://:password@host:6379/0")
			}
			c.RedisURL = v
			return nil
		}},
	{Name: "REDIS_SENTINEL_ADDRS", Help: "Comma-separated host:port of Redis Sentinels; with REDIS_SENTINEL_MASTER, homelink asks them for the primary and follows a failover. REDIS_URL then gives only the primary's password, database and TLS.",
		set: func(c *Config, v string) error {
			c.RedisSentinelAddrs = nil
			for _, f := range strings.Split(v, ",") {
				if f = strings.TrimSpace(f); f == "" {
					continue
				}
				if host, port, err := net.SplitHostPort(f); err != nil || host == "" || port == "" {
					return errors.New("expected comma-separated host:port such as sentinel1:26379,sentinel2:26379")
				}
				c.RedisSentinelAddrs = append(c.RedisSentinelAddrs, f)
			}
			return nil
		}},
	{Name: "REDIS_SENTINEL_MASTER", Help: "Name the Sentinels know the primary by (their `sentinel monitor` name). Required with REDIS_SENTINEL_ADDRS.",
		set: func(c *Config, v string) error {
			if strings.ContainsAny(v, " \t\n") {
				return errors.New("expected a name without spaces such as mymaster")
			}
			c.RedisSentinelMaster = v
			return nil
		}},
	{Name: "REDIS_SENTINEL_PASSWORD", Help: "Password of the Sentinels themselves, if they have one.", secret: true,
		set: func(c *Config, v string) error {
			c.RedisSentinelPassword = v
			return nil
		}},
	{Name: "REDIS_WAIT_REPLICAS", Default: "0", Help: "Replicas that must hold each update before the webhook answers 200 (Redis WAIT, 1 s at most; else 503 and Telegram sends it again). 1 or more: an update answered 200 survives a failover. See Durability.",
		set: func(c *Config, v string) (err error) {
			c.RedisWaitReplicas, err = intIn(v, 0, 10)
			return err
		}},
	{Name: "REDIS_KEY_PREFIX", Default: "hl:", Help: "Prefix of every Redis key homelink writes.",
		set: func(c *Config, v string) error {
			if v == "" || len(v) > 32 || strings.ContainsAny(v, "{} \t\n") {
				return errors.New("expected 1 to 32 characters without braces or spaces, such as hl:")
			}
			c.RedisPrefix = v
			return nil
		}},
	{Name: "WEBHOOK_URL", Help: "Public HTTPS URL Telegram posts updates to; its path is served on LISTEN_ADDR. Empty: long polling (one replica only).",
		set: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
				return errors.New("expected an https:// URL (http:// only on localhost)")
			}
			c.WebhookURL = v
			return nil
		}},
	{Name: "WEBHOOK_SECRET", Help: "Secret Telegram sends with every webhook call: 1–256 of A–Z a–z 0–9 _ -. Required with WEBHOOK_URL.", secret: true,
		set: func(c *Config, v string) error {
			if v != "" && !secretRE.MatchString(v) {
				return errors.New("expected 1 to 256 characters of A-Z a-z 0-9 _ -")
			}
			c.WebhookSecret = v
			return nil
		}},
	{Name: "WEBHOOK_MAX_CONNECTIONS", Default: "40", Help: "Most webhook requests Telegram makes at once (1–100).",
		set: func(c *Config, v string) (err error) {
			c.WebhookMaxConnections, err = intIn(v, 1, 100)
			return err
		}},
	{Name: "LISTEN_ADDR", Default: ":8080", Help: "Address of the HTTP server: webhook, /healthz, /readyz, /metrics.",
		set: func(c *Config, v string) error {
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return errors.New("expected host:port such as :8080")
			}
			c.ListenAddr = v
			return nil
		}},
	{Name: "DEFAULT_LANGUAGE", Default: "zh-Hans", Help: "Language for users whose Telegram language has no translation: zh-Hans or en.",
		set: func(c *Config, v string) error {
			if v != "zh-Hans" && v != "en" {
				return errors.New("expected zh-Hans or en")
			}
			c.DefaultLanguage = v
			return nil
		}},
	{Name: "DEFAULT_TIMEZONE", Default: "Asia/Shanghai", Help: "Time zone of homes and users that set none (IANA name).",
		set: func(c *Config, v string) error {
			loc, err := time.LoadLocation(v)
			if err != nil || v == "" || v == "Local" {
				return errors.New("expected an IANA time zone such as Asia/Shanghai")
			}
			c.DefaultTimezone = loc
			return nil
		}},
	{Name: "ADMIN_IDS", Help: "Comma-separated Telegram user ids of the deployment's admins.",
		set: func(c *Config, v string) error {
			c.AdminIDs = nil
			for _, f := range strings.Split(v, ",") {
				if f = strings.TrimSpace(f); f == "" {
					continue
				}
				id, err := strconv.ParseInt(f, 10, 64)
				if err != nil || id <= 0 {
					return errors.New("expected comma-separated numeric Telegram user ids such as 1234567,7654321")
				}
				c.AdminIDs = append(c.AdminIDs, id)
			}
			return nil
		}},
	{Name: "INVITE_TTL", Default: "168h", Help: "How long an invitation link or code stays valid (Go duration, 1h to 2160h).",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Hour || d > 90*24*time.Hour {
				return errors.New("expected a duration from 1h to 2160h such as 168h")
			}
			c.InviteTTL = d
			return nil
		}},
	{Name: "INVITE_KEY", Help: "Key that invitation codes are kept under (Redis holds only HMAC-SHA-256(key, code), so a copy of the database gives no code away): 32 or more characters, such as the output of `openssl rand -base64 32`. Required; keep it out of Redis and its backups. See Rotating INVITE_KEY.", secret: true,
		set: func(c *Config, v string) error {
			if len(v) < 32 {
				return errors.New("expected 32 or more characters, such as the output of openssl rand -base64 32")
			}
			c.InviteKey = []byte(v)
			return nil
		}},
	{Name: "INVITE_KEY_PREVIOUS", Help: "The INVITE_KEY before a rotation: codes made under it still work until they expire (INVITE_TTL), then remove it.", secret: true,
		set: func(c *Config, v string) error {
			if v != "" && len(v) < 32 {
				return errors.New("expected 32 or more characters (the previous INVITE_KEY), or nothing")
			}
			c.InviteKeyPrevious = nil
			if v != "" {
				c.InviteKeyPrevious = []byte(v)
			}
			return nil
		}},
	{Name: "FORGET_STRANGERS_AFTER", Default: "720h", Help: "How long homelink keeps someone who holds no role (they only chose a language, or never joined) after they last wrote: then their language, name and the rest are deleted (Go duration, 24h to 8760h).",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 24*time.Hour || d > 365*24*time.Hour {
				return errors.New("expected a duration from 24h to 8760h such as 720h")
			}
			c.ForgetStrangersAfter = d
			return nil
		}},
	{Name: "MAX_UPCOMING_PER_CHILD", Default: "2", Help: "How many upcoming calls one guardian may hold for one child at a time (1 to 10); a standing weekly call counts once.",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10 {
				return errors.New("expected a whole number from 1 to 10 such as 2")
			}
			c.MaxUpcomingPerChild = n
			return nil
		}},
	{Name: "BOOKING_HISTORY_RETENTION", Default: "8760h", Help: "How long a call (its time, state, kind and note) is kept after its time, for the home's figures and the guardian's /mydata; then it is deleted (Go duration, 720h to 17520h).",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 30*24*time.Hour || d > 2*365*24*time.Hour {
				return errors.New("expected a duration from 720h to 17520h such as 8760h")
			}
			c.BookingHistoryRetention = d
			return nil
		}},
	{Name: "MAILBOX_DAILY_LIMIT", Default: strconv.Itoa(homelink.DefaultMailDailyLimit), Help: "How many messages (texts, voice notes, photos, videos) one guardian may leave for one child in a day, the guardian's own day in their time zone (1 to 1000).",
		set: func(c *Config, v string) (err error) {
			c.MailDailyLimit, err = intIn(v, 1, 1000)
			return err
		}},
	{Name: "MAILBOX_RETENTION", Default: hours(homelink.DefaultMailRetention), Help: "How long a message left in a child's mailbox, or a child's reply, is kept after it arrived, or 30 days after it was heard when that comes first; then a daily job deletes it (Go duration, 24h to 8760h).",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 24*time.Hour || d > 365*24*time.Hour {
				return errors.New("expected a duration from 24h to 8760h such as 2160h")
			}
			c.MailRetention = d
			return nil
		}},
	{Name: "CONTACT_GAP_DAYS", Default: strconv.Itoa(homelink.DefaultContactGapDays), Help: "How many days without a held call or a message either way put a child in the teachers' and coordinators' Monday list of children not reached, and their parents in line for a gentle nudge (1 to 90).",
		set: func(c *Config, v string) (err error) {
			c.ContactGapDays, err = intIn(v, 1, 90)
			return err
		}},
	{Name: "LOG_LEVEL", Default: "info", Help: "debug, info, warn or error.",
		set: func(c *Config, v string) error {
			if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil || !oneOf(strings.ToLower(v), "debug", "info", "warn", "error") {
				return errors.New("expected debug, info, warn or error")
			}
			return nil
		}},
	{Name: "LOG_FORMAT", Default: "json", Help: "json for production, text for development.",
		set: func(c *Config, v string) error {
			if !oneOf(v, "json", "text") {
				return errors.New("expected json or text")
			}
			c.LogFormat = v
			return nil
		}},
	{Name: "HANDLER_WORKERS", Default: "64", Help: "Most users whose updates one replica handles at once.",
		set: func(c *Config, v string) (err error) {
			c.Workers, err = intIn(v, 1, 10000)
			return err
		}},
	{Name: "RATE_LIMIT_PER_SECOND", Default: "30", Help: "Messages a second for the whole bot, shared by all replicas (Telegram allows about 30).",
		set: func(c *Config, v string) (err error) {
			c.RatePerSecond, err = floatIn(v, 0.1, 1000)
			return err
		}},
	{Name: "BULK_PAID_BROADCAST", Default: "false", Help: "true: broadcasts set allow_paid_broadcast and may go up to BULK_PAID_RATE_PER_SECOND, paid in Telegram Stars.",
		set: func(c *Config, v string) error {
			if !oneOf(v, "true", "false") {
				return errors.New("expected true or false")
			}
			c.PaidBroadcast = v == "true"
			return nil
		}},
	{Name: "BULK_PAID_RATE_PER_SECOND", Default: "1000", Help: "Ceiling of paid broadcasts (Telegram allows up to 1000).",
		set: func(c *Config, v string) (err error) {
			c.PaidRatePerSecond, err = floatIn(v, 1, 1000)
			return err
		}},
	{Name: "OUTBOX_WORKERS", Default: "8", Help: "Sending workers per replica.",
		set: func(c *Config, v string) (err error) {
			c.OutboxWorkers, err = intIn(v, 1, 1000)
			return err
		}},
}

var (
	tokenRE  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// LoadConfig reads every setting through getenv (os.Getenv in production)
// and returns one error per wrong variable, each naming it and what it
// expects. Secrets are never repeated in an error.
func LoadConfig(getenv func(string) string) (Config, []error) {
	var c Config
	var errs []error
	for _, s := range Settings {
		v := getenv(s.Name)
		if v == "" {
			v = s.Default
		}
		if err := s.set(&c, v); err != nil {
			shown := fmt.Sprintf("=%q", v)
			if s.secret {
				shown = ""
			}
			errs = append(errs, fmt.Errorf("%s%s: %w", s.Name, shown, err))
		}
	}
	if (len(c.RedisSentinelAddrs) == 0) != (c.RedisSentinelMaster == "") {
		errs = append(errs, errors.New("REDIS_SENTINEL_ADDRS and REDIS_SENTINEL_MASTER: set both, or neither"))
	}
	if len(c.RedisSentinelAddrs) > 0 && isSentinelURL(c.RedisURL) {
		errs = append(errs, errors.New("REDIS_SENTINEL_ADDRS: REDIS_URL names Sentinels already (master_name); use one or the other"))
	}
	if c.WebhookURL != "" && getenv("WEBHOOK_SECRET") == "" {
		errs = append(errs, errors.New("WEBHOOK_SECRET: required when WEBHOOK_URL is set (1 to 256 characters of A-Z a-z 0-9 _ -)"))
	}
	return c, errs
}

// WebhookPath is the path the webhook is served on: WEBHOOK_URL's own path.
func (c Config) WebhookPath() string {
	u, err := url.Parse(c.WebhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// hours writes a whole number of hours as a setting's default: 2160h.
func hours(d time.Duration) string { return strconv.Itoa(int(d/time.Hour)) + "h" }

func intIn(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("expected a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

func floatIn(v string, lo, hi float64) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < lo || f > hi {
		return 0, fmt.Errorf("expected a number from %g to %g", lo, hi)
	}
	return f, nil
}

func oneOf(v string, options ...string) bool {
	for _, o := range options {
		if v == o {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
