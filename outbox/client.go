package outbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// maxRequestBytes bounds one Bot API request body held in memory; uploads
// by file are sent by file_id, so real bodies are a few kilobytes.
const maxRequestBytes = 50 << 20

// BufferedClient sends each Bot API request body in one piece. The
// go-telegram/bot client streams its multipart body through a pipe, which
// net/http sends as many small chunks (a syscall and a packet each); on a
// slow network and under load, one sized write is much cheaper.
type BufferedClient struct {
	HTTP *http.Client
}

// Do reads the request body fully, then sends it with a Content-Length.
func (c BufferedClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.ContentLength <= 0 {
		body, err := io.ReadAll(io.LimitReader(req.Body, maxRequestBytes+1))
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("outbox: read request body: %w", err)
		}
		if len(body) > maxRequestBytes {
			return nil, fmt.Errorf("outbox: request body over %d bytes", maxRequestBytes)
		}
		req.ContentLength = int64(len(body))
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return c.HTTP.Do(req)
}
