package corpora

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzParseRecord checks that no input panics, that every accepted record satisfies the schema,
// and that an accepted record survives a JSON round trip. Seeds live in testdata/fuzz.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"bonjour","lang":"fr","sensitive":[],"interests":["travel"],"turn":1,"time":"2025-12-17T10:00:00Z","region":"CA","surface":"chat","source":{}}`))
	f.Add([]byte(`{"id":"a","text":"x","lang":"en","sensitive":["helth"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ParseRecord(data, "fuzz", 1)
		if err != nil {
			return
		}
		if rec.ID == "" || rec.Text == "" || !utf8.ValidString(rec.Text) {
			t.Fatalf("accepted invalid record %+v", rec)
		}
		out, err := json.Marshal(rec)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := ParseRecord(out, "fuzz", 1)
		if err != nil {
			t.Fatalf("round trip of %s: %v", out, err)
		}
		if back.ID != rec.ID || back.Text != rec.Text || (back.Sensitive == nil) != (rec.Sensitive == nil) {
			t.Fatalf("round trip changed %+v into %+v", rec, back)
		}
	})
}
