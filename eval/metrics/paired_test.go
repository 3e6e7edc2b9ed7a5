package metrics

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// goldenPaired returns fixed per-item scores of two models whose
// difference is small and not significant.
func goldenPaired() (a, b []float64) {
	a = make([]float64, 40)
	b = make([]float64, 40)
	for i := range a {
		a[i] = float64(i*i%13) / 12
		b[i] = float64(i*7%11) / 11
	}
	return a, b
}

func TestPairedBootstrapGolden(t *testing.T) {
	// Pinned from this implementation; must not change (see TestBootstrapGolden).
	a, b := goldenPaired()
	got := PairedBootstrap(a, b, 2000, 7)
	want := Paired{
		Diff: 0.02840909090909093, // exactly 5/176 by fractions; float rounding in the last digit
		CI:   Interval{-0.11745738636363628, 0.1719744318181818},
		P:    0.7076461769115442,
	}
	assert.Equal(t, want, got)
}

func TestPairedBootstrap(t *testing.T) {
	ones := func(n int, v float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = v
		}
		return x
	}
	const reps = 999
	for i, test := range []struct {
		a, b []float64
		want Paired
	}{
		{ // 0: identical models: no difference, P 1.
			a: []float64{1, 0, 1, 1}, b: []float64{1, 0, 1, 1},
			want: Paired{Diff: 0, CI: Interval{0, 0}, P: 1},
		},
		{ // 1: a always 1 better: every resample differs by 1, none as
			// extreme under the null, so P = 1/(reps+1).
			a: ones(20, 1), b: ones(20, 0),
			want: Paired{Diff: 1, CI: Interval{1, 1}, P: 1.0 / (reps + 1)},
		},
		{ // 2: empty.
			want: Paired{Diff: nan, CI: nanInterval, P: nan},
		},
		{ // 3: a NaN score makes everything undefined.
			a: []float64{1, nan}, b: []float64{0, 0},
			want: Paired{Diff: nan, CI: nanInterval, P: nan},
		},
	} {
		got := PairedBootstrap(test.a, test.b, reps, 1)
		ok := same(got.Diff, test.want.Diff, tol) && sameInterval(got.CI, test.want.CI, tol) && same(got.P, test.want.P, tol)
		assert.True(t, ok, "%d: got %+v want %+v", i, got, test.want)
	}
}

func TestPairedBootstrapMatchesBootstrap(t *testing.T) {
	a, b := goldenPaired()
	aCopy, bCopy := slices.Clone(a), slices.Clone(b)
	got := PairedBootstrap(a, b, 1000, 11)
	d := make([]float64, len(a))
	for i := range d {
		d[i] = a[i] - b[i]
	}
	assert.Equal(t, Bootstrap(len(d), 1000, 11, 0, meanOf(d)), got.CI)
	all := make([]int, len(d))
	for i := range all {
		all[i] = i
	}
	assert.True(t, same(got.Diff, meanOf(d)(all), tol))
	assert.Equal(t, aCopy, a, "a mutated")
	assert.Equal(t, bCopy, b, "b mutated")
}

// TestPairedBootstrapNull checks that under the null (both models draw
// per-item correctness from the same distribution) P < 0.05 about 5% of
// the time. Deterministic; the band is wide for 200 trials
// (sd ≈ √(0.05·0.95/200) ≈ 0.015).
func TestPairedBootstrapNull(t *testing.T) {
	const (
		n      = 100
		trials = 200
	)
	rng := rand.New(rand.NewPCG(5, 6))
	a, b := make([]float64, n), make([]float64, n)
	var rejected int
	for trial := range trials {
		for i := range a {
			a[i], b[i] = 0, 0
			if rng.Float64() < 0.7 {
				a[i] = 1
			}
			if rng.Float64() < 0.7 {
				b[i] = 1
			}
		}
		if PairedBootstrap(a, b, 400, uint64(trial)).P < 0.05 {
			rejected++
		}
	}
	rate := float64(rejected) / trials
	assert.True(t, 0.01 <= rate && rate <= 0.10, "rejection rate %v under the null, want about 0.05", rate)
}

func TestPairedBootstrapPanics(t *testing.T) {
	for i, test := range []struct {
		a, b   []float64
		reps   int
		panics bool
	}{
		{a: []float64{1}, b: []float64{0}, reps: 1},                  // 0
		{a: []float64{1}, b: []float64{0, 1}, reps: 1, panics: true}, // 1
		{a: []float64{1}, b: []float64{0}, reps: 0, panics: true},    // 2
		{reps: 0, panics: true},                                      // 3
	} {
		f := func() { PairedBootstrap(test.a, test.b, test.reps, 1) }
		assert.Equal(t, test.panics, panics(f), "%d", i)
	}
}

// mcnemarInputs builds paired outcomes with b items only a got right, c only
// b got right, plus concordant items, which McNemar must ignore.
func mcnemarInputs(b, c int) (aCorrect, bCorrect []bool) {
	add := func(x, y bool, n int) {
		for range n {
			aCorrect = append(aCorrect, x)
			bCorrect = append(bCorrect, y)
		}
	}
	add(true, true, 7)
	add(true, false, b)
	add(false, false, 3)
	add(false, true, c)
	return aCorrect, bCorrect
}

func TestMcNemar(t *testing.T) {
	for i, test := range []struct {
		b, c int
		want McNemarResult
	}{
		{ // 0: exact: P = 2·(C(12,0)+C(12,1)+C(12,2))/2^12 = 2·79/4096.
			b: 10, c: 2,
			want: McNemarResult{B: 10, C: 2, Statistic: 2, P: 158.0 / 4096, Exact: true},
		},
		{ // 1: mirror of 0: same P.
			b: 2, c: 10,
			want: McNemarResult{B: 2, C: 10, Statistic: 2, P: 158.0 / 4096, Exact: true},
		},
		{ // 2: no discordant pairs: P 1.
			want: McNemarResult{Statistic: 0, P: 1, Exact: true},
		},
		{ // 3: balanced: 2·P(X <= 12) > 1 is capped at 1.
			b: 12, c: 12,
			want: McNemarResult{B: 12, C: 12, Statistic: 12, P: 1, Exact: true},
		},
		{ // 4: largest exact case, one-sided: P = 2·2^-24.
			b: 24, c: 0,
			want: McNemarResult{B: 24, P: 2.0 / (1 << 24), Exact: true},
		},
		{ // 5: 25 discordant pairs switch to chi-square:
			// (|20−5|−1)²/25 = 7.84; χ²₁ upper tail = erfc(√(7.84/2))
			// = 0.005110260660855864 (Python math.erfc).
			b: 20, c: 5,
			want: McNemarResult{B: 20, C: 5, Statistic: 7.84, P: 0.005110260660855864},
		},
		{ // 6: the discordant cells of Wikipedia's McNemar's test example
			// (b = 121, c = 59): (62−1)²/180 = 3721/180, P = erfc(√(χ²/2))
			// = 5.450094825427123e-06.
			b: 121, c: 59,
			want: McNemarResult{B: 121, C: 59, Statistic: 3721.0 / 180, P: 5.450094825427123e-06},
		},
	} {
		a, b := mcnemarInputs(test.b, test.c)
		aCopy, bCopy := slices.Clone(a), slices.Clone(b)
		got := McNemar(a, b)
		ok := got.B == test.want.B && got.C == test.want.C && got.Exact == test.want.Exact &&
			same(got.Statistic, test.want.Statistic, tol) && same(got.P, test.want.P, 1e-9)
		assert.True(t, ok, "%d: got %+v want %+v", i, got, test.want)
		assert.Equal(t, aCopy, a, "%d: input mutated", i)
		assert.Equal(t, bCopy, b, "%d: input mutated", i)
	}
	assert.True(t, panics(func() { McNemar([]bool{true}, nil) }), "length mismatch")
}

func TestBinomHalfCDF(t *testing.T) {
	for n := int64(0); n < 25; n++ {
		assert.True(t, same(binomHalfCDF(n, n), 1, tol), "n=%d: total mass", n)
		for k := int64(0); k < n; k++ {
			// Symmetry of Binomial(n, 1/2): P(X <= k) + P(X <= n−k−1) = 1.
			sum := binomHalfCDF(k, n) + binomHalfCDF(n-k-1, n)
			assert.True(t, same(sum, 1, tol), "n=%d k=%d: %v", n, k, sum)
		}
	}
}
