package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
)

// pcgStream is the second PCG seed word. It is fixed so that a uint64 seed
// alone determines every resample; changing it changes every pinned
// interval.
const pcgStream = 0x6c65616b62656e63 // "leakbenc"

// DefaultAlpha is the significance level used when alpha is 0: a 95%
// interval.
const DefaultAlpha = 0.05

// Interval is a confidence interval [Lo, Hi]. Both ends are NaN when the
// interval is undefined.
type Interval struct {
	Lo, Hi float64
}

var nanInterval = Interval{math.NaN(), math.NaN()}

// Bootstrap returns the percentile bootstrap confidence interval of a
// statistic over n items (Efron & Tibshirani 1993, ch. 13). It draws reps
// resamples of n indices in [0, n) with replacement and calls stat on each;
// idx is reused between calls and stat must not keep or modify it.
// Resamples whose statistic is NaN are dropped. The interval ends are the
// alpha/2 and 1−alpha/2 quantiles of the remaining statistics, by linear
// interpolation between order statistics (Hyndman & Fan type 7, numpy's
// default). alpha 0 means [DefaultAlpha].
//
// The resamples come from a math/rand/v2 PCG source seeded with seed, so the
// same arguments give the same interval. The interval is NaN if n is 0 or
// every statistic is NaN. Bootstrap panics if n < 0, reps < 1 or alpha is
// not in [0, 1).
func Bootstrap(n, reps int, seed uint64, alpha float64, stat func(idx []int) float64) Interval {
	if alpha == 0 {
		alpha = DefaultAlpha
	}
	if !(alpha > 0 && alpha < 1) {
		panic("metrics: alpha outside (0, 1)")
	}
	return percentileInterval(replicates(n, reps, seed, stat), alpha)
}

// replicates returns the non-NaN values of stat over reps resamples, sorted
// ascending.
func replicates(n, reps int, seed uint64, stat func(idx []int) float64) []float64 {
	if n < 0 {
		panic("metrics: negative item count")
	}
	if reps < 1 {
		panic("metrics: reps must be positive")
	}
	if n == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, pcgStream))
	idx := make([]int, n)
	vals := make([]float64, 0, reps)
	for range reps {
		for j := range idx {
			idx[j] = rng.IntN(n)
		}
		if v := stat(idx); !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	return vals
}

func percentileInterval(sorted []float64, alpha float64) Interval {
	if len(sorted) == 0 {
		return nanInterval
	}
	return Interval{quantile7(sorted, alpha/2), quantile7(sorted, 1-alpha/2)}
}

// quantile7 returns the p-quantile of sorted data by linear interpolation
// between order statistics: h = (m−1)p, x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])
// (Hyndman & Fan 1996, definition 7).
func quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// DefaultZ is the normal quantile used by [Wilson] when z is 0: a two-sided
// 95% interval.
const DefaultZ = 1.959963984540054

// Wilson returns the Wilson score interval for k successes in n trials
// (Wilson 1927), with p = k/n:
//
//	center = (p + z²/2n) / (1 + z²/n)
//	half   = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²)
//
// z 0 means [DefaultZ]. Unlike the normal (Wald) interval it stays inside
// [0, 1] and is not degenerate at k = 0 or k = n. The interval is NaN when n
// is 0. Wilson panics if k < 0, n < 0 or k > n.
func Wilson(k, n int64, z float64) Interval {
	if k < 0 || n < 0 || k > n {
		panic("metrics: need 0 <= k <= n")
	}
	if n == 0 {
		return nanInterval
	}
	if z == 0 {
		z = DefaultZ
	}
	nf := float64(n)
	p := float64(k) / nf
	z = math.Abs(z)
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return Interval{max(center-half, 0), min(center+half, 1)}
}
