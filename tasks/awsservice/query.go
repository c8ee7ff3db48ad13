package awsservice

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"stepwise/jsonval"
)

// queryBody encodes SNS Publish parameters in the query protocol:
// scalar members as Name=value, MessageAttributes as
// MessageAttributes.entry.N.Name/Value.DataType/Value.StringValue.
func queryBody(op string, p *jsonval.Object) string {
	v := url.Values{"Action": {op}, "Version": {"2010-03-31"}}
	for k, x := range p.All() {
		if k == "MessageAttributes" {
			attrs, ok := x.(*jsonval.Object)
			if !ok {
				continue
			}
			names := attrs.Keys()
			slices.Sort(names)
			for i, name := range names {
				prefix := fmt.Sprintf("MessageAttributes.entry.%d.", i+1)
				v.Set(prefix+"Name", name)
				a, _ := attrs.Get(name)
				for _, f := range []string{"DataType", "StringValue", "BinaryValue"} {
					if s, ok := field(a, f).(string); ok {
						v.Set(prefix+"Value."+f, s)
					}
				}
			}
			continue
		}
		v.Set(k, scalar(x))
	}
	return v.Encode()
}

func scalar(x any) string {
	switch s := x.(type) {
	case string:
		return s
	case nil:
		return ""
	}
	return strings.Trim(jsonval.MustMarshalString(x), `"`)
}

// queryResult reads a PublishResponse: {MessageId[, SequenceNumber]}.
func queryResult(body []byte) (any, error) {
	var r struct {
		Result struct {
			MessageID      string `xml:"MessageId"`
			SequenceNumber string
		} `xml:"PublishResult"`
	}
	if err := xml.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	o := jsonval.NewObject(2)
	o.Set("MessageId", r.Result.MessageID)
	if r.Result.SequenceNumber != "" {
		o.Set("SequenceNumber", r.Result.SequenceNumber)
	}
	return o, nil
}

// queryError reads an ErrorResponse's code and message.
func queryError(body []byte) (code, msg string) {
	var r struct {
		Error struct {
			Code    string
			Message string
		}
	}
	if err := xml.Unmarshal(body, &r); err != nil {
		return "", ""
	}
	return r.Error.Code, r.Error.Message
}
