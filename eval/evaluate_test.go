package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tol = 1e-9

// items builds single-label items from (gold, pred) pairs over 3 classes.
func items(pairs [][2]int) []Item {
	var out []Item
	for i, p := range pairs {
		probs := []float32{0.1, 0.1, 0.1}
		probs[p[1]] = 0.8
		out = append(out, Item{ID: string(rune('a' + i)), Gold: 1 << p[0], Pred: 1 << p[1], Probs: probs, Slices: []string{[]string{"en", "fr"}[i%2]}})
	}
	return out
}

func TestResultSingleLabel(t *testing.T) {
	acc := NewAccumulator([]string{"x", "y", "z"}, false, []string{"lang"})
	// gold x: 3 (2 right, 1 -> y); gold y: 2 (1 right, 1 -> x); gold z: 1 right.
	acc.Items = items([][2]int{{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 0}, {2, 2}})
	r := acc.Result(Options{Reps: 200, Seed: 3})
	assert.InDelta(t, 4.0/6, float64(r.Accuracy), tol)
	// x: P 2/3 R 2/3; y: P 1/2 R 1/2; z: 1/1.
	assert.InDelta(t, 2.0/3, float64(r.PerClass["x"].Precision), tol)
	assert.InDelta(t, 0.5, float64(r.PerClass["y"].Recall), tol)
	assert.InDelta(t, (2.0/3+0.5+1)/3, float64(r.MacroF1), tol)
	assert.InDelta(t, 4.0/6, float64(r.MicroF1), tol, "single-label micro-F1 equals accuracy")
	assert.Equal(t, [][]int64{{2, 1, 0}, {1, 1, 0}, {0, 0, 1}}, r.Confusion)
	assert.LessOrEqual(t, float64(r.AccuracyCI[0]), float64(r.Accuracy))
	assert.GreaterOrEqual(t, float64(r.AccuracyCI[1]), float64(r.Accuracy))
	require.Len(t, r.Slices["lang"], 2)
	assert.Equal(t, 3, r.Slices["lang"][0].N)

	again := acc.Result(Options{Reps: 200, Seed: 3})
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(again)
	assert.Equal(t, a, b, "same items and seed, same bytes")
}

func TestResultMultiLabelAndMerge(t *testing.T) {
	labels := []string{"a", "b"}
	all := NewAccumulator(labels, true, nil)
	all.Items = []Item{
		{Gold: 0b01, Pred: 0b01, Probs: []float32{0.9, 0.1}},
		{Gold: 0b11, Pred: 0b01, Probs: []float32{0.8, 0.4}},
		{Gold: 0b00, Pred: 0b10, Probs: []float32{0.2, 0.7}},
		{Gold: 0b10, Pred: 0b10, Probs: []float32{0.1, 0.9}},
	}
	r := all.Result(Options{Reps: 50})
	// a: tp 2 fp 0 fn 0; b: tp 1 fp 1 fn 1 -> micro 2*3/(6+1+1).
	assert.InDelta(t, 6.0/8, float64(r.MicroF1), tol)
	assert.InDelta(t, 0.5, float64(r.Accuracy), tol, "exact-match accuracy")
	assert.InDelta(t, 1, float64(r.PerClass["a"].ROCAUC), tol)

	x, y := NewAccumulator(labels, true, nil), NewAccumulator(labels, true, nil)
	x.Items, y.Items = all.Items[:1], all.Items[1:]
	require.NoError(t, x.Merge(y))
	merged := x.Result(Options{Reps: 50})
	ja, _ := json.Marshal(r)
	jb, _ := json.Marshal(merged)
	assert.Equal(t, ja, jb, "merged shards give the result of the union")
	assert.ErrorIs(t, x.Merge(NewAccumulator([]string{"c"}, true, nil)), ErrMismatch)
}

func TestNumJSON(t *testing.T) {
	b, err := json.Marshal(struct{ A, B Num }{Num(math.NaN()), Num(0.1234567)})
	require.NoError(t, err)
	assert.Equal(t, `{"A":null,"B":0.123457}`, string(b))
	var back struct{ A, B Num }
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.A.IsNaN())
	assert.Equal(t, "–", back.A.String())
}

func TestFieldValue(t *testing.T) {
	r := &corpora.Record{Lang: "fr", Surface: "voice", Source: json.RawMessage(`{"kind":"proxy","n":3}`)}
	for i, tc := range []struct{ field, want string }{
		{"lang", "fr"}, {"surface", "voice"}, {"source.kind", "proxy"}, {"source.n", "3"}, {"source.none", ""}, // 0-4
	} {
		got, err := FieldValue(r, tc.field)
		require.NoError(t, err, "%d", i)
		assert.Equal(t, tc.want, got, "%d", i)
	}
	_, err := FieldValue(r, "colour")
	assert.ErrorContains(t, err, "unknown field")
}

func TestResultMarkdownAndHTML(t *testing.T) {
	acc := NewAccumulator([]string{"x", "y", "z"}, false, nil)
	acc.Items = items([][2]int{{0, 0}, {1, 1}, {2, 0}})
	r := acc.Result(Options{Reps: 20})
	var md, html bytes.Buffer
	r.WriteMarkdown(&md)
	assert.Contains(t, md.String(), "| x | 0.500 | 1.000 |")
	require.NoError(t, r.WriteHTML(&html, "t"))
	assert.Contains(t, html.String(), `id="heatmap"`)
}

func TestPredictNothingToScore(t *testing.T) {
	labels := []string{"health"}
	m := &classify.Model{Kind: classify.KindLogReg, Target: classify.TargetSensitive, Labels: labels}
	_, err := Predict(m, []corpora.Record{{ID: "a", Text: "x", Lang: "en"}}, nil)
	assert.ErrorIs(t, err, ErrNoItems, "an unlabeled record cannot be scored")
}
