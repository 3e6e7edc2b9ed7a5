package eval

import (
	"testing"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompare(t *testing.T) {
	labels := []string{"x", "y"}
	a, b := NewAccumulator(labels, false, nil), NewAccumulator(labels, false, nil)
	for i := range 40 {
		gold := uint64(1 << (i % 2))
		predA, predB := gold, gold
		if i < 12 { // B wrong on 12 items A gets right
			predB = 3 &^ gold
		}
		if i == 39 { // A wrong on one item B gets right
			predA = 3 &^ gold
		}
		id := string(rune('a' + i))
		a.Items = append(a.Items, Item{ID: id, Gold: gold, Pred: predA, Probs: []float32{0.5, 0.5}})
		b.Items = append(b.Items, Item{ID: id, Gold: gold, Pred: predB, Probs: []float32{0.5, 0.5}})
	}
	c, err := Compare(a, b, Options{Reps: 500, Seed: 2})
	require.NoError(t, err)
	assert.InDelta(t, 11.0/40, float64(c.AccuracyDiff), tol)
	assert.EqualValues(t, 12, c.McNemar.B)
	assert.EqualValues(t, 1, c.McNemar.C)
	assert.True(t, c.McNemar.Exact)
	assert.Less(t, float64(c.McNemar.P), 0.01)
	assert.Greater(t, float64(c.AccuracyCI[0]), 0.0, "the difference is significant")

	b.Items[0].ID = "other"
	_, err = Compare(a, b, Options{})
	assert.ErrorIs(t, err, ErrMismatch)
}

func TestCrossValidate(t *testing.T) {
	recs, _, _, err := corpora.Load([]string{corpora.BuiltinName}, corpora.Options{})
	require.NoError(t, err)
	recs = recs[:1500]
	cfg := classify.TrainConfig{Target: classify.TargetInterests, Features: classify.FeatureConfig{Bits: 12, WordNgrams: 1}, MaxIter: 15}
	acc, err := CrossValidate(recs, cfg, 3, 1, nil)
	require.NoError(t, err)
	assert.Len(t, acc.Items, 1500, "every record is scored once, in its own fold")
	seen := map[string]bool{}
	for _, it := range acc.Items {
		assert.False(t, seen[it.ID])
		seen[it.ID] = true
	}
}
