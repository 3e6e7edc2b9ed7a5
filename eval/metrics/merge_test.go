package metrics

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Merge tests split random data into shards at random, accumulate each
// shard separately, merge, and require the same result as accumulating the
// union. Shards may be empty.

const mergeTrials = 100

func TestConfusionMergeUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 1))
	for trial := range mergeTrials {
		k := 1 + rng.IntN(5)
		shards := 1 + rng.IntN(4)
		labels := make([]string, k)
		for i := range labels {
			labels[i] = fmt.Sprint("l", i)
		}
		union := NewConfusion(labels)
		parts := make([]*Confusion, shards)
		for s := range parts {
			parts[s] = NewConfusion(labels)
		}
		for range rng.IntN(200) {
			g, p := rng.IntN(k), rng.IntN(k)
			union.Add(g, p)
			parts[rng.IntN(shards)].Add(g, p)
		}
		merged := NewConfusion(labels)
		for _, p := range parts {
			require.NoError(t, merged.Merge(p))
		}
		assert.Equal(t, union, merged, "%d", trial)
		assert.True(t, sameStats(union.PerClass(), merged.PerClass(), 0), "%d", trial)
	}
}

func TestMultiLabelMergeUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2))
	for trial := range mergeTrials {
		k := 1 + rng.IntN(5)
		shards := 1 + rng.IntN(4)
		labels := make([]string, k)
		for i := range labels {
			labels[i] = fmt.Sprint("l", i)
		}
		union := NewMultiLabel(labels)
		parts := make([]*MultiLabel, shards)
		for s := range parts {
			parts[s] = NewMultiLabel(labels)
		}
		gold, pred := make([]bool, k), make([]bool, k)
		for range rng.IntN(200) {
			part := parts[rng.IntN(shards)]
			if rng.IntN(4) == 0 {
				i, g, p := rng.IntN(k), rng.IntN(2) == 0, rng.IntN(3) == 0
				union.AddLabel(i, g, p)
				part.AddLabel(i, g, p)
				continue
			}
			for i := range gold {
				gold[i], pred[i] = rng.IntN(3) == 0, rng.IntN(3) == 0
			}
			union.Add(gold, pred)
			part.Add(gold, pred)
		}
		merged := NewMultiLabel(labels)
		for _, p := range parts {
			require.NoError(t, merged.Merge(p))
		}
		assert.Equal(t, union, merged, "%d", trial)
		assert.True(t, same(union.MicroF1(), merged.MicroF1(), 0), "%d", trial)
		assert.True(t, same(union.MacroF1(), merged.MacroF1(), 0), "%d", trial)
	}
}

func TestRankingMergeUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 3))
	for trial := range mergeTrials {
		shards := 1 + rng.IntN(4)
		var union Ranking
		parts := make([]Ranking, shards)
		for range rng.IntN(200) {
			// Coarse scores half of the time, so ties cross shards.
			score := rng.Float64()
			if trial%2 == 0 {
				score = float64(rng.IntN(10)) / 10
			}
			g := rng.IntN(3) == 0
			union.Add(score, g)
			parts[rng.IntN(shards)].Add(score, g)
		}
		var merged Ranking
		for i := range parts {
			merged.Merge(&parts[i])
		}
		// The merged items are in another order; every metric only depends
		// on the multiset, so the results are identical, not just close.
		assert.True(t, same(union.ROCAUC(), merged.ROCAUC(), 0), "%d: ROCAUC", trial)
		assert.True(t, same(union.PRAUC(), merged.PRAUC(), 0), "%d: PRAUC", trial)
		for _, target := range []float64{0, 0.5, 0.9, 1} {
			ut, up := union.ThresholdForRecall(target)
			mt, mp := merged.ThresholdForRecall(target)
			assert.True(t, same(ut, mt, 0) && same(up, mp, 0), "%d: ThresholdForRecall(%v)", trial, target)
		}
		ut, uf := union.ThresholdForF1()
		mt, mf := merged.ThresholdForF1()
		assert.True(t, same(ut, mt, 0) && same(uf, mf, 0), "%d: ThresholdForF1", trial)
		uc, mc := union.Curve(), merged.Curve()
		ok := len(uc) == len(mc)
		for i := 0; ok && i < len(uc); i++ {
			ok = same(uc[i].Threshold, mc[i].Threshold, 0) && same(uc[i].Precision, mc[i].Precision, 0) &&
				same(uc[i].Recall, mc[i].Recall, 0) && same(uc[i].FPR, mc[i].FPR, 0)
		}
		assert.True(t, ok, "%d: Curve", trial)
	}
}

func TestCalibrationMergeUnion(t *testing.T) {
	// Float sums of confidences depend on the order of addition, so SumConf
	// and ECE agree to rounding; counts agree exactly.
	const sumTol = 1e-12
	rng := rand.New(rand.NewPCG(10, 4))
	for trial := range mergeTrials {
		bins := 1 + rng.IntN(15)
		shards := 1 + rng.IntN(4)
		union := NewCalibration(bins)
		parts := make([]*Calibration, shards)
		for s := range parts {
			parts[s] = NewCalibration(bins)
		}
		for range rng.IntN(200) {
			conf := rng.Float64()
			ok := rng.Float64() < conf
			union.Add(conf, ok)
			parts[rng.IntN(shards)].Add(conf, ok)
		}
		merged := NewCalibration(bins)
		for _, p := range parts {
			require.NoError(t, merged.Merge(p))
		}
		assert.Equal(t, union.Count, merged.Count, "%d", trial)
		assert.Equal(t, union.SumHit, merged.SumHit, "%d", trial)
		assert.InDeltaSlice(t, union.SumConf, merged.SumConf, sumTol, "%d", trial)
		assert.True(t, same(union.ECE(), merged.ECE(), sumTol), "%d: ECE %v vs %v", trial, union.ECE(), merged.ECE())
	}
}
