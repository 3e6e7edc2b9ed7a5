package eval

import (
	"math"
	"strconv"
)

// Num is a metric value. An undefined metric is NaN, written as JSON null and as "–" in text.
type Num float64

// MarshalJSON writes NaN and infinities as null and other values with at most 6 decimals, so
// reports are stable byte for byte.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(f*1e6)/1e6, 'f', -1, 64), nil
}

// UnmarshalJSON reads null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*n = Num(f)
	return err
}

// IsNaN reports whether n is undefined.
func (n Num) IsNaN() bool { return math.IsNaN(float64(n)) }

// String formats n with 3 decimals, "–" when undefined.
func (n Num) String() string {
	if n.IsNaN() {
		return "–"
	}
	return strconv.FormatFloat(float64(n), 'f', 3, 64)
}

// CI is a confidence interval [lo, hi], written as a two-element JSON array.
type CI [2]Num
