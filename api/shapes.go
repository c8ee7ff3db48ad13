package api

import (
	"strconv"
	"time"

	"stepwise/store"
)

// epoch is a timestamp as the AWS JSON protocols write it: seconds since
// the Unix epoch as a JSON number, with milliseconds as a fraction.
type epoch time.Time

// IsZero reports whether the time is unset, for omitzero.
func (e epoch) IsZero() bool { return time.Time(e).IsZero() }

// MarshalJSON writes seconds since the epoch with up to three decimals.
func (e epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(e).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// dataDetails is AWS's inputDetails and outputDetails: whether the data was
// included in the response.
type dataDetails struct {
	Included bool `json:"included"`
}

// tag is a resource tag as the API spells it.
type tag struct {
	Key   *string `json:"key"`
	Value *string `json:"value"`
}

func toStoreTags(in []tag) []store.Tag {
	out := make([]store.Tag, 0, len(in))
	for _, t := range in {
		var st store.Tag
		if t.Key != nil {
			st.Key = *t.Key
		}
		if t.Value != nil {
			st.Value = *t.Value
		}
		out = append(out, st)
	}
	return out
}

func fromStoreTags(in []store.Tag) []tag {
	out := make([]tag, 0, len(in))
	for _, t := range in {
		out = append(out, tag{Key: &t.Key, Value: &t.Value})
	}
	return out
}

// page is the pagination part of list requests.
type page struct {
	MaxResults *int    `json:"maxResults"`
	NextToken  *string `json:"nextToken"`
}

// storePage checks the paging fields against AWS's constraints
// (maxResults 0 to 1000, nextToken 1 to 1024 characters).
func (p page) storePage() (store.Page, error) {
	var out store.Page
	if p.MaxResults != nil {
		if *p.MaxResults < 0 || *p.MaxResults > 1000 {
			return out, validation(strconv.Itoa(*p.MaxResults), "maxResults", "Member must have value less than or equal to 1000")
		}
		out.MaxResults = *p.MaxResults
	}
	if p.NextToken != nil {
		if len(*p.NextToken) < 1 || len(*p.NextToken) > 1024 {
			return out, validation(*p.NextToken, "nextToken", "Member must have length between 1 and 1024")
		}
		out.NextToken = *p.NextToken
	}
	return out, nil
}

// validation is AWS's message for one failed constraint.
func validation(value, field, constraint string) error {
	return errorf(codeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

// required returns AWS's error for a missing required member.
func required(field string, v *string) error {
	if v == nil {
		return errorf(codeValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// optional returns nil for an empty string, for omitempty-like pointers.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// requiredAll checks pairs of member names and values, in order, with
// [required].
func requiredAll(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := required(pairs[i].(string), pairs[i+1].(*string)); err != nil {
			return err
		}
	}
	return nil
}
