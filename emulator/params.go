package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxBody bounds a request body; the real Bot API takes uploads up to 50 MB.
const maxBody = 50 << 20

// params is a Bot API request's parameters as Telegram reads them: every
// value a string, nested objects as JSON text, uploads by field name.
type params struct {
	values  map[string]string
	uploads map[string]upload // by field name
}

func (p params) str(name string) string { return p.values[name] }

func (p params) has(name string) bool { _, ok := p.values[name]; return ok }

func (p params) int64(name string) (int64, error) {
	v, ok := p.values[name]
	if !ok || v == "" {
		return 0, fmt.Errorf("%s is empty", name)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is invalid", name)
	}
	return n, nil
}

func (p params) bool(name string) bool {
	v := strings.ToLower(p.values[name])
	return v == "true" || v == "1"
}

func (p params) json(name string, dst any) error {
	v, ok := p.values[name]
	if !ok || v == "" {
		return nil
	}
	return json.Unmarshal([]byte(v), dst)
}

// upload is a file sent in a multipart body.
type upload struct {
	name string
	data []byte
}

// parseParams reads the query string and a multipart, urlencoded or JSON
// body, the three encodings the Bot API accepts.
func parseParams(r *http.Request) (params, error) {
	p := params{values: map[string]string{}, uploads: map[string]upload{}}
	for k, v := range r.URL.Query() {
		p.values[k] = v[0]
	}
	if r.Body == nil {
		return p, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return p, fmt.Errorf("bad body: %w", err)
	}
	if len(body) == 0 {
		// go-telegram/bot sends methods without parameters as an empty
		// multipart body; Telegram takes it as no parameters.
		return p, nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return p, fmt.Errorf("bad multipart body: %w", err)
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return p, fmt.Errorf("bad multipart body: %w", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return p, fmt.Errorf("bad multipart body: %w", err)
			}
			if part.FileName() != "" {
				p.uploads[part.FormName()] = upload{name: part.FileName(), data: data}
			} else {
				p.values[part.FormName()] = string(data)
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, fmt.Errorf("bad form body: %w", err)
		}
		for k, v := range r.PostForm {
			p.values[k] = v[0]
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return p, fmt.Errorf("bad JSON body: %w", err)
		}
		for k, raw := range m {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				p.values[k] = s
			} else {
				p.values[k] = string(raw)
			}
		}
	}
	return p, nil
}
