package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

const T, F = true, false

func ranking(scores []float64, gold []bool) *Ranking {
	var r Ranking
	for i, s := range scores {
		r.Add(s, gold[i])
	}
	return &r
}

// sklearnExample is the example of the sklearn.metrics.average_precision_score
// and roc_auc_score docs: y_true = [0, 0, 1, 1], y_score = [0.1, 0.4, 0.35, 0.8].
var sklearnExample = ranking([]float64{0.1, 0.4, 0.35, 0.8}, []bool{F, F, T, T})

// tiedExample has ties across classes at two levels; P = N = 3.
var tiedExample = ranking([]float64{3, 3, 2, 2, 2, 1}, []bool{T, F, T, T, F, F})

func TestRanking(t *testing.T) {
	inf := math.Inf(1)
	for i, test := range []struct {
		r      *Ranking
		roc    float64
		ap     float64
		tF1    float64
		bestF1 float64
	}{
		{ // 0: sklearn docs example. ROC: positive 0.8 beats both
			// negatives, 0.35 beats 0.1 only: 3/4. AP (the docs give 0.83):
			// steps (R, P) = (1/2, 1), (1/2, 1/2), (1, 2/3), (1, 1/2):
			// 1/2·1 + 1/2·2/3 = 5/6. F1 = 2TP/(2TP+FP+FN) at 0.8, 0.4,
			// 0.35, 0.1 is 2/3, 1/2, 4/5, 2/3.
			r: sklearnExample, roc: 3.0 / 4, ap: 5.0 / 6, tF1: 0.35, bestF1: 4.0 / 5,
		},
		{ // 1: tie between a positive and a negative counts 1/2 (Mann–Whitney).
			// ROC: 0.9 beats both negatives (2), 0.5 ties one (1/2) and
			// beats one (1): 3.5/4. AP: (1/2, 1) then (1, 2/3): 5/6.
			// F1 at 0.9, 0.5, 0.1: 2/3, 4/5, 2/3.
			r:   ranking([]float64{0.9, 0.5, 0.5, 0.1}, []bool{T, T, F, F}),
			roc: 7.0 / 8, ap: 5.0 / 6, tF1: 0.5, bestF1: 4.0 / 5,
		},
		{ // 2: tiedExample. Ascending average ranks: 1 → 1, 2 → 3, 3 → 5.5.
			// Positive rank sum 5.5+3+3 = 11.5; U = 11.5 − 3·4/2 = 5.5;
			// ROC 5.5/9. AP: at 3 (R 1/3, P 1/2), at 2 (R 1, P 3/5):
			// 1/3·1/2 + 2/3·3/5 = 17/30. F1 at 3, 2, 1: 2/5, 3/4, 2/3.
			r: tiedExample, roc: 5.5 / 9, ap: 17.0 / 30, tF1: 2, bestF1: 3.0 / 4,
		},
		{ // 3: all scores tied: ROC 1/2, AP = prevalence 1/2, F1 4/6.
			r:   ranking([]float64{0.5, 0.5, 0.5, 0.5}, []bool{T, F, T, F}),
			roc: 0.5, ap: 0.5, tF1: 0.5, bestF1: 2.0 / 3,
		},
		{ // 4: perfect ranking.
			r:   ranking([]float64{0.2, 0.9, 0.8, 0.1}, []bool{F, T, T, F}),
			roc: 1, ap: 1, tF1: 0.8, bestF1: 1,
		},
		{ // 5: inverted ranking: ROC 0; AP: recall moves only at 0.1 with P 1/2.
			// F1 at 0.9, 0.1: 0, 2/3.
			r:   ranking([]float64{0.9, 0.1}, []bool{F, T}),
			roc: 0, ap: 0.5, tF1: 0.1, bestF1: 2.0 / 3,
		},
		{ // 6: no negatives: ROC undefined, AP 1. F1 at 0.7, 0.3: 2/3, 1.
			r:   ranking([]float64{0.3, 0.7}, []bool{T, T}),
			roc: nan, ap: 1, tF1: 0.3, bestF1: 1,
		},
		{ // 7: no positives: everything undefined.
			r:   ranking([]float64{0.3, 0.7}, []bool{F, F}),
			roc: nan, ap: nan, tF1: nan, bestF1: nan,
		},
		{ // 8: empty.
			r:   &Ranking{},
			roc: nan, ap: nan, tF1: nan, bestF1: nan,
		},
		{ // 9: infinite scores are ordinary scores. F1 at +Inf, 0: 2/3, 1.
			r:   ranking([]float64{inf, -inf, 0}, []bool{T, F, T}),
			roc: 1, ap: 1, tF1: 0, bestF1: 1,
		},
	} {
		scores, gold := slices.Clone(test.r.Scores), slices.Clone(test.r.Gold)
		roc, ap := test.r.ROCAUC(), test.r.PRAUC()
		tF1, bestF1 := test.r.ThresholdForF1()
		assert.True(t, same(roc, test.roc, tol), "%d: ROCAUC got %v want %v", i, roc, test.roc)
		assert.True(t, same(ap, test.ap, tol), "%d: PRAUC got %v want %v", i, ap, test.ap)
		assert.True(t, same(tF1, test.tF1, tol), "%d: ThresholdForF1 t got %v want %v", i, tF1, test.tF1)
		assert.True(t, same(bestF1, test.bestF1, tol), "%d: ThresholdForF1 f1 got %v want %v", i, bestF1, test.bestF1)
		test.r.Curve()
		test.r.ThresholdForRecall(0.5)
		assert.Equal(t, scores, test.r.Scores, "%d: Scores mutated", i)
		assert.Equal(t, gold, test.r.Gold, "%d: Gold mutated", i)
	}
}

func TestThresholdForRecall(t *testing.T) {
	for i, test := range []struct {
		r         *Ranking
		target    float64
		threshold float64
		precision float64
	}{
		// sklearnExample: recall 1/2 from 0.8 (P 1), 1 from 0.35 (P 2/3).
		{r: sklearnExample, target: 0, threshold: 0.8, precision: 1},           // 0: highest score
		{r: sklearnExample, target: 0.5, threshold: 0.8, precision: 1},         // 1
		{r: sklearnExample, target: 0.51, threshold: 0.35, precision: 2.0 / 3}, // 2
		{r: sklearnExample, target: 1, threshold: 0.35, precision: 2.0 / 3},    // 3
		{r: sklearnExample, target: 1.01, threshold: nan, precision: nan},      // 4: unreachable
		{r: sklearnExample, target: nan, threshold: nan, precision: nan},       // 5
		// tiedExample: recall 1/3 from 3 (P 1/2), 1 from 2 (P 3/5).
		{r: tiedExample, target: 1.0 / 3, threshold: 3, precision: 0.5}, // 6: exact boundary
		{r: tiedExample, target: 0.34, threshold: 2, precision: 0.6},    // 7
		{r: tiedExample, target: 1, threshold: 2, precision: 0.6},       // 8: not 1, the lowest score
		{ // 9: no positives.
			r: ranking([]float64{0.2}, []bool{F}), target: 0.5, threshold: nan, precision: nan,
		},
		{r: &Ranking{}, target: 0.5, threshold: nan, precision: nan}, // 10: empty
	} {
		th, p := test.r.ThresholdForRecall(test.target)
		assert.True(t, same(th, test.threshold, tol), "%d: threshold got %v want %v", i, th, test.threshold)
		assert.True(t, same(p, test.precision, tol), "%d: precision got %v want %v", i, p, test.precision)
	}
}

func TestCurve(t *testing.T) {
	for i, test := range []struct {
		r    *Ranking
		want []CurvePoint
	}{
		{ // 0: sklearnExample: P = N = 2.
			r: sklearnExample,
			want: []CurvePoint{
				{0.8, 1, 0.5, 0},
				{0.4, 0.5, 0.5, 0.5},
				{0.35, 2.0 / 3, 1, 0.5},
				{0.1, 0.5, 1, 1},
			},
		},
		{ // 1: tiedExample: P = N = 3.
			r: tiedExample,
			want: []CurvePoint{
				{3, 0.5, 1.0 / 3, 1.0 / 3},
				{2, 0.6, 1, 2.0 / 3},
				{1, 0.5, 1, 1},
			},
		},
		{ // 2: no negatives: FPR undefined.
			r:    ranking([]float64{1, 2}, []bool{T, T}),
			want: []CurvePoint{{2, 1, 0.5, nan}, {1, 1, 1, nan}},
		},
		{ // 3: no positives: recall undefined.
			r:    ranking([]float64{1, 1}, []bool{F, F}),
			want: []CurvePoint{{1, 0, nan, 1}},
		},
		{r: &Ranking{}, want: nil}, // 4
	} {
		got := test.r.Curve()
		ok := len(got) == len(test.want)
		for j := 0; ok && j < len(got); j++ {
			g, w := got[j], test.want[j]
			ok = same(g.Threshold, w.Threshold, tol) && same(g.Precision, w.Precision, tol) &&
				same(g.Recall, w.Recall, tol) && same(g.FPR, w.FPR, tol)
		}
		assert.True(t, ok, "%d: Curve\ngot  %v\nwant %v", i, got, test.want)
	}
}

func TestRankingPanics(t *testing.T) {
	for i, test := range []struct {
		f      func()
		panics bool
	}{
		{f: func() { new(Ranking).Add(1, true) }},                                                 // 0
		{f: func() { new(Ranking).Add(math.NaN(), true) }, panics: true},                          // 1
		{f: func() { (&Ranking{Scores: []float64{1}}).ROCAUC() }, panics: true},                   // 2
		{f: func() { (&Ranking{Scores: []float64{nan}, Gold: []bool{T}}).PRAUC() }, panics: true}, // 3
		{f: func() { (&Ranking{Gold: []bool{T}}).Curve() }, panics: true},                         // 4
	} {
		assert.Equal(t, test.panics, panics(test.f), "%d", i)
	}
}

// TestRankingReference checks the sorted sweeps against obvious quadratic
// definitions on random data with many ties.
func TestRankingReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var r Ranking
		for range rng.IntN(60) {
			r.Add(float64(rng.IntN(8)), rng.IntN(3) == 0)
		}
		var p, n int
		var pairs float64
		for i, gi := range r.Gold {
			if gi {
				p++
			} else {
				n++
			}
			for j, gj := range r.Gold {
				switch {
				case !gi || gj:
				case r.Scores[i] > r.Scores[j]:
					pairs++
				case r.Scores[i] == r.Scores[j]:
					pairs += 0.5
				}
			}
		}
		wantROC := pairs / float64(p*n)
		if p == 0 || n == 0 {
			wantROC = nan
		}

		// At each distinct threshold, count by brute force.
		distinct := slices.Clone(r.Scores)
		slices.Sort(distinct)
		distinct = slices.Compact(distinct)
		slices.Reverse(distinct)
		wantAP, prevRecall := 0.0, 0.0
		wantT, wantF1 := nan, math.Inf(-1)
		for _, th := range distinct {
			var tp, fp int
			for i, s := range r.Scores {
				if s >= th {
					if r.Gold[i] {
						tp++
					} else {
						fp++
					}
				}
			}
			recall := float64(tp) / float64(p)
			wantAP += (recall - prevRecall) * float64(tp) / float64(tp+fp)
			prevRecall = recall
			if f1 := float64(2*tp) / float64(2*tp+fp+p-tp); f1 > wantF1 {
				wantT, wantF1 = th, f1
			}
		}
		if p == 0 {
			wantAP, wantT, wantF1 = nan, nan, nan
		}

		const refTol = 1e-12
		assert.True(t, same(r.ROCAUC(), wantROC, refTol), "%d: ROCAUC got %v want %v", trial, r.ROCAUC(), wantROC)
		assert.True(t, same(r.PRAUC(), wantAP, refTol), "%d: PRAUC got %v want %v", trial, r.PRAUC(), wantAP)
		gotT, gotF1 := r.ThresholdForF1()
		assert.True(t, same(gotT, wantT, 0) && same(gotF1, wantF1, refTol),
			"%d: ThresholdForF1 got (%v, %v) want (%v, %v)", trial, gotT, gotF1, wantT, wantF1)
	}
}

func BenchmarkRankingROCAUC(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			var r Ranking
			for range n {
				r.Add(rng.Float64(), rng.IntN(4) == 0)
			}
			b.ReportAllocs()
			for b.Loop() {
				r.ROCAUC()
			}
		})
	}
}
