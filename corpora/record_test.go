package corpora

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRecord(t *testing.T) {
	for i, tc := range []struct {
		line  string
		field string // "" and wantErr: a whole-line error
		err   string // substring of the error; "" means valid
	}{
		{`{"id":"a","text":"hello","lang":"en"}`, "", ""}, // 0
		{`{"id":"a","text":"bonjour","lang":"fr","split":"dev","interests":[],"sensitive":["health"],"group":"g","conversation":"c","turn":2,"user":"u","region":"SN","time":"2025-12-17T10:00:00Z","surface":"voice","source":{"x":1},"extra":true}`, "", ""}, // 1
		{`{"id":"a","text":"x","lang":"en","sensitive":["helth"]}`, "sensitive", `unknown id "helth"`},   // 2
		{`{"id":"a","text":"x","lang":"en","interests":["hiking"]}`, "interests", `unknown id "hiking"`}, // 3
		{`{"id":"a","text":"  \t ","lang":"en"}`, "text", "empty"},                                       // 4
		{`{"id":"a","lang":"en"}`, "text", "missing"},                                                    // 5
		{`{"id":"a","text":"x","lang":"de"}`, "lang", "unknown language"},                                // 6
		{`{"id":"a","text":"x","lang":"en","region":"UK"}`, "region", "unknown ISO"},                     // 7
		{`{"id":"a","text":"x","lang":"en","region":"fr"}`, "region", "upper-case"},                      // 8
		{`{"id":"a","text":"x","lang":"en","time":"2025-12-16"}`, "time", "RFC 3339"},                    // 9
		{`{"id":"a","text":"x","lang":"en","surface":"tv"}`, "surface", "unknown surface"},               // 10
		{`{"id":"a","text":"x","lang":"en","split":"val"}`, "split", "unknown split"},                    // 11
		{`{"id":"a","text":"x","lang":"en"`, "", "invalid JSON"},                                         // 12
		{`[1,2]`, "", "invalid JSON"},                                                                    // 13
		{"{\"id\":\"a\",\"text\":\"caf\xe9\",\"lang\":\"fr\"}", "", "invalid UTF-8"},                     // 14
		{`{"id":"a","text":"x","lang":"en","turn":0}`, "turn", "whole number"},                           // 15
		{`{"id":"a","text":"x","lang":"en","sensitive":"health"}`, "sensitive", "list of strings"},       // 16
		{`{"id":"a","text":"x","lang":"en","sensitive":["health","health"]}`, "sensitive", "twice"},      // 17
		{`{"id":"","text":"x","lang":"en"}`, "id", "empty id"},                                           // 18
		{`{"id":7,"text":"x","lang":"en"}`, "id", "want a string"},                                       // 19
		{`{"id":"a","text":"x","lang":"en","source":[1]}`, "source", "object"},                           // 20
		{`null`, "", "not an object"},                                                                    // 21
	} {
		rec, err := ParseRecord([]byte(tc.line), "data/x.jsonl", 1234)
		if tc.err == "" {
			require.NoError(t, err, "%d", i)
			assert.Equal(t, "a", rec.ID, "%d", i)
			continue
		}
		require.Error(t, err, "%d", i)
		var re *RecordError
		require.True(t, errors.As(err, &re), "%d: %T", i, err)
		assert.Equal(t, tc.field, re.Field, "%d", i)
		assert.Contains(t, err.Error(), tc.err, "%d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "corpora: data/x.jsonl:1234: "), "%d: %v", i, err)
	}
}

func TestParseRecordLabelPresence(t *testing.T) {
	rec, err := ParseRecord([]byte(`{"id":"a","text":"x","lang":"en","sensitive":[]}`), "f", 1)
	require.NoError(t, err)
	assert.NotNil(t, rec.Sensitive, "[] means checked: non-nil")
	assert.Empty(t, rec.Sensitive)
	assert.Nil(t, rec.Interests, "absent key means unlabeled: nil")
}

func TestRecordErrorMessage(t *testing.T) {
	_, err := ParseRecord([]byte(`{"id":"a","text":"x","lang":"en","sensitive":["helth"]}`), "data/x.jsonl", 1234)
	assert.EqualError(t, err, `corpora: data/x.jsonl:1234: field "sensitive": unknown id "helth"`)
}
