package rule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func TestParseAcceptsSimpleFormsAndSpecs(t *testing.T) {
	shanghai := zone(t, "Asia/Shanghai")
	tests := []struct {
		name, text, canonical string
		zone                  string
		simple                *Simple
	}{
		{"weekly", "every Friday at 18:00", "every Friday at 18:00", "Asia/Shanghai", &Simple{Weekday: time.Friday, Hour: 18}},
		{"weekly, short day, any case", "EVERY mon AT 8:00", "every Monday at 08:00", "Asia/Shanghai", &Simple{Weekday: time.Monday, Hour: 8}},
		{"daily", "every day at 02:30", "every day at 02:30", "Asia/Shanghai", &Simple{EveryDay: true, Hour: 2, Minute: 30}},
		{"extra spaces", "  every   Sunday at 23:59 ", "every Sunday at 23:59", "Asia/Shanghai", &Simple{Weekday: time.Sunday, Hour: 23, Minute: 59}},
		{"cron spec in the home's zone", "0 8 * * MON", "0 8 * * MON", "Asia/Shanghai", nil},
		{"descriptor", "@daily", "@daily", "Asia/Shanghai", nil},
		{"CRON_TZ overrides the home's zone", "CRON_TZ=America/New_York 0 8 * * 1", "CRON_TZ=America/New_York 0 8 * * 1", "America/New_York", nil},
		{"leap day only", "0 0 29 2 *", "0 0 29 2 *", "Asia/Shanghai", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.text, shanghai)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.text, err)
			}
			if r.String() != tt.canonical || r.Location().String() != tt.zone {
				t.Errorf("got %q in %s, want %q in %s", r, r.Location(), tt.canonical, tt.zone)
			}
			s, ok := r.Simple()
			if ok != (tt.simple != nil) || (ok && s != *tt.simple) {
				t.Errorf("Simple() = %+v, %v; want %+v", s, ok, tt.simple)
			}
			again, err := Parse(r.String(), shanghai)
			if err != nil || again.String() != r.String() || again.f != r.f || again.Location().String() != r.Location().String() {
				t.Errorf("round trip of %q gave %q, %v", r, again, err)
			}
		})
	}
}

func TestParseRejectsWithClearErrors(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	tests := []struct {
		name, text string
		loc        *time.Location
		want       error
		mentions   string
	}{
		{"bad weekday", "every Funday at 18:00", berlin, ErrWeekday, `"Funday"`},
		{"hour 25", "every day at 25:00", berlin, ErrClock, `"25:00"`},
		{"24:00 is tomorrow", "every Monday at 24:00", berlin, ErrClock, `"24:00"`},
		{"minute 60", "every day at 10:60", berlin, ErrClock, `"10:60"`},
		{"one-digit minute", "every day at 10:5", berlin, ErrClock, `"10:5"`},
		{"signed hour", "every day at +1:00", berlin, ErrClock, `"+1:00"`},
		{"missing at", "every Friday 18:00", berlin, ErrForm, "every Friday 18:00"},
		{"trailing words", "every Friday at 18:00 sharp", berlin, ErrForm, "sharp"},
		{"garbage cron", "banana split", berlin, ErrSpec, "banana"},
		{"cron hour out of range", "0 25 * * *", berlin, ErrSpec, "25"},
		{"six fields", "0 0 8 * * MON", berlin, ErrSpec, "0 0 8"},
		{"empty", "", berlin, ErrSpec, `""`},
		{"unknown CRON_TZ", "CRON_TZ=Mars/Olympus 0 8 * * *", berlin, ErrSpec, "Mars/Olympus"},
		{"server's zone", "CRON_TZ=Local 0 8 * * *", berlin, ErrSpec, "server's zone"},
		{"zone prefix alone", "TZ=", berlin, ErrSpec, "five fields"},
		{"zone without fields", "CRON_TZ=Europe/Berlin", berlin, ErrSpec, "five fields"},
		{"empty field", ", 0 10 1 ,", berlin, ErrSpec, "no values"},
		{"interval", "@every 1h", berlin, ErrSpec, "@every"},
		{"31 April", "0 0 31 4 *", berlin, ErrNever, "0 0 31 4 *"},
		{"no zone", "every day at 02:30", nil, ErrNoZone, "02:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.text, tt.loc)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) = %v, want %v", tt.text, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mentions) {
				t.Errorf("error %q does not mention %s", err, tt.mentions)
			}
		})
	}
}

func TestConstructorsCheckTheirFields(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	if _, err := Weekly(time.Weekday(7), 8, 0, berlin); !errors.Is(err, ErrWeekday) {
		t.Errorf("weekday 7: %v", err)
	}
	if _, err := Daily(8, -1, berlin); !errors.Is(err, ErrClock) {
		t.Errorf("minute -1: %v", err)
	}
	r, err := Weekly(time.Friday, 18, 0, berlin)
	if err != nil || r.String() != "every Friday at 18:00" {
		t.Errorf("Weekly(Friday, 18, 0) = %q, %v", r, err)
	}
}

func TestZeroRuleNeverFires(t *testing.T) {
	var r Rule
	if !r.IsZero() || !r.Next(time.Now()).IsZero() {
		t.Error("the zero Rule fired")
	}
	if _, ok := r.Simple(); ok {
		t.Error("the zero Rule claims a simple form")
	}
}
