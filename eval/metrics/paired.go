package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Paired is the result of comparing two models on the same items.
// Diff is mean(a) − mean(b) of the per-item scores, CI its 95% percentile
// bootstrap interval, and P the two-sided bootstrap p-value of Diff = 0.
type Paired struct {
	Diff float64
	CI   Interval
	P    float64
}

// PairedBootstrap compares two models scored on the same items: a[i] and
// b[i] are the per-item scores (for example 1 for correct, 0 for wrong) of
// item i. It resamples the items, keeping pairs together, reps times.
//
// CI is the percentile interval of the resampled mean difference at
// [DefaultAlpha], the same interval [Bootstrap] gives for that statistic
// with the same seed. P is the two-sided p-value against no difference,
// from the bootstrap distribution shifted to the null (Efron & Tibshirani
// 1993, §16.4) with the add-one correction (Davison & Hinkley 1997,
// eq. 4.11):
//
//	P = (1 + #{r : |d*_r − Diff| >= |Diff|}) / (R + 1)
//
// where d*_r are the R resampled mean differences. P is never 0, and its
// resolution is 1/(reps+1).
//
// a and b are not modified. All fields are NaN for empty inputs or when
// Diff is NaN (a NaN score). PairedBootstrap panics if len(a) != len(b) or
// reps < 1.
func PairedBootstrap(a, b []float64, reps int, seed uint64) Paired {
	if len(a) != len(b) {
		panic("metrics: paired inputs differ in length")
	}
	if reps < 1 {
		panic("metrics: reps must be positive")
	}
	undefined := Paired{Diff: math.NaN(), CI: nanInterval, P: math.NaN()}
	if len(a) == 0 {
		return undefined
	}
	d := make([]float64, len(a))
	var sum float64
	for i := range a {
		d[i] = a[i] - b[i]
		sum += d[i]
	}
	diff := sum / float64(len(d))
	if math.IsNaN(diff) {
		return undefined
	}
	vals := replicates(len(d), reps, seed, func(idx []int) float64 {
		var s float64
		for _, i := range idx {
			s += d[i]
		}
		return s / float64(len(idx))
	})
	var extreme int
	for _, v := range vals {
		if math.Abs(v-diff) >= math.Abs(diff) {
			extreme++
		}
	}
	return Paired{
		Diff: diff,
		CI:   percentileInterval(vals, DefaultAlpha),
		P:    float64(1+extreme) / float64(1+len(vals)),
	}
}

// McNemarResult is the outcome of [McNemar]. B counts the items model a got
// right and model b got wrong, C the reverse. With Exact set, Statistic is
// min(B, C) and P the exact two-sided binomial p-value; otherwise Statistic
// is the continuity-corrected chi-square statistic and P its upper tail.
type McNemarResult struct {
	B, C      int64
	Statistic float64
	P         float64
	Exact     bool
}

// mcNemarExactBelow is the number of discordant pairs below which McNemar
// uses the exact binomial test.
const mcNemarExactBelow = 25

// McNemar tests whether two models scored on the same items have the same
// error rate (McNemar 1947), using only the discordant items. When
// B+C < 25 the test is exact: under the null B ~ Binomial(B+C, 1/2) and
//
//	P = min(1, 2·Σ_{i<=min(B,C)} C(B+C, i) / 2^(B+C)).
//
// Otherwise it uses the chi-square statistic with continuity correction,
//
//	χ² = (|B−C| − 1)² / (B+C),
//
// and P is its upper tail with one degree of freedom. This matches
// statsmodels.stats.contingency_tables.mcnemar with exact=True below 25
// discordant pairs and exact=False, correction=True from 25 on. With no
// discordant pairs P is 1.
//
// The inputs are not modified. McNemar panics if their lengths differ.
func McNemar(aCorrect, bCorrect []bool) McNemarResult {
	if len(aCorrect) != len(bCorrect) {
		panic("metrics: paired inputs differ in length")
	}
	var r McNemarResult
	for i, a := range aCorrect {
		switch b := bCorrect[i]; {
		case a && !b:
			r.B++
		case !a && b:
			r.C++
		}
	}
	n := r.B + r.C
	if n < mcNemarExactBelow {
		r.Exact = true
		k := min(r.B, r.C)
		r.Statistic = float64(k)
		r.P = min(1, 2*binomHalfCDF(k, n))
		return r
	}
	d := math.Abs(float64(r.B-r.C)) - 1
	r.Statistic = d * d / float64(n)
	r.P = distuv.ChiSquared{K: 1}.Survival(r.Statistic)
	return r
}

// binomHalfCDF returns P(X <= k) for X ~ Binomial(n, 1/2). It is exact up
// to rounding for the small n McNemar uses it for.
func binomHalfCDF(k, n int64) float64 {
	var sum, coef float64 = 0, 1 // coef = C(n, i)
	for i := int64(0); i <= k; i++ {
		sum += coef
		coef = coef * float64(n-i) / float64(i+1)
	}
	return math.Ldexp(sum, -int(n))
}
