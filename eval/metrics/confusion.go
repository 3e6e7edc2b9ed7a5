package metrics

import (
	"math"
	"slices"
)

// Confusion accumulates single-label predictions in a confusion matrix.
// Counts[gold][pred] is the number of items with gold label index gold that
// were predicted as pred. Labels[i] names index i.
//
// A Confusion is not safe for concurrent writes.
type Confusion struct {
	Labels []string
	Counts [][]int64
}

// NewConfusion returns an empty k×k confusion matrix for the given labels,
// k = len(labels). The labels slice is copied.
func NewConfusion(labels []string) *Confusion {
	c := &Confusion{Labels: slices.Clone(labels)}
	c.Counts = make([][]int64, len(labels))
	flat := make([]int64, len(labels)*len(labels))
	for i := range c.Counts {
		c.Counts[i] = flat[i*len(labels) : (i+1)*len(labels) : (i+1)*len(labels)]
	}
	return c
}

// Reset sets all counts to zero, keeping the labels.
func (c *Confusion) Reset() {
	for _, row := range c.Counts {
		clear(row)
	}
}

// Add records one item with gold label index gold predicted as pred.
// It panics if either index is out of range.
func (c *Confusion) Add(gold, pred int) {
	if uint(gold) >= uint(len(c.Counts)) || uint(pred) >= uint(len(c.Counts[gold])) {
		panic("metrics: label index out of range")
	}
	c.Counts[gold][pred]++
}

// Merge adds the counts of o into c, so that c describes the union of both
// sets of items. o is not modified. It returns [ErrLabelMismatch], leaving c
// unchanged, if the labels differ.
func (c *Confusion) Merge(o *Confusion) error {
	if !slices.Equal(c.Labels, o.Labels) || !sameShape(c.Counts, o.Counts) {
		return ErrLabelMismatch
	}
	for i, row := range o.Counts {
		for j, v := range row {
			c.Counts[i][j] += v
		}
	}
	return nil
}

func sameShape(a, b [][]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}

// N returns the number of items added.
func (c *Confusion) N() int64 {
	var n int64
	for _, row := range c.Counts {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Accuracy returns the fraction of items whose prediction equals the gold
// label, Σ_i Counts[i][i] / N. It is NaN when N is 0.
func (c *Confusion) Accuracy() float64 {
	var hit int64
	for i, row := range c.Counts {
		hit += row[i]
	}
	return ratio(hit, c.N())
}

// ClassStats holds the one-vs-rest metrics of one class or label.
// Precision is NaN when the class was never predicted, Recall is NaN when
// Support is 0, and F1 = 2TP/(2TP+FP+FN) is NaN only when the class appears
// neither in the gold labels nor in the predictions.
type ClassStats struct {
	Label                 string
	Precision, Recall, F1 float64
	Support               int64 // number of gold items of the class, TP+FN
}

func classStats(label string, tp, fp, fn int64) ClassStats {
	return ClassStats{
		Label:     label,
		Precision: ratio(tp, tp+fp),
		Recall:    ratio(tp, tp+fn),
		F1:        ratio(2*tp, 2*tp+fp+fn),
		Support:   tp + fn,
	}
}

// ratio returns num/den, or NaN when den is 0.
func ratio(num, den int64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// PerClass returns the one-vs-rest statistics of every class, in label
// order, in a newly allocated slice.
func (c *Confusion) PerClass() []ClassStats {
	k := len(c.Counts)
	predicted := make([]int64, k)
	for _, row := range c.Counts {
		for j, v := range row {
			predicted[j] += v
		}
	}
	out := make([]ClassStats, k)
	for i, row := range c.Counts {
		var support int64
		for _, v := range row {
			support += v
		}
		tp := row[i]
		out[i] = classStats(c.label(i), tp, predicted[i]-tp, support-tp)
	}
	return out
}

func (c *Confusion) label(i int) string {
	if i < len(c.Labels) {
		return c.Labels[i]
	}
	return ""
}

// MacroF1 returns the unweighted mean F1 over the classes that have
// support > 0 or were predicted at least once. Classes absent from both the
// gold labels and the predictions are skipped rather than counted as 0,
// like sklearn.metrics.f1_score(average="macro") with labels=None, which
// uses the labels present in y_true or y_pred. It is NaN when N is 0.
func (c *Confusion) MacroF1() float64 {
	return macroF1(c.PerClass())
}

// WeightedF1 returns the mean F1 over classes weighted by support,
// Σ_i F1_i·support_i / N, like sklearn.metrics.f1_score(average="weighted").
// It is NaN when N is 0.
func (c *Confusion) WeightedF1() float64 {
	var sum float64
	var n int64
	for _, s := range c.PerClass() {
		if s.Support == 0 {
			continue
		}
		sum += s.F1 * float64(s.Support)
		n += s.Support
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// macroF1 averages the defined F1 values of stats, NaN if none is defined.
func macroF1(stats []ClassStats) float64 {
	var sum float64
	var n int
	for _, s := range stats {
		if math.IsNaN(s.F1) {
			continue
		}
		sum += s.F1
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
