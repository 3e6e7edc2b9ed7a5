package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lb runs the command in process and returns stdout, stderr and the exit code.
func lb(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := exitCode(&errb, run(&out, &errb, args))
	return out.String(), errb.String(), code
}

func TestHelpAndUsage(t *testing.T) {
	out, _, code := lb(t, "help")
	assert.Zero(t, code)
	for _, c := range []string{"corpus", "train", "predict", "run", "eval", "leakage", "bench", "gate"} {
		assert.Contains(t, out, "  "+c)
	}
	_, errs, code := lb(t, "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "unknown command")
	_, _, code = lb(t, "train", "--nope")
	assert.Equal(t, 2, code)
	_, errs, code = lb(t, "train")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--out is required")
	// Out-of-range flags are usage errors before any work, never a panic.
	for _, args := range [][]string{
		{"eval", "--model", "x.lbm", "--reps", "-3"},
		{"compare", "a.lbm", "b.lbm", "--reps", "0"},
		{"bench", "--sensitive", "a", "--interests", "b", "--rounds", "-1"},
		{"run", "--reps", "-1"},
		{"eval", "--model", "x.lbm", "--reps", "9223372036854775807"},
		{"eval", "--folds", "-1"},
		{"eval", "--folds", "100000"},
		{"bench", "--sensitive", "a", "--interests", "b", "--rounds", "2000000000"},
	} {
		_, errs, code = lb(t, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, errs, "must be", "%v", args)
	}
	// Inputs the adversarial review found accepted (helper report, 2026-11-25).
	dir := t.TempDir()
	empty := filepath.Join(dir, "t.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"checks":[]}`), 0o644))
	_, errs, code = lb(t, "gate", "--thresholds", empty, "--report", empty)
	assert.Equal(t, 2, code, "a gate with no checks is unusable")
	assert.Contains(t, errs, "no checks")
	pol := filepath.Join(dir, "p.json")
	for _, body := range []string{`null`, `{}`, `{"excluded_categories":["health"],"excluded_regions":["UK"]}`, `{"excluded_categories":["health"]} {}`} {
		require.NoError(t, os.WriteFile(pol, []byte(body), 0o644))
		_, errs, code = lb(t, "leakage", "--sensitive", "a", "--interests", "b", "--policy", pol)
		assert.Equal(t, 1, code, body)
		assert.Contains(t, errs, "policy", body)
	}
	_, errs, code = lb(t, "corpus", "stats", "--data", "builtin,builtin")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "twice")
	_, errs, code = lb(t, "train", "--l2", "NaN", "--out", filepath.Join(dir, "m.lbm"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "finite")
	_, errs, code = lb(t, "train", "--dev-split", "bogus", "--out", filepath.Join(dir, "m.lbm"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, `split "bogus"`)
}

func TestCorpusCommands(t *testing.T) {
	out, _, code := lb(t, "corpus", "stats", "--json")
	require.Zero(t, code)
	var sum struct {
		Total struct {
			Messages int `json:"messages"`
		} `json:"total"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.GreaterOrEqual(t, sum.Total.Messages, 3062)

	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte(`{"id":"a","text":"ok","lang":"en"}`+"\n"+`{"id":"b","text":"x","lang":"en","sensitive":["helth"]}`+"\n"), 0o644))
	_, errs, code := lb(t, "corpus", "validate", "--data", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, bad+`:2: field "sensitive": unknown id "helth"`)
	out, errs, code = lb(t, "corpus", "validate", "--lenient", "--data", bad)
	assert.Equal(t, 1, code, "bad lines still fail validation in lenient mode")
	assert.Contains(t, out, "1 records valid, 1 skipped")
	assert.Contains(t, errs, "helth")
}

func TestPipelineCommands(t *testing.T) {
	dir := t.TempDir()
	small := []string{"--bits", "12", "--char-max", "0", "--context-turns", "1", "--max-iter", "15"}
	for _, target := range []string{"sensitive", "interests"} {
		out, errs, code := lb(t, append([]string{"train", "--target", target, "--out", filepath.Join(dir, target+".lbm")}, small...)...)
		require.Zero(t, code, errs)
		assert.Contains(t, out, "trained logreg/"+target)
	}
	sens, ints := filepath.Join(dir, "sensitive.lbm"), filepath.Join(dir, "interests.lbm")

	pred := filepath.Join(dir, "pred.jsonl")
	_, errs, code := lb(t, "predict", "--model", sens, "--split", "test", "--out", pred)
	require.Zero(t, code, errs)
	data, err := os.ReadFile(pred)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	assert.Greater(t, len(lines), 500)
	var p struct {
		ID     string             `json:"id"`
		Labels []string           `json:"labels"`
		Scores map[string]float64 `json:"scores"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &p))
	assert.Len(t, p.Scores, 8)

	out, errs, code := lb(t, "eval", "--model", sens, "--reps", "20", "--by", "source.kind")
	require.Zero(t, code, errs)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	for _, k := range []string{"n", "accuracy", "macro_f1", "micro_f1", "per_class", "accuracy_ci", "macro_f1_ci", "micro_f1_ci"} {
		assert.Contains(t, res, k)
	}
	assert.Contains(t, res["slices"], "source.kind")

	out, errs, code = lb(t, "leakage", "--sensitive", sens, "--interests", ints, "--format", "md")
	require.Zero(t, code, errs)
	assert.Contains(t, out, "direct leakage")
	assert.NotContains(t, out, " — \"", "no texts without --show-text")

	benchOut := filepath.Join(dir, "bench.json")
	out, errs, code = lb(t, "bench", "--sensitive", sens, "--interests", ints, "--rounds", "1", "--json")
	require.Zero(t, code, errs)
	require.NoError(t, os.WriteFile(benchOut, []byte(out), 0o644))
	evalOut := filepath.Join(dir, "eval.json")
	_, _, code = lb(t, "eval", "--model", sens, "--reps", "20", "--out", evalOut)
	require.Zero(t, code)

	th := filepath.Join(dir, "th.json")
	require.NoError(t, os.WriteFile(th, []byte(`{"checks":[
		{"doc":"bench","key":"latency.allocs_per_msg","max":0},
		{"doc":"report","key":"n","min":1}]}`), 0o644))
	out, _, code = lb(t, "gate", "--thresholds", th, "--report", evalOut, "--bench", benchOut)
	assert.Zero(t, code, out)
	assert.Contains(t, out, "PASS")
	require.NoError(t, os.WriteFile(th, []byte(`{"checks":[{"doc":"report","key":"micro_f1","min":1.01}]}`), 0o644))
	out, _, code = lb(t, "gate", "--thresholds", th, "--report", evalOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL")
	require.NoError(t, os.WriteFile(th, []byte(`{"checks":[{"doc":"report","key":"no_such_key","min":1}]}`), 0o644))
	_, _, code = lb(t, "gate", "--thresholds", th, "--report", evalOut)
	assert.Equal(t, 2, code, "unusable input")

	// A damaged model is a clear error, never a panic.
	raw, err := os.ReadFile(sens)
	require.NoError(t, err)
	broken := filepath.Join(dir, "broken.lbm")
	require.NoError(t, os.WriteFile(broken, raw[:len(raw)/2], 0o644))
	_, errs, code = lb(t, "predict", "--model", broken)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "corrupt model file")
	assert.Contains(t, errs, broken)
}
