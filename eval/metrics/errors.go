package metrics

import "errors"

// ErrLabelMismatch is returned by [Confusion.Merge] and [MultiLabel.Merge]
// when the two accumulators do not have the same labels in the same order.
var ErrLabelMismatch = errors.New("metrics: labels differ")

// ErrBinMismatch is returned by [Calibration.Merge] when the two
// accumulators do not have the same number of bins.
var ErrBinMismatch = errors.New("metrics: bin counts differ")
