package metrics

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfusion(t *testing.T) {
	for i, test := range []struct {
		labels   []string
		pairs    [][2]int // {gold, pred}
		n        int64
		acc      float64
		macro    float64
		weighted float64
		perClass []ClassStats
	}{
		{ // 0: empty: every metric is undefined.
			labels:   []string{"a", "b"},
			acc:      nan,
			macro:    nan,
			weighted: nan,
			perClass: []ClassStats{{"a", nan, nan, nan, 0}, {"b", nan, nan, nan, 0}},
		},
		{ // 1: no labels at all.
			labels:   nil,
			acc:      nan,
			macro:    nan,
			weighted: nan,
			perClass: []ClassStats{},
		},
		{ // 2: perfect predictions.
			labels:   []string{"a", "b"},
			pairs:    [][2]int{{0, 0}, {1, 1}, {1, 1}},
			n:        3,
			acc:      1,
			macro:    1,
			weighted: 1,
			perClass: []ClassStats{{"a", 1, 1, 1, 1}, {"b", 1, 1, 1, 2}},
		},
		{ // 3: always wrong: F1 is 0 (defined), not NaN.
			labels:   []string{"a", "b"},
			pairs:    [][2]int{{0, 1}, {1, 0}},
			n:        2,
			acc:      0,
			macro:    0,
			weighted: 0,
			perClass: []ClassStats{{"a", 0, 0, 0, 1}, {"b", 0, 0, 0, 1}},
		},
		{ // 4: derived by hand.
			// Counts: a→a 3, a→b 1, b→b 2, b→c 2; c only predicted; d unseen.
			// a: TP 3 FP 0 FN 1: P 1, R 3/4, F1 6/7.
			// b: TP 2 FP 1 FN 2: P 2/3, R 1/2, F1 4/7.
			// c: TP 0 FP 2 FN 0: P 0, R NaN, F1 0.
			// d: no gold, no prediction: all NaN, left out of the macro mean.
			// Accuracy 5/8. Macro (6/7+4/7+0)/3 = 10/21, the value
			// sklearn.metrics.f1_score(average="macro") gives for labels
			// present in y_true or y_pred. Weighted (4·6/7+4·4/7)/8 = 5/7.
			labels: []string{"a", "b", "c", "d"},
			pairs: [][2]int{
				{0, 0}, {0, 0}, {0, 0}, {0, 1},
				{1, 1}, {1, 1}, {1, 2}, {1, 2},
			},
			n:        8,
			acc:      5.0 / 8,
			macro:    10.0 / 21,
			weighted: 5.0 / 7,
			perClass: []ClassStats{
				{"a", 1, 3.0 / 4, 6.0 / 7, 4},
				{"b", 2.0 / 3, 1.0 / 2, 4.0 / 7, 4},
				{"c", 0, nan, 0, 0},
				{"d", nan, nan, nan, 0},
			},
		},
	} {
		c := NewConfusion(test.labels)
		for _, p := range test.pairs {
			c.Add(p[0], p[1])
		}
		assert.Equal(t, test.n, c.N(), "%d: N", i)
		assert.True(t, same(c.Accuracy(), test.acc, tol), "%d: Accuracy got %v want %v", i, c.Accuracy(), test.acc)
		assert.True(t, same(c.MacroF1(), test.macro, tol), "%d: MacroF1 got %v want %v", i, c.MacroF1(), test.macro)
		assert.True(t, same(c.WeightedF1(), test.weighted, tol), "%d: WeightedF1 got %v want %v", i, c.WeightedF1(), test.weighted)
		got := c.PerClass()
		assert.True(t, sameStats(got, test.perClass, tol), "%d: PerClass\ngot  %v\nwant %v", i, got, test.perClass)
	}
}

func TestConfusionAddPanics(t *testing.T) {
	for i, test := range []struct {
		labels     []string
		gold, pred int
		panics     bool
	}{
		{labels: []string{"a", "b"}, gold: 0, pred: 1},                // 0
		{labels: []string{"a", "b"}, gold: -1, pred: 0, panics: true}, // 1
		{labels: []string{"a", "b"}, gold: 0, pred: 2, panics: true},  // 2
		{labels: []string{"a", "b"}, gold: 2, pred: 0, panics: true},  // 3
		{labels: []string{"a", "b"}, gold: 0, pred: -1, panics: true}, // 4
		{labels: nil, gold: 0, pred: 0, panics: true},                 // 5
	} {
		c := NewConfusion(test.labels)
		assert.Equal(t, test.panics, panics(func() { c.Add(test.gold, test.pred) }), "%d", i)
	}
}

func TestConfusionMerge(t *testing.T) {
	a := NewConfusion([]string{"x", "y"})
	a.Add(0, 0)
	a.Add(0, 1)
	b := NewConfusion([]string{"x", "y"})
	b.Add(1, 1)
	b.Add(0, 1)
	require.NoError(t, a.Merge(b))
	assert.Equal(t, [][]int64{{1, 2}, {0, 1}}, a.Counts)
	assert.Equal(t, [][]int64{{0, 1}, {0, 1}}, b.Counts, "argument modified")

	for i, labels := range [][]string{
		{"y", "x"},      // 0: same set, other order
		{"x"},           // 1: fewer
		{"x", "y", "z"}, // 2: more
		nil,             // 3: none
	} {
		before := fmt.Sprint(a.Counts)
		err := a.Merge(NewConfusion(labels))
		assert.ErrorIs(t, err, ErrLabelMismatch, "%d", i)
		assert.Equal(t, before, fmt.Sprint(a.Counts), "%d: receiver changed on error", i)
	}
}

func TestConfusionCopiesLabels(t *testing.T) {
	labels := []string{"a", "b"}
	c := NewConfusion(labels)
	labels[0] = "changed"
	assert.Equal(t, []string{"a", "b"}, c.Labels)
}

func TestConfusionReset(t *testing.T) {
	c := NewConfusion([]string{"a", "b"})
	c.Add(0, 1)
	c.Reset()
	assert.Equal(t, int64(0), c.N())
	assert.True(t, math.IsNaN(c.Accuracy()))
	assert.Equal(t, []string{"a", "b"}, c.Labels)
}

func TestConfusionAddAllocs(t *testing.T) {
	c := NewConfusion([]string{"a", "b", "c"})
	if n := testing.AllocsPerRun(100, func() { c.Add(1, 2) }); n > 0 {
		t.Errorf("Confusion.Add allocates %v times, want 0", n)
	}
}

func BenchmarkConfusionAdd(b *testing.B) {
	for _, k := range []int{2, 16, 256} {
		b.Run(fmt.Sprintf("labels=%d", k), func(b *testing.B) {
			c := NewConfusion(make([]string, k))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.Add(i%k, (i*7)%k)
				i++
			}
		})
	}
}
