package bench

import (
	"testing"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallFilter trains quick models on part of the built-in corpus (tests, not benchmarks).
func smallFilter(t *testing.T) (*classify.Filter, []corpora.Record) {
	t.Helper()
	recs, _, _, err := corpora.Load([]string{corpora.BuiltinName}, corpora.Options{})
	require.NoError(t, err)
	recs = recs[:2000]
	var models [2]*classify.Model
	for i, target := range []string{classify.TargetSensitive, classify.TargetInterests} {
		exs, labels, err := classify.Examples(recs, target, nil)
		require.NoError(t, err)
		models[i], err = classify.Train(classify.TrainConfig{Target: target, Features: classify.FeatureConfig{Bits: 12, WordNgrams: 1, ContextTurns: 1}, MaxIter: 10}, labels, exs, exs)
		require.NoError(t, err)
	}
	fl, err := classify.NewFilter(classify.Policies["meta-2025-12"], models[0], models[1])
	require.NoError(t, err)
	return fl, recs
}

func TestLatency(t *testing.T) {
	fl, recs := smallFilter(t)
	res := Latency(fl, Messages(recs), Config{Rounds: 2})
	assert.Equal(t, 2000, res.Messages)
	assert.Equal(t, 4000, res.Samples)
	assert.Zero(t, res.AllocsPerMsg, "the hot path allocates nothing")
	assert.True(t, res.P50ns <= res.P90ns && res.P90ns <= res.P99ns && res.P99ns <= res.P999ns)
	assert.Positive(t, res.ReferenceP50ns)
	assert.Positive(t, res.InScopeMessages)
	assert.Less(t, res.InScopeMessages, 2000, "the built-in corpus has users outside the policy's scope")
	assert.Positive(t, res.MsgsPerSecOne)
	assert.Positive(t, res.PeakRSSBytes)
}

func TestStream(t *testing.T) {
	fl, recs := smallFilter(t)
	res, err := Stream(fl.SensitiveModel(), recs, 20000, t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, 20000, res.Messages)
	assert.Positive(t, res.MsgsPerSec)
	assert.Less(t, res.PeakHeap, uint64(256<<20), "streaming keeps memory bounded")
}
