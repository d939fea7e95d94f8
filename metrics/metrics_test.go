package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestTransportCountsByMethodAndResultWithoutTheToken(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			w.WriteHeader(429)
		}
	}))
	defer api.Close()
	m := New()
	c := &http.Client{Transport: m.Transport(nil)}
	c.Post(api.URL+"/bot123:SECRET/getMe", "", nil)
	c.Post(api.URL+"/bot123:SECRET/sendMessage", "", nil)
	if got := testutil.ToFloat64(m.APICalls.WithLabelValues("getMe", "ok")); got != 1 {
		t.Fatalf("getMe ok = %v", got)
	}
	if got := testutil.ToFloat64(m.APICalls.WithLabelValues("sendMessage", "too_many_requests")); got != 1 {
		t.Fatalf("sendMessage 429 = %v", got)
	}
	m.Updates.WithLabelValues("message", "handled").Inc()
	m.HandlerSeconds.Observe(0.002)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, _ := http.Get(srv.URL)
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"homelink_updates_total", "homelink_handler_seconds_bucket", "homelink_bot_api_calls_total", "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(string(body), "SECRET") {
		t.Fatal("the token reached the metrics")
	}
}
