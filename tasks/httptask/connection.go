package httptask

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// Authorization types of an EventBridge connection.
const (
	AuthAPIKey = "API_KEY"
	AuthBasic  = "BASIC"
	AuthOAuth  = "OAUTH_CLIENT_CREDENTIALS"
)

// Connection is an EventBridge connection in the shape of EventBridge's
// CreateConnection request, so a connection can be copied from a
// CloudFormation template or an `aws events create-connection` call.
type Connection struct {
	AuthorizationType string
	AuthParameters    AuthParameters
}

// AuthParameters holds the credentials of one authorization type and the
// parameters added to every invocation.
type AuthParameters struct {
	APIKeyAuthParameters *struct {
		APIKeyName  string `json:"ApiKeyName"`
		APIKeyValue string `json:"ApiKeyValue"`
	} `json:"ApiKeyAuthParameters,omitempty"`
	BasicAuthParameters *struct {
		Username string
		Password string
	} `json:",omitempty"`
	OAuthParameters *struct {
		AuthorizationEndpoint string
		HTTPMethod            string `json:"HttpMethod"`
		ClientParameters      struct {
			ClientID     string
			ClientSecret string
		}
		OAuthHTTPParameters *HTTPParameters `json:"OAuthHttpParameters,omitempty"`
	} `json:",omitempty"`
	InvocationHTTPParameters *HTTPParameters `json:"InvocationHttpParameters,omitempty"`
}

// HTTPParameters are extra headers, query string parameters and body
// fields.
type HTTPParameters struct {
	HeaderParameters      []Parameter `json:",omitempty"`
	QueryStringParameters []Parameter `json:",omitempty"`
	BodyParameters        []Parameter `json:",omitempty"`
}

// Parameter is one key and value of [HTTPParameters].
type Parameter struct {
	Key           string
	Value         string
	IsValueSecret bool `json:",omitempty"`
}

// ParseConnections reads connections keyed by connection ARN:
//
//	{"arn:aws:events:us-east-1:123456789012:connection/stripe/1": {
//	   "AuthorizationType": "API_KEY",
//	   "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "Authorization", "ApiKeyValue": "Bearer sk_test"}}}}
func ParseConnections(data []byte) (map[string]Connection, error) {
	var m map[string]Connection
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("http connections: %w", err)
	}
	for arn, c := range m {
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("http connection %s: %w", arn, err)
		}
	}
	return m, nil
}

func (c Connection) validate() error {
	p := c.AuthParameters
	switch c.AuthorizationType {
	case AuthAPIKey:
		if p.APIKeyAuthParameters == nil {
			return fmt.Errorf("%s needs ApiKeyAuthParameters", c.AuthorizationType)
		}
	case AuthBasic:
		if p.BasicAuthParameters == nil {
			return fmt.Errorf("%s needs BasicAuthParameters", c.AuthorizationType)
		}
	case AuthOAuth:
		if p.OAuthParameters == nil || p.OAuthParameters.AuthorizationEndpoint == "" {
			return fmt.Errorf("%s needs OAuthParameters with an AuthorizationEndpoint", c.AuthorizationType)
		}
	default:
		return fmt.Errorf("unknown AuthorizationType %q", c.AuthorizationType)
	}
	return nil
}

// tokenCache holds OAuth access tokens by connection ARN.
type tokenCache struct {
	mu     sync.Mutex // guards tokens
	tokens map[string]token
}

type token struct {
	value   string
	expires time.Time
}

// authorize adds the connection's credentials and invocation parameters
// to hreq and returns what it added. body is the JSON request body
// object, if any, to which body parameters are added.
func (iv *Invoker) authorize(ctx context.Context, arn string, c Connection, hreq *http.Request, q url.Values, body *jsonval.Object) (*credentials, error) {
	creds := &credentials{}
	p := c.AuthParameters
	switch c.AuthorizationType {
	case AuthAPIKey:
		creds.addHeader(hreq.Header, p.APIKeyAuthParameters.APIKeyName, p.APIKeyAuthParameters.APIKeyValue)
	case AuthBasic:
		hreq.SetBasicAuth(p.BasicAuthParameters.Username, p.BasicAuthParameters.Password)
		creds.headers = append(creds.headers, "Authorization")
	case AuthOAuth:
		tok, err := iv.oauthToken(ctx, arn, c)
		if err != nil {
			return nil, err
		}
		creds.addHeader(hreq.Header, "Authorization", "Bearer "+tok)
	}
	if ip := p.InvocationHTTPParameters; ip != nil {
		for _, h := range ip.HeaderParameters {
			creds.addHeader(hreq.Header, h.Key, h.Value)
		}
		for _, qp := range ip.QueryStringParameters {
			q.Set(qp.Key, qp.Value)
		}
		if body != nil {
			for _, bp := range ip.BodyParameters {
				body.Set(bp.Key, bp.Value)
			}
		}
	}
	return creds, nil
}

// oauthToken returns a cached access token, or asks the authorization
// endpoint for one with the client credentials grant. Its errors never
// carry the client secret or the token.
func (iv *Invoker) oauthToken(ctx context.Context, arn string, c Connection) (string, error) {
	iv.tokens.mu.Lock()
	t, ok := iv.tokens.tokens[arn]
	iv.tokens.mu.Unlock()
	if ok && time.Now().Before(t.expires) {
		return t.value, nil
	}
	op := c.AuthParameters.OAuthParameters
	form := url.Values{"grant_type": {"client_credentials"}}
	// A redirect of the token request to another origin sends the bare
	// grant: the connection's parameters may be secret too.
	plainForm := form.Encode()
	q := url.Values{}
	hdr := http.Header{}
	creds := &credentials{headers: []string{"Authorization"}}
	if hp := op.OAuthHTTPParameters; hp != nil {
		for _, p := range hp.BodyParameters {
			form.Set(p.Key, p.Value)
		}
		for _, p := range hp.QueryStringParameters {
			q.Set(p.Key, p.Value)
		}
		for _, p := range hp.HeaderParameters {
			creds.addHeader(hdr, p.Key, p.Value)
		}
	}
	method := op.HTTPMethod
	if method == "" {
		method = http.MethodPost
	}
	u := op.AuthorizationEndpoint
	var body io.Reader
	if method == http.MethodGet {
		for k, v := range form {
			q[k] = v
		}
	} else {
		body = strings.NewReader(form.Encode())
		creds.plainBody = []byte(plainForm)
	}
	if len(q) > 0 {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + q.Encode()
	}
	failed := func(why string) error {
		return &tasks.Error{Name: "Events.ConnectionResource.InvalidConnectionState",
			Cause: fmt.Sprintf("The OAuth token request of connection %s failed: %s", arn, why)}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return "", failed("bad authorization endpoint")
	}
	req.Header = hdr
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.SetBasicAuth(url.QueryEscape(op.ClientParameters.ClientID), url.QueryEscape(op.ClientParameters.ClientSecret))
	resp, err := redirectClient(iv.client, req.URL, creds).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", failed("the authorization endpoint did not answer")
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   float64 `json:"expires_in"`
	}
	if resp.StatusCode/100 != 2 {
		return "", failed(fmt.Sprintf("status %d", resp.StatusCode))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&tr); err != nil || tr.AccessToken == "" {
		return "", failed("the response has no access_token")
	}
	// expires_in comes from the token endpoint: anything outside (0, a
	// day] is cached for an hour rather than overflowing a Duration.
	ttl := time.Hour
	if tr.ExpiresIn > 0 && tr.ExpiresIn <= 86400 {
		ttl = time.Duration(tr.ExpiresIn * float64(time.Second))
	}
	iv.tokens.mu.Lock()
	iv.tokens.tokens[arn] = token{value: tr.AccessToken, expires: time.Now().Add(ttl * 9 / 10)}
	iv.tokens.mu.Unlock()
	return tr.AccessToken, nil
}
