package metrics

import (
	"math"

	"gonum.org/v1/gonum/floats/scalar"
)

// tol is the tolerance for values derived by hand as fractions.
const tol = 1e-12

// same reports whether a and b are within tol of each other, treating NaN
// as equal to NaN.
func same(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return scalar.EqualWithinAbsOrRel(a, b, tol, tol)
}

func sameInterval(a, b Interval, tol float64) bool {
	return same(a.Lo, b.Lo, tol) && same(a.Hi, b.Hi, tol)
}

func sameStats(a, b []ClassStats, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Label != b[i].Label || a[i].Support != b[i].Support ||
			!same(a[i].Precision, b[i].Precision, tol) ||
			!same(a[i].Recall, b[i].Recall, tol) ||
			!same(a[i].F1, b[i].F1, tol) {
			return false
		}
	}
	return true
}

// panics reports whether f panics.
func panics(f func()) (b bool) {
	defer func() {
		if recover() != nil {
			b = true
		}
	}()
	f()
	return false
}

var nan = math.NaN()
