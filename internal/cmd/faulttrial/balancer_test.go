package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBalancerSkipsADeadReplica(t *testing.T) {
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s" {
			t.Errorf("secret header not passed on")
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer live.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	b := startTestBalancer(t, dead.URL, live.URL)
	for range 4 {
		if got := post(t, b); got != http.StatusOK {
			t.Fatalf("status %d, want 200 from the live replica", got)
		}
	}
}

func TestBalancerAnswers502WhenNoReplicaTakesTheCall(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	b := startTestBalancer(t, dead.URL, dead.URL)
	if got := post(t, b); got != http.StatusBadGateway {
		t.Fatalf("status %d, want 502 so that Telegram sends the update again", got)
	}
}

func TestBalancerPassesA503Through(t *testing.T) {
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "try again", http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	b := startTestBalancer(t, busy.URL)
	if got := post(t, b); got != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want the replica's 503", got)
	}
	if n := b.answers()[http.StatusServiceUnavailable]; n != 1 {
		t.Fatalf("counted %d answers of 503, want 1", n)
	}
}

func startTestBalancer(t *testing.T, backends ...string) *balancer {
	t.Helper()
	b, err := startBalancer()
	if err != nil {
		t.Fatal(err)
	}
	b.backends = backends
	t.Cleanup(b.close)
	return b
}

func post(t *testing.T, b *balancer) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.url()+"/hook", strings.NewReader(`{"update_id":1}`))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
