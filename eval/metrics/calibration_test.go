package metrics

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type calItem struct {
	conf    float64
	correct bool
}

func TestCalibration(t *testing.T) {
	for i, test := range []struct {
		bins  int
		items []calItem
		ece   float64
		table []ReliabilityBin
	}{
		{ // 0: empty: ECE undefined, empty bins have NaN means.
			bins:  2,
			ece:   nan,
			table: []ReliabilityBin{{0, 0.5, 0, nan, nan}, {0.5, 1, 0, nan, nan}},
		},
		{ // 1: derived by hand. Bin 0: 0.2, 0.3 with 1 hit: mean 0.25, acc 1/2.
			// Bin 1: 0.8, 0.9, 0.6 with 2 hits: mean 2.3/3, acc 2/3.
			// ECE = (|1 − 0.5| + |2 − 2.3|)/5 = 0.16.
			bins:  2,
			items: []calItem{{0.2, F}, {0.3, T}, {0.8, T}, {0.9, T}, {0.6, F}},
			ece:   0.16,
			table: []ReliabilityBin{{0, 0.5, 2, 0.25, 0.5}, {0.5, 1, 3, 2.3 / 3, 2.0 / 3}},
		},
		{ // 2: boundaries: 0 → bin 0, 0.5 → bin 1 (bins are [lo, hi)), 1 → last bin.
			// ECE = (|0 − 0| + |1 − 1.5|)/3 = 1/6.
			bins:  2,
			items: []calItem{{0, F}, {0.5, T}, {1, F}},
			ece:   1.0 / 6,
			table: []ReliabilityBin{{0, 0.5, 1, 0, 0}, {0.5, 1, 2, 0.75, 0.5}},
		},
		{ // 3: perfectly calibrated: ECE 0.
			bins:  4,
			items: []calItem{{0.5, T}, {0.5, F}, {1, T}},
			ece:   0,
			table: []ReliabilityBin{
				{0, 0.25, 0, nan, nan}, {0.25, 0.5, 0, nan, nan},
				{0.5, 0.75, 2, 0.5, 0.5}, {0.75, 1, 1, 1, 1},
			},
		},
		{ // 4: one bin: ECE is |accuracy − mean confidence| = |1/2 − 0.7|.
			bins:  1,
			items: []calItem{{0.9, T}, {0.5, F}},
			ece:   0.2,
			table: []ReliabilityBin{{0, 1, 2, 0.7, 0.5}},
		},
	} {
		c := NewCalibration(test.bins)
		for _, it := range test.items {
			c.Add(it.conf, it.correct)
		}
		assert.True(t, same(c.ECE(), test.ece, tol), "%d: ECE got %v want %v", i, c.ECE(), test.ece)
		got := c.Table()
		ok := len(got) == len(test.table)
		for j := 0; ok && j < len(got); j++ {
			g, w := got[j], test.table[j]
			ok = g.Count == w.Count && same(g.Lo, w.Lo, tol) && same(g.Hi, w.Hi, tol) &&
				same(g.MeanConfidence, w.MeanConfidence, tol) && same(g.Accuracy, w.Accuracy, tol)
		}
		assert.True(t, ok, "%d: Table\ngot  %v\nwant %v", i, got, test.table)
	}
}

// TestCalibrationBinBounds checks that every confidence lands in the bin
// whose reported [Lo, Hi) holds it, including boundaries such as 0.29 where
// floor(0.29·100) = 28.
func TestCalibrationBinBounds(t *testing.T) {
	for _, bins := range []int{1, 3, 7, 10, 100} {
		c := NewCalibration(bins)
		table := c.Table()
		for k := 0; k <= 1000; k++ {
			conf := float64(k) / 1000
			b := c.bin(conf)
			lo, hi := table[b].Lo, table[b].Hi
			if !(lo <= conf && (conf < hi || b == bins-1)) {
				t.Errorf("bins=%d: confidence %v in bin %d = [%v, %v)", bins, conf, b, lo, hi)
			}
		}
	}
}

func TestCalibrationPanics(t *testing.T) {
	c := NewCalibration(3)
	for i, test := range []struct {
		f      func()
		panics bool
	}{
		{f: func() { c.Add(0.5, true) }},                 // 0
		{f: func() { c.Add(-0.1, true) }, panics: true},  // 1
		{f: func() { c.Add(1.01, true) }, panics: true},  // 2
		{f: func() { c.Add(nan, true) }, panics: true},   // 3
		{f: func() { NewCalibration(0) }, panics: true},  // 4
		{f: func() { NewCalibration(-1) }, panics: true}, // 5
	} {
		assert.Equal(t, test.panics, panics(test.f), "%d", i)
	}
}

func TestCalibrationMerge(t *testing.T) {
	a := NewCalibration(2)
	a.Add(0.2, true)
	b := NewCalibration(2)
	b.Add(0.7, false)
	b.Add(0.1, true)
	bBefore := fmt.Sprint(*b)
	require.NoError(t, a.Merge(b))
	assert.Equal(t, []int64{2, 1}, a.Count)
	assert.InDeltaSlice(t, []float64{0.3, 0.7}, a.SumConf, tol)
	assert.Equal(t, []float64{2, 0}, a.SumHit)
	assert.Equal(t, bBefore, fmt.Sprint(*b), "argument modified")

	before := fmt.Sprint(*a)
	assert.ErrorIs(t, a.Merge(NewCalibration(3)), ErrBinMismatch)
	assert.ErrorIs(t, a.Merge(&Calibration{Bins: 2}), ErrBinMismatch, "malformed argument")
	assert.Equal(t, before, fmt.Sprint(*a), "receiver changed on error")
}

func TestCalibrationReset(t *testing.T) {
	c := NewCalibration(2)
	c.Add(0.9, true)
	c.Reset()
	assert.Equal(t, []int64{0, 0}, c.Count)
	assert.True(t, same(c.ECE(), nan, 0))
}
