package metrics

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMultiLabel(t *testing.T) {
	type row struct{ gold, pred []bool }
	type single struct {
		i          int
		gold, pred bool
	}
	// Rows shared by cases 1 and 2, labels x, y, z:
	//   gold {x},    pred {x, y}
	//   gold {x, y}, pred {y}
	//   gold {},     pred {}
	// x: TP 1, FN 1, TN 1: P 1, R 1/2, F1 2/3, support 2.
	// y: TP 1, FP 1, TN 1: P 1/2, R 1, F1 2/3, support 1.
	// z: TN 3: every rate NaN, support 0.
	rows := []row{
		{[]bool{T, F, F}, []bool{T, T, F}},
		{[]bool{T, T, F}, []bool{F, T, F}},
		{[]bool{F, F, F}, []bool{F, F, F}},
	}
	for i, test := range []struct {
		rows     []row
		singles  []single
		micro    float64
		macro    float64
		perLabel []ClassStats
	}{
		{ // 0: empty.
			micro: nan,
			macro: nan,
			perLabel: []ClassStats{
				{"x", nan, nan, nan, 0}, {"y", nan, nan, nan, 0}, {"z", nan, nan, nan, 0},
			},
		},
		{ // 1: micro = 2·2/(2·2+1+1) = 2/3; macro over x, y only = 2/3.
			rows:  rows,
			micro: 2.0 / 3,
			macro: 2.0 / 3,
			perLabel: []ClassStats{
				{"x", 1, 1.0 / 2, 2.0 / 3, 2}, {"y", 1.0 / 2, 1, 2.0 / 3, 1}, {"z", nan, nan, nan, 0},
			},
		},
		{ // 2: one more item labeled on z only, gold but missed: z gets
			// FN 1, so P NaN, R 0, F1 0. Micro = 4/(4+1+2) = 4/7;
			// macro = (2/3+2/3+0)/3 = 4/9.
			rows:    rows,
			singles: []single{{2, T, F}},
			micro:   4.0 / 7,
			macro:   4.0 / 9,
			perLabel: []ClassStats{
				{"x", 1, 1.0 / 2, 2.0 / 3, 2}, {"y", 1.0 / 2, 1, 2.0 / 3, 1}, {"z", nan, 0, 0, 1},
			},
		},
		{ // 3: only true negatives: nothing is defined.
			rows:    []row{{[]bool{F, F, F}, []bool{F, F, F}}},
			singles: []single{{0, F, F}},
			micro:   nan,
			macro:   nan,
			perLabel: []ClassStats{
				{"x", nan, nan, nan, 0}, {"y", nan, nan, nan, 0}, {"z", nan, nan, nan, 0},
			},
		},
	} {
		m := NewMultiLabel([]string{"x", "y", "z"})
		for _, r := range test.rows {
			m.Add(r.gold, r.pred)
		}
		for _, s := range test.singles {
			m.AddLabel(s.i, s.gold, s.pred)
		}
		assert.True(t, same(m.MicroF1(), test.micro, tol), "%d: MicroF1 got %v want %v", i, m.MicroF1(), test.micro)
		assert.True(t, same(m.MacroF1(), test.macro, tol), "%d: MacroF1 got %v want %v", i, m.MacroF1(), test.macro)
		got := m.PerLabel()
		assert.True(t, sameStats(got, test.perLabel, tol), "%d: PerLabel\ngot  %v\nwant %v", i, got, test.perLabel)
	}
}

func TestMultiLabelPanics(t *testing.T) {
	m := NewMultiLabel([]string{"x", "y"})
	for i, test := range []struct {
		f      func()
		panics bool
	}{
		{f: func() { m.Add([]bool{true, false}, []bool{false, false}) }},        // 0
		{f: func() { m.Add([]bool{true}, []bool{false, false}) }, panics: true}, // 1
		{f: func() { m.Add([]bool{true, false}, []bool{false}) }, panics: true}, // 2
		{f: func() { m.Add(nil, nil) }, panics: true},                           // 3
		{f: func() { m.AddLabel(1, true, true) }},                               // 4
		{f: func() { m.AddLabel(2, true, true) }, panics: true},                 // 5
		{f: func() { m.AddLabel(-1, true, true) }, panics: true},                // 6
	} {
		assert.Equal(t, test.panics, panics(test.f), "%d", i)
	}
}

func TestMultiLabelMerge(t *testing.T) {
	a := NewMultiLabel([]string{"x", "y"})
	a.Add([]bool{true, false}, []bool{true, true})
	b := NewMultiLabel([]string{"x", "y"})
	b.Add([]bool{true, true}, []bool{false, false})
	b.AddLabel(1, false, false)
	bBefore := fmt.Sprint(*b)
	require.NoError(t, a.Merge(b))
	assert.Equal(t, []int64{1, 0}, a.TP)
	assert.Equal(t, []int64{0, 1}, a.FP)
	assert.Equal(t, []int64{1, 1}, a.FN)
	assert.Equal(t, []int64{0, 1}, a.TN)
	assert.Equal(t, bBefore, fmt.Sprint(*b), "argument modified")

	for i, labels := range [][]string{
		{"y", "x"},      // 0
		{"x"},           // 1
		{"x", "y", "z"}, // 2
	} {
		before := fmt.Sprint(*a)
		assert.ErrorIs(t, a.Merge(NewMultiLabel(labels)), ErrLabelMismatch, "%d", i)
		assert.Equal(t, before, fmt.Sprint(*a), "%d: receiver changed on error", i)
	}
}

func TestMultiLabelInputsNotMutated(t *testing.T) {
	labels := []string{"x", "y"}
	gold, pred := []bool{true, false}, []bool{false, true}
	m := NewMultiLabel(labels)
	m.Add(gold, pred)
	labels[0] = "changed"
	assert.Equal(t, []string{"x", "y"}, m.Labels)
	assert.Equal(t, []bool{true, false}, gold)
	assert.Equal(t, []bool{false, true}, pred)
}

func TestMultiLabelReset(t *testing.T) {
	m := NewMultiLabel([]string{"x"})
	m.Add([]bool{true}, []bool{true})
	m.Reset()
	assert.True(t, slices.Equal(m.TP, []int64{0}))
	assert.Equal(t, []string{"x"}, m.Labels)
}

func TestMultiLabelAddAllocs(t *testing.T) {
	m := NewMultiLabel([]string{"a", "b", "c"})
	gold, pred := []bool{true, false, true}, []bool{true, true, false}
	if n := testing.AllocsPerRun(100, func() { m.Add(gold, pred) }); n > 0 {
		t.Errorf("MultiLabel.Add allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { m.AddLabel(1, true, false) }); n > 0 {
		t.Errorf("MultiLabel.AddLabel allocates %v times, want 0", n)
	}
}

func BenchmarkMultiLabelAdd(b *testing.B) {
	for _, k := range []int{2, 16, 256} {
		b.Run(fmt.Sprintf("labels=%d", k), func(b *testing.B) {
			m := NewMultiLabel(make([]string, k))
			gold, pred := make([]bool, k), make([]bool, k)
			for i := range k {
				gold[i], pred[i] = i%3 == 0, i%2 == 0
			}
			b.ReportAllocs()
			for b.Loop() {
				m.Add(gold, pred)
			}
		})
	}
}
