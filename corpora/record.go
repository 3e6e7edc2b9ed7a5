package corpora

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// MaxLineBytes is the longest line a corpus file may hold.
const MaxLineBytes = 1 << 20

// Record is one message of a corpus. See ../shared/corpora/README.md for the schema.
//
// Interests and Sensitive distinguish nil (the key was absent: unlabeled) from an empty non-nil
// slice (the key was [] : checked, none).
type Record struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Lang string `json:"lang"`

	Split        string          `json:"split,omitempty"`
	Label        string          `json:"label,omitempty"`
	Interests    []string        `json:"interests"`
	Sensitive    []string        `json:"sensitive"`
	Group        string          `json:"group,omitempty"`
	Conversation string          `json:"conversation,omitempty"`
	Turn         int             `json:"turn,omitempty"`
	User         string          `json:"user,omitempty"`
	Region       string          `json:"region,omitempty"`
	Time         time.Time       `json:"time,omitzero"`
	Surface      string          `json:"surface,omitempty"`
	Source       json.RawMessage `json:"source,omitempty"`

	// File and Line say where the record was read; they are not part of the schema.
	File string `json:"-"`
	Line int    `json:"-"`
}

// ConversationKey returns the key that identifies the record's conversation: its conversation id,
// or its own id for a standalone message.
func (r *Record) ConversationKey() string {
	if r.Conversation != "" {
		return "c\x00" + r.Conversation
	}
	return "m\x00" + r.ID
}

// RecordError is a bad line of a corpus file.
type RecordError struct {
	File  string
	Line  int
	Field string // "" when the error is about the whole line
	Err   error
}

func (e *RecordError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("corpora: %s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("corpora: %s:%d: field %q: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Errors returned inside RecordError.
var (
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	ErrLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)
	ErrMissing     = errors.New("required field missing")
	ErrEmptyText   = errors.New("empty or whitespace-only text")
	ErrDuplicateID = errors.New("duplicate id")
)

// ParseRecord decodes and validates one JSON line. file and line only label errors.
// Unknown keys are accepted and ignored.
func ParseRecord(data []byte, file string, line int) (Record, error) {
	rec := Record{File: file, Line: line}
	fail := func(field string, err error) (Record, error) {
		return Record{}, &RecordError{File: file, Line: line, Field: field, Err: err}
	}
	if !utf8.Valid(data) {
		return fail("", ErrInvalidUTF8)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fail("", fmt.Errorf("invalid JSON: %v", err))
	}
	if raw == nil {
		return fail("", errors.New("invalid JSON: not an object"))
	}
	str := func(key string, dst *string, required bool) error {
		v, ok := raw[key]
		if !ok || bytes.Equal(v, []byte("null")) {
			if required {
				return &RecordError{File: file, Line: line, Field: key, Err: ErrMissing}
			}
			return nil
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return &RecordError{File: file, Line: line, Field: key, Err: errors.New("want a string")}
		}
		return nil
	}
	for _, f := range []struct {
		key      string
		dst      *string
		required bool
	}{
		{"id", &rec.ID, true}, {"text", &rec.Text, true}, {"lang", &rec.Lang, true},
		{"split", &rec.Split, false}, {"label", &rec.Label, false}, {"group", &rec.Group, false},
		{"conversation", &rec.Conversation, false}, {"user", &rec.User, false},
		{"region", &rec.Region, false}, {"surface", &rec.Surface, false},
	} {
		if err := str(f.key, f.dst, f.required); err != nil {
			return Record{}, err
		}
	}
	if strings.TrimSpace(rec.ID) == "" {
		return fail("id", errors.New("empty id"))
	}
	if strings.TrimFunc(rec.Text, unicode.IsSpace) == "" {
		return fail("text", ErrEmptyText)
	}
	if !slices.Contains(Langs, rec.Lang) {
		return fail("lang", fmt.Errorf("unknown language %q (want one of %s)", rec.Lang, strings.Join(Langs, ", ")))
	}
	if rec.Split != "" && !slices.Contains(Splits, rec.Split) {
		return fail("split", fmt.Errorf("unknown split %q (want one of %s)", rec.Split, strings.Join(Splits, ", ")))
	}
	if rec.Surface != "" && !slices.Contains(Surfaces, rec.Surface) {
		return fail("surface", fmt.Errorf("unknown surface %q (want one of %s)", rec.Surface, strings.Join(Surfaces, ", ")))
	}
	if rec.Region != "" {
		if err := CheckRegion(rec.Region); err != nil {
			return fail("region", err)
		}
	}
	var err error
	if rec.Interests, err = labelList(raw, "interests", IsInterest); err != nil {
		return fail("interests", err)
	}
	if rec.Sensitive, err = labelList(raw, "sensitive", IsSensitive); err != nil {
		return fail("sensitive", err)
	}
	if v, ok := raw["turn"]; ok {
		if err := json.Unmarshal(v, &rec.Turn); err != nil || rec.Turn < 1 {
			return fail("turn", fmt.Errorf("want a whole number >= 1, got %s", v))
		}
	}
	if v, ok := raw["time"]; ok {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fail("time", errors.New("want an RFC 3339 string"))
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return fail("time", fmt.Errorf("want RFC 3339, got %q", s))
		}
		rec.Time = t
	}
	if v, ok := raw["source"]; ok && !bytes.Equal(v, []byte("null")) {
		if len(v) == 0 || v[0] != '{' {
			return fail("source", errors.New("want an object"))
		}
		rec.Source = slices.Clone(v)
	}
	return rec, nil
}

// labelList decodes an optional list of label ids. An absent key gives nil; [] gives an empty
// non-nil slice.
func labelList(raw map[string]json.RawMessage, key string, valid func(string) bool) ([]string, error) {
	v, ok := raw[key]
	if !ok || bytes.Equal(v, []byte("null")) {
		return nil, nil
	}
	var ids []string
	if err := json.Unmarshal(v, &ids); err != nil {
		return nil, errors.New("want a list of strings")
	}
	if ids == nil {
		ids = []string{}
	}
	for i, id := range ids {
		if !valid(id) {
			return nil, fmt.Errorf("unknown id %q", id)
		}
		if slices.Contains(ids[:i], id) {
			return nil, fmt.Errorf("id %q listed twice", id)
		}
	}
	return ids, nil
}

// CheckRegion accepts an upper-case ISO 3166-1 alpha-2 country code (GB, not UK; no groups
// such as EU).
func CheckRegion(s string) error {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return fmt.Errorf("want an upper-case ISO 3166-1 alpha-2 code, got %q", s)
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() || r.ISO3() == "ZZZ" {
		return fmt.Errorf("unknown ISO 3166-1 alpha-2 code %q", s)
	}
	return nil
}
