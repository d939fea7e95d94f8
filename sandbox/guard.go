package sandbox

import (
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
)

// guard lets through only requests from the sandbox's own page. The page
// can make every phone type, tap and join homes and can move the clock, so
// a web page the user happens to visit must not: a foreign Host (DNS
// rebinding: a site whose name resolves to this machine) is refused with
// 403, a cross-origin request (Origin or Sec-Fetch-Site says another site)
// with 403, and a POST that is not JSON with 415, since a cross-site form
// can send text/plain but cannot send application/json without the
// preflight this server never grants. A refused request changes nothing.
func guard(hosts hostPolicy, next http.Handler) http.Handler {
	crossOrigin := http.NewCrossOriginProtection()
	crossOrigin.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "refused: a request from another site (Origin "+r.Header.Get("Origin")+
			"); only the sandbox's own page may act", http.StatusForbidden)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hosts.allows(r.Host) {
			http.Error(w, "refused: Host "+r.Host+" is not this sandbox's name; "+
				"open it by its address or add the name to SANDBOX_ALLOWED_HOSTS", http.StatusForbidden)
			return
		}
		if r.Method == http.MethodPost && !isJSON(r.Header.Get("Content-Type")) {
			http.Error(w, "refused: the sandbox's API takes Content-Type: application/json", http.StatusUnsupportedMediaType)
			return
		}
		crossOrigin.Handler(next).ServeHTTP(w, r)
	})
}

func isJSON(contentType string) bool {
	t, _, err := mime.ParseMediaType(contentType)
	return err == nil && t == "application/json"
}

// hostPolicy is the names the page may be reached by: any IP address (no
// rebinding goes through a literal address), localhost and its subdomains
// (which browsers resolve to loopback themselves), the host the sandbox was
// told to listen on, and the names the operator allowed.
type hostPolicy struct{ names []string }

// newHostPolicy allows the host of the listening address addr and the
// extra names (SANDBOX_ALLOWED_HOSTS), compared without case or port.
func newHostPolicy(addr string, extra []string) hostPolicy {
	var p hostPolicy
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		p.names = append(p.names, strings.ToLower(h))
	}
	for _, n := range extra {
		n = strings.TrimSpace(n)
		if h, _, err := net.SplitHostPort(n); err == nil {
			n = h // a port is not part of the name
		}
		if n != "" {
			p.names = append(p.names, strings.ToLower(n))
		}
	}
	return p
}

func (p hostPolicy) allows(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	switch {
	case host == "":
		return false
	case net.ParseIP(strings.Trim(host, "[]")) != nil:
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	}
	return slices.Contains(p.names, host)
}
