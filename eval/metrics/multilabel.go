package metrics

import "slices"

// MultiLabel accumulates per-label binary decisions for multi-label
// classification. For label i, TP[i], FP[i], FN[i] and TN[i] count the items
// where the label was gold and predicted, predicted only, gold only, and
// neither.
//
// A MultiLabel is not safe for concurrent writes.
type MultiLabel struct {
	Labels         []string
	TP, FP, FN, TN []int64
}

// NewMultiLabel returns an empty accumulator for the given labels. The
// labels slice is copied.
func NewMultiLabel(labels []string) *MultiLabel {
	k := len(labels)
	flat := make([]int64, 4*k)
	return &MultiLabel{
		Labels: slices.Clone(labels),
		TP:     flat[0*k : 1*k : 1*k],
		FP:     flat[1*k : 2*k : 2*k],
		FN:     flat[2*k : 3*k : 3*k],
		TN:     flat[3*k : 4*k : 4*k],
	}
}

// Reset sets all counts to zero, keeping the labels.
func (m *MultiLabel) Reset() {
	clear(m.TP)
	clear(m.FP)
	clear(m.FN)
	clear(m.TN)
}

// Add records the decisions of one item on every label: gold[i] and pred[i]
// say whether label i is gold and predicted. It panics unless both slices
// have length len(m.Labels). The slices are not kept.
func (m *MultiLabel) Add(gold, pred []bool) {
	if len(gold) != len(m.TP) || len(pred) != len(m.TP) {
		panic("metrics: decision length differs from label count")
	}
	for i, g := range gold {
		m.add(i, g, pred[i])
	}
}

// AddLabel records the decision of one item on label i only, for items that
// were labeled on a subset of the labels. It panics if i is out of range.
func (m *MultiLabel) AddLabel(i int, gold, pred bool) {
	if uint(i) >= uint(len(m.TP)) {
		panic("metrics: label index out of range")
	}
	m.add(i, gold, pred)
}

func (m *MultiLabel) add(i int, gold, pred bool) {
	switch {
	case gold && pred:
		m.TP[i]++
	case pred:
		m.FP[i]++
	case gold:
		m.FN[i]++
	default:
		m.TN[i]++
	}
}

// Merge adds the counts of o into m, so that m describes the union of both
// sets of items. o is not modified. It returns [ErrLabelMismatch], leaving m
// unchanged, if the labels differ.
func (m *MultiLabel) Merge(o *MultiLabel) error {
	k := len(m.Labels)
	if !slices.Equal(m.Labels, o.Labels) ||
		len(m.TP) != k || len(m.FP) != k || len(m.FN) != k || len(m.TN) != k ||
		len(o.TP) != k || len(o.FP) != k || len(o.FN) != k || len(o.TN) != k {
		return ErrLabelMismatch
	}
	for i := range k {
		m.TP[i] += o.TP[i]
		m.FP[i] += o.FP[i]
		m.FN[i] += o.FN[i]
		m.TN[i] += o.TN[i]
	}
	return nil
}

// PerLabel returns the statistics of every label, in label order, in a newly
// allocated slice. Support is TP+FN. See [ClassStats] for when a field is
// NaN.
func (m *MultiLabel) PerLabel() []ClassStats {
	out := make([]ClassStats, len(m.TP))
	for i := range out {
		var label string
		if i < len(m.Labels) {
			label = m.Labels[i]
		}
		out[i] = classStats(label, m.TP[i], m.FP[i], m.FN[i])
	}
	return out
}

// MicroF1 returns F1 over the counts pooled across labels,
// 2ΣTP / (2ΣTP + ΣFP + ΣFN), like sklearn.metrics.f1_score(average="micro")
// on a label indicator matrix. It is NaN when no label was gold or
// predicted.
func (m *MultiLabel) MicroF1() float64 {
	var tp, fp, fn int64
	for i := range m.TP {
		tp += m.TP[i]
		fp += m.FP[i]
		fn += m.FN[i]
	}
	return ratio(2*tp, 2*tp+fp+fn)
}

// MacroF1 returns the unweighted mean F1 over the labels that were gold or
// predicted at least once (TP+FP+FN > 0). Labels never seen on either side
// are skipped rather than counted as 0, as in [Confusion.MacroF1]; note that
// sklearn.metrics.f1_score(average="macro") on an indicator matrix instead
// counts them as zero_division. It is NaN when no label qualifies.
func (m *MultiLabel) MacroF1() float64 {
	return macroF1(m.PerLabel())
}
