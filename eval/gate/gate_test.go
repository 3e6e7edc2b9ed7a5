package gate

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func f(v float64) *float64 { return &v }

func doc(t *testing.T, s string) any {
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func TestRun(t *testing.T) {
	docs := map[string]any{
		"eval":  doc(t, `{"micro_f1":0.8,"per_class":{"a":{"recall":0.95},"b":{"recall":0.5},"c":{"recall":null}}}`),
		"bench": doc(t, `{"latency":{"allocs_per_msg":0,"p99_ratio":12}}`),
	}
	out, err := Run(Thresholds{Checks: []Check{
		{Doc: "eval", Key: "micro_f1", Min: f(0.7)},                     // 0 pass
		{Doc: "eval", Key: "per_class.*.recall", Min: f(0.9)},           // a pass, b fail, c undefined: fail
		{Doc: "bench", Key: "latency.allocs_per_msg", Max: f(0)},        // exact: pass
		{Doc: "bench", Key: "latency.p99_ratio", Min: f(1), Max: f(10)}, // fail
	}}, docs)
	require.NoError(t, err)
	require.Len(t, out, 6)
	got := []bool{}
	for _, o := range out {
		got = append(got, o.Pass)
	}
	assert.Equal(t, []bool{true, true, false, false, true, false}, got)
	assert.True(t, math.IsNaN(out[3].Value))
	assert.Equal(t, "per_class.c.recall", out[3].Key)
	assert.Equal(t, 3, Failed(out))
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, out))
	assert.Regexp(t, `eval.per_class.c.recall +undefined +>= 0.9 +FAIL`, buf.String())
	assert.Contains(t, buf.String(), "6 checks, 3 failed")
}

func TestRunUnusable(t *testing.T) {
	docs := map[string]any{"eval": doc(t, `{"micro_f1":"high","x":{}}`)}
	for i, c := range []Check{
		{Doc: "leakage", Key: "rate", Max: f(1)},  // 0: no such document
		{Doc: "eval", Key: "macro_f1", Min: f(0)}, // 1: no such key
		{Doc: "eval", Key: "micro_f1", Min: f(0)}, // 2: not a number
		{Doc: "eval", Key: "x.y", Min: f(0)},      // 3
	} {
		_, err := Run(Thresholds{Checks: []Check{c}}, docs)
		assert.ErrorIs(t, err, ErrUnusable, "%d", i)
	}
}

func TestLoadThresholds(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "t.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"checks":[{"doc":"eval","key":"micro_f1","min":0.5}]}`), 0o644))
	th, err := LoadThresholds(good)
	require.NoError(t, err)
	assert.Len(t, th.Checks, 1)
	bad := filepath.Join(dir, "b.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"checks":[{"doc":"eval","key":"micro_f1"}]}`), 0o644))
	_, err = LoadThresholds(bad)
	assert.ErrorIs(t, err, ErrUnusable)
	require.NoError(t, os.WriteFile(bad, []byte(`{"checks":[],"typo":1}`), 0o644))
	_, err = LoadThresholds(bad)
	assert.ErrorIs(t, err, ErrUnusable)
	_, err = LoadThresholds(filepath.Join(dir, "none.json"))
	assert.ErrorIs(t, err, ErrUnusable)
}
