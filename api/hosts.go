package api

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
)

// HostOptions configures [RestrictHosts].
type HostOptions struct {
	// Listen is the address the server listens on; its host, unless it
	// binds every interface, is an allowed Host.
	Listen string
	// Allowed are further allowed host names or addresses, without port,
	// compared without case. An entry starting with a dot allows every
	// subdomain of the rest (".example.com" allows "a.example.com"); "*"
	// allows every host and turns the check off.
	Allowed []string
	// AllowIPs allows every IP address as Host: a client that names the
	// server by address reached it by address, not through a name a page
	// could rebind. Meant for a metrics port that scrapers reach by the
	// address of the moment (a pod's IP).
	AllowIPs bool
	// Logger receives refused requests; nil discards them.
	Logger *slog.Logger
}

// RestrictHosts returns a handler that passes to next only the requests
// whose Host header names this server: a loopback name ("localhost" and
// names under ".localhost", RFC 6761), a loopback address (127.0.0.0/8,
// ::1), the listen address's host or an allowed host, each also with the
// "sync-" prefix the AWS SDKs put before the host for StartSyncExecution.
// Other requests get 403 and an AWS-shaped AccessDeniedException.
//
// A server without authentication needs this: a web page of any origin
// can make its own name resolve to 127.0.0.1 (DNS rebinding), and the
// browser then sends that page's requests, with its name as Host, to the
// server. /healthz is exempt: it reveals nothing, and probes often name
// the host by an address of their own.
func RestrictHosts(next http.Handler, o HostOptions) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	g := hostGuard{listen: listenHost(o.Listen), ips: o.AllowIPs}
	for _, a := range o.Allowed {
		a = normalizeHost(a)
		switch {
		case a == "":
		case a == "*":
			g.any = true
		case strings.HasPrefix(a, "."):
			g.suffixes = append(g.suffixes, a)
		default:
			g.names = append(g.names, a)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || g.allows(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		o.Logger.Warn("request for a foreign host refused", "host", r.Host, "remote_addr", r.RemoteAddr)
		writeError(w, o.Logger, "host", errorf(codeAccessDenied,
			"Host '%s' is not allowed: without credentials the server answers only loopback names and the hosts of --allowed-hosts", r.Host))
	})
}

// hostGuard is the compiled allow list of [RestrictHosts].
type hostGuard struct {
	any      bool
	ips      bool     // every IP address
	listen   string   // the listen address's host, or empty
	names    []string // exact host names and addresses
	suffixes []string // ".domain" entries
}

func (g hostGuard) allows(hostport string) bool {
	if g.any {
		return true
	}
	host := normalizeHost(hostport)
	if host == "" {
		return false
	}
	if g.allowsName(host) {
		return true
	}
	// The SDKs send StartSyncExecution to "sync-" + the endpoint's host.
	rest, ok := strings.CutPrefix(host, "sync-")
	return ok && rest != "" && g.allowsName(rest)
}

func (g hostGuard) allowsName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == g.listen {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && (ip.IsLoopback() || g.ips) {
		return true
	}
	for _, n := range g.names {
		if host == n {
			return true
		}
	}
	for _, s := range g.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// normalizeHost returns the host of a Host header or allow-list entry in
// lower case, without port, IPv6 brackets or a final dot; empty if it is
// malformed.
func normalizeHost(hostport string) string {
	h := strings.ToLower(strings.TrimSpace(hostport))
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	} else if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	} else if strings.Contains(h, "]") || strings.Count(h, ":") == 1 {
		return "" // a bracket or a port that SplitHostPort refused
	}
	return strings.TrimSuffix(h, ".")
}

// listenHost returns the host part of a listen address, or empty when it
// binds every interface (no single host name stands for it there).
func listenHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return ""
	}
	return normalizeHost(host)
}
