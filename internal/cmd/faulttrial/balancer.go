package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// balancer is a round-robin load balancer in front of the replicas, as an
// operator would run: a backend that refuses the connection (dead) is
// skipped for the next; when none takes the request it answers 502, so
// Telegram sends the update again. Other answers, 503 included, pass
// through as they are.
type balancer struct {
	backends []string
	next     atomic.Uint64
	client   *http.Client
	srv      *http.Server
	ln       net.Listener

	mu       sync.Mutex
	statuses map[int]int // answers given to Telegram, by status
}

// startBalancer listens on a free loopback port; set backends before
// Telegram calls.
func startBalancer() (*balancer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &balancer{ln: ln, statuses: map[int]int{},
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	b.srv = &http.Server{Handler: b}
	go b.srv.Serve(ln)
	return b, nil
}

func (b *balancer) url() string { return "http://" + b.ln.Addr().String() }

func (b *balancer) close() { b.srv.Close() }

func (b *balancer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 2<<20))
	if err != nil {
		b.answer(w, http.StatusBadRequest, nil, nil)
		return
	}
	n := uint64(len(b.backends))
	first := b.next.Add(1)
	for i := uint64(0); i < n; i++ {
		out, _ := http.NewRequestWithContext(req.Context(), req.Method,
			b.backends[(first+i)%n]+req.URL.RequestURI(), bytes.NewReader(body))
		out.Header = req.Header.Clone()
		resp, err := b.client.Do(out)
		if err != nil {
			if req.Context().Err() != nil {
				return // Telegram gave up
			}
			continue
		}
		reply, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		b.answer(w, resp.StatusCode, resp.Header, reply)
		return
	}
	b.answer(w, http.StatusBadGateway, nil, []byte("no replica took the request\n"))
}

func (b *balancer) answer(w http.ResponseWriter, status int, h http.Header, body []byte) {
	b.mu.Lock()
	b.statuses[status]++
	b.mu.Unlock()
	for k, v := range h {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	w.Write(body)
}

// answers counts the answers given to Telegram, by status.
func (b *balancer) answers() map[int]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[int]int{}
	for k, v := range b.statuses {
		out[k] = v
	}
	return out
}
