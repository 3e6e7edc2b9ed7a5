// Package gate checks evaluation, leakage and benchmark results against thresholds kept in the
// repository, so that CI fails when precision, recall, leakage or latency cross them.
//
// A thresholds file is JSON:
//
//	{"checks": [
//	  {"doc": "sensitivity", "key": "per_class.health.recall", "min": 0.9},
//	  {"doc": "leakage", "key": "by_category.*.rate", "max": 0.2},
//	  {"doc": "bench", "key": "latency.allocs_per_msg", "max": 0}
//	]}
//
// doc names an input document (the CLI's --report name=path, --leakage and --bench); key is a
// dotted path into it, where * stands for every key of an object. A check passes when the value
// is within [min, max]. An undefined metric (JSON null, NaN) fails: a gate cannot vouch for what
// was not measured. A missing document or key is unusable input, not a failure.
package gate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Check is one threshold.
type Check struct {
	Doc  string   `json:"doc"`
	Key  string   `json:"key"`
	Min  *float64 `json:"min,omitempty"`
	Max  *float64 `json:"max,omitempty"`
	Note string   `json:"note,omitempty"`
}

// Thresholds is a thresholds file.
type Thresholds struct {
	Checks []Check `json:"checks"`
}

// Outcome is the result of one check on one value (a wildcard check gives one per key).
type Outcome struct {
	Doc, Key string
	Value    float64 // NaN when undefined
	Min, Max *float64
	Pass     bool
	Note     string
}

// ErrUnusable wraps every error about the inputs (as opposed to a failed check).
var ErrUnusable = errors.New("gate: unusable input")

// LoadThresholds reads and validates a thresholds file.
func LoadThresholds(path string) (Thresholds, error) {
	var th Thresholds
	data, err := os.ReadFile(path)
	if err != nil {
		return th, fmt.Errorf("%w: %v", ErrUnusable, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&th); err != nil {
		return th, fmt.Errorf("%w: %s: %v", ErrUnusable, path, err)
	}
	if len(th.Checks) == 0 {
		return th, fmt.Errorf("%w: %s: no checks (a gate that checks nothing passes everything)", ErrUnusable, path)
	}
	if dec.More() {
		return th, fmt.Errorf("%w: %s: data after the thresholds object", ErrUnusable, path)
	}
	for i, c := range th.Checks {
		if c.Doc == "" || c.Key == "" || (c.Min == nil && c.Max == nil) {
			return th, fmt.Errorf("%w: %s: check %d: needs doc, key and min or max", ErrUnusable, path, i)
		}
	}
	return th, nil
}

// LoadDoc reads a JSON document for the gate.
func LoadDoc(path string) (any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnusable, err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnusable, path, err)
	}
	return v, nil
}

// Run evaluates every check against docs (by name). It returns ErrUnusable for a missing
// document or key.
func Run(th Thresholds, docs map[string]any) ([]Outcome, error) {
	var out []Outcome
	for _, c := range th.Checks {
		doc, ok := docs[c.Doc]
		if !ok {
			return nil, fmt.Errorf("%w: check %s.%s: no document %q given", ErrUnusable, c.Doc, c.Key, c.Doc)
		}
		vals, err := lookup(doc, strings.Split(c.Key, "."), "")
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnusable, c.Doc, err)
		}
		if len(vals) == 0 {
			return nil, fmt.Errorf("%w: %s: key %q matched nothing", ErrUnusable, c.Doc, c.Key)
		}
		for _, kv := range vals {
			o := Outcome{Doc: c.Doc, Key: kv.key, Value: kv.v, Min: c.Min, Max: c.Max, Note: c.Note}
			o.Pass = !math.IsNaN(kv.v) && (c.Min == nil || kv.v >= *c.Min) && (c.Max == nil || kv.v <= *c.Max)
			out = append(out, o)
		}
	}
	return out, nil
}

type keyVal struct {
	key string
	v   float64
}

func lookup(v any, path []string, prefix string) ([]keyVal, error) {
	if len(path) == 0 {
		switch x := v.(type) {
		case float64:
			return []keyVal{{prefix, x}}, nil
		case nil:
			return []keyVal{{prefix, math.NaN()}}, nil
		}
		return nil, fmt.Errorf("key %q is not a number", prefix)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("key %q is not an object", prefix)
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	if path[0] == "*" {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var out []keyVal
		for _, k := range keys {
			kv, err := lookup(obj[k], path[1:], join(k))
			if err != nil {
				return nil, err
			}
			out = append(out, kv...)
		}
		return out, nil
	}
	next, ok := obj[path[0]]
	if !ok {
		return nil, fmt.Errorf("no key %q", join(path[0]))
	}
	return lookup(next, path[1:], join(path[0]))
}

// Failed counts the failed outcomes.
func Failed(out []Outcome) int {
	n := 0
	for _, o := range out {
		if !o.Pass {
			n++
		}
	}
	return n
}

// WriteTable prints every outcome with its value, threshold and PASS/FAIL.
func WriteTable(w io.Writer, out []Outcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "check\tvalue\tthreshold\tresult\tnote")
	for _, o := range out {
		bound := []string{}
		if o.Min != nil {
			bound = append(bound, ">= "+num(*o.Min))
		}
		if o.Max != nil {
			bound = append(bound, "<= "+num(*o.Max))
		}
		res := "PASS"
		if !o.Pass {
			res = "FAIL"
		}
		fmt.Fprintf(tw, "%s.%s\t%s\t%s\t%s\t%s\n", o.Doc, o.Key, num(o.Value), strings.Join(bound, " and "), res, o.Note)
	}
	fmt.Fprintf(tw, "\n%d checks, %d failed\n", len(out), Failed(out))
	return tw.Flush()
}

func num(f float64) string {
	if math.IsNaN(f) {
		return "undefined"
	}
	return strconv.FormatFloat(f, 'g', 5, 64)
}
