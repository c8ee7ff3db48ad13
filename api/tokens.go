package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// tokenSealer binds the pagination tokens the handler hands out to the
// query that made them. A sealed token is the store's token, a dot, and
// an HMAC-SHA256 under the server's key of the action, the query's
// parameters and the store's token: a token forged, edited, or sent with
// another action or other parameters than its first page's is refused
// before the store sees it. It is safe for concurrent use.
type tokenSealer struct {
	key []byte
}

// tokenMACSize is how many bytes of the HMAC a token carries: 128 bits,
// beyond guessing, keeping tokens short.
const tokenMACSize = 16

// seal returns the token to give the client for the store's token inner
// under a query's scope; an empty inner (no more pages) stays empty.
func (s tokenSealer) seal(scope []string, inner string) string {
	if inner == "" {
		return ""
	}
	return inner + "." + base64.RawURLEncoding.EncodeToString(s.mac(scope, inner))
}

// open returns the store's token inside a token made by seal with the
// same scope, or AWS's InvalidToken error.
func (s tokenSealer) open(scope []string, token string) (string, error) {
	inner, tag, ok := strings.Cut(token, ".")
	got, err := base64.RawURLEncoding.DecodeString(tag)
	if !ok || inner == "" || err != nil || !hmac.Equal(got, s.mac(scope, inner)) {
		return "", errorf(codeInvalidToken, "Invalid Token: '%s'", token)
	}
	return inner, nil
}

func (s tokenSealer) mac(scope []string, inner string) []byte {
	m := hmac.New(sha256.New, s.key)
	// Each part is length-prefixed, so that no two scopes write the same
	// bytes (an ARN may hold any character).
	m.Write([]byte("stepwise nextToken v1"))
	for _, p := range append(scope, inner) {
		m.Write([]byte{0})
		m.Write([]byte(strconv.Itoa(len(p))))
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)[:tokenMACSize]
}

// pagedRequest is a list request: its paging fields and the parameters a
// nextToken is bound to (everything that chooses or orders the items;
// maxResults may change between pages, as on AWS).
type pagedRequest interface {
	paging() (p *page, params []string)
}

// pagedResponse is a list response whose nextToken the handler seals.
type pagedResponse interface {
	nextTokenField() **string
}

// paged adapts a list action to [action] like [handle], and seals and
// opens its tokens: the request's nextToken is checked against the
// action's name and the request's parameters and replaced by the store's
// token before f runs, and the response's nextToken is sealed.
func paged[Req any, Resp pagedResponse, PReq interface {
	*Req
	pagedRequest
}](h *Handler, name string, f func(ctx context.Context, req PReq) (Resp, error)) action {
	return func(ctx context.Context, body []byte) (any, error) {
		var req Req
		if err := decode(body, &req); err != nil {
			return nil, err
		}
		preq := PReq(&req)
		p, params := preq.paging()
		scope := append([]string{name}, params...)
		if p.NextToken != nil && *p.NextToken != "" {
			// AWS checks the token's length before its content.
			if _, err := p.storePage(); err != nil {
				return nil, err
			}
			inner, err := h.tokens.open(scope, *p.NextToken)
			if err != nil {
				return nil, err
			}
			p.NextToken = &inner
		}
		resp, err := f(ctx, preq)
		if err != nil {
			return nil, err
		}
		if next := resp.nextTokenField(); *next != nil {
			*next = optional(h.tokens.seal(scope, **next))
		}
		return resp, nil
	}
}

// paramString is a request parameter as bound into a token. Absent and
// empty are one: the actions treat them alike.
func paramString(v *string) string { return deref(v) }

func (p *page) paging() (*page, []string) { return p, nil }

func (r *listExecutionsRequest) paging() (*page, []string) {
	return &r.page, []string{paramString(r.StateMachineArn), paramString(r.StatusFilter),
		paramString(r.MapRunArn), paramString(r.RedriveFilter)}
}

func (r *getExecutionHistoryRequest) paging() (*page, []string) {
	// The execution and the order choose the events; includeExecutionData
	// only trims them, so it is left free to change between pages.
	return &r.page, []string{paramString(r.ExecutionArn), strconv.FormatBool(r.ReverseOrder)}
}

func (r *listStateMachinesResponse) nextTokenField() **string   { return &r.NextToken }
func (r *listActivitiesResponse) nextTokenField() **string      { return &r.NextToken }
func (r *listExecutionsResponse) nextTokenField() **string      { return &r.NextToken }
func (r *getExecutionHistoryResponse) nextTokenField() **string { return &r.NextToken }

var (
	_ pagedRequest  = (*page)(nil)
	_ pagedRequest  = (*listExecutionsRequest)(nil)
	_ pagedRequest  = (*getExecutionHistoryRequest)(nil)
	_ pagedResponse = (*listStateMachinesResponse)(nil)
	_ pagedResponse = (*listActivitiesResponse)(nil)
	_ pagedResponse = (*listExecutionsResponse)(nil)
	_ pagedResponse = (*getExecutionHistoryResponse)(nil)
)
