package metrics

import "math"

// Calibration accumulates predicted confidences against outcomes in Bins
// equal-width bins over [0, 1]. Bin i covers [i/Bins, (i+1)/Bins), and the
// last bin also holds confidence 1. Count[i] is the number of items in bin
// i, SumConf[i] the sum of their confidences and SumHit[i] the number of
// them that were correct.
//
// Use [NewCalibration]; a Calibration is not safe for concurrent writes.
type Calibration struct {
	Bins            int
	Count           []int64
	SumConf, SumHit []float64
}

// NewCalibration returns an empty accumulator with the given number of bins.
// It panics if bins < 1.
func NewCalibration(bins int) *Calibration {
	if bins < 1 {
		panic("metrics: calibration needs at least one bin")
	}
	return &Calibration{
		Bins:    bins,
		Count:   make([]int64, bins),
		SumConf: make([]float64, bins),
		SumHit:  make([]float64, bins),
	}
}

// Reset sets all bins to empty, keeping the bin count.
func (c *Calibration) Reset() {
	clear(c.Count)
	clear(c.SumConf)
	clear(c.SumHit)
}

// Add records one prediction made with the given confidence (the predicted
// probability of being correct) and whether it was correct. The bin index
// is i with i/Bins <= confidence < (i+1)/Bins, computed in float64 as the
// bounds in [Calibration.Table] are, and Bins−1 for confidence 1. It panics if confidence is
// outside [0, 1] or NaN.
func (c *Calibration) Add(confidence float64, correct bool) {
	if !(confidence >= 0 && confidence <= 1) {
		panic("metrics: confidence outside [0, 1]")
	}
	c.add(c.bin(confidence), confidence, correct)
}

// bin returns the index of the bin holding confidence, consistent with the
// bounds Table reports: floor(confidence·Bins) can land one bin off when
// confidence sits on a boundary i/Bins that is not exact in binary.
func (c *Calibration) bin(confidence float64) int {
	b := float64(c.Bins)
	i := min(int(confidence*b), c.Bins-1)
	switch {
	case i > 0 && confidence < float64(i)/b:
		i--
	case i < c.Bins-1 && confidence >= float64(i+1)/b:
		i++
	}
	return i
}

func (c *Calibration) add(i int, confidence float64, correct bool) {
	c.Count[i]++
	c.SumConf[i] += confidence
	if correct {
		c.SumHit[i]++
	}
}

// Merge adds the bins of o into c, so that c describes the union of both
// sets of items, up to floating-point rounding of SumConf. o is not
// modified. It returns [ErrBinMismatch], leaving c unchanged, if the bin
// counts differ.
func (c *Calibration) Merge(o *Calibration) error {
	if c.Bins != o.Bins || !c.wellFormed() || !o.wellFormed() {
		return ErrBinMismatch
	}
	for i := range c.Bins {
		c.Count[i] += o.Count[i]
		c.SumConf[i] += o.SumConf[i]
		c.SumHit[i] += o.SumHit[i]
	}
	return nil
}

func (c *Calibration) wellFormed() bool {
	return len(c.Count) == c.Bins && len(c.SumConf) == c.Bins && len(c.SumHit) == c.Bins
}

// ECE returns the expected calibration error,
//
//	ECE = Σ_b (n_b/N)·|acc_b − conf_b| = Σ_b |SumHit_b − SumConf_b| / N,
//
// the support-weighted mean gap between accuracy and mean confidence per
// bin (Naeini et al. 2015; Guo et al. 2017). It is NaN when N is 0.
func (c *Calibration) ECE() float64 {
	var n int64
	var gap float64
	for i, k := range c.Count {
		n += k
		gap += math.Abs(c.SumHit[i] - c.SumConf[i])
	}
	if n == 0 {
		return math.NaN()
	}
	return gap / float64(n)
}

// ReliabilityBin is one row of a reliability diagram: the items with
// confidence in [Lo, Hi), their mean confidence and their accuracy. Both
// means are NaN for an empty bin.
type ReliabilityBin struct {
	Lo, Hi         float64
	Count          int64
	MeanConfidence float64
	Accuracy       float64
}

// Table returns every bin, empty ones included, in ascending order, in a
// newly allocated slice.
func (c *Calibration) Table() []ReliabilityBin {
	out := make([]ReliabilityBin, c.Bins)
	for i := range out {
		b := ReliabilityBin{
			Lo:             float64(i) / float64(c.Bins),
			Hi:             float64(i+1) / float64(c.Bins),
			Count:          c.Count[i],
			MeanConfidence: math.NaN(),
			Accuracy:       math.NaN(),
		}
		if b.Count > 0 {
			b.MeanConfidence = c.SumConf[i] / float64(b.Count)
			b.Accuracy = c.SumHit[i] / float64(b.Count)
		}
		out[i] = b
	}
	return out
}
