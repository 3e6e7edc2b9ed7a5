package metrics

import (
	"cmp"
	"math"
	"slices"
)

// Ranking accumulates (score, gold) pairs of one binary label for
// threshold-free metrics. Scores[i] is the model's score of item i and
// Gold[i] whether the item is positive; a higher score means more
// positive. The item order does not matter to any metric.
//
// The zero value is an empty Ranking ready to use. A Ranking is not safe for
// concurrent writes. Metric methods do not modify Scores or Gold; they panic
// if the two slices have different lengths or a score is NaN.
type Ranking struct {
	Scores []float64
	Gold   []bool
}

// Reset empties r, keeping the allocated storage.
func (r *Ranking) Reset() {
	r.Scores = r.Scores[:0]
	r.Gold = r.Gold[:0]
}

// Add records one item. It panics if score is NaN.
func (r *Ranking) Add(score float64, gold bool) {
	if math.IsNaN(score) {
		panic("metrics: NaN score")
	}
	r.Scores = append(r.Scores, score)
	r.Gold = append(r.Gold, gold)
}

// Merge appends the items of o to r. o is not modified.
func (r *Ranking) Merge(o *Ranking) {
	r.Scores = append(r.Scores, o.Scores...)
	r.Gold = append(r.Gold, o.Gold...)
}

// step is the cumulative confusion at one distinct score: predicting
// positive when score >= threshold gives tp true and fp false positives.
type step struct {
	threshold float64
	tp, fp    int64 // cumulative, at and above threshold
	pos, neg  int64 // items at exactly threshold
}

// steps returns one step per distinct score, in descending score order,
// and the total numbers of positives and negatives.
func (r *Ranking) steps() (st []step, p, n int64) {
	if len(r.Scores) != len(r.Gold) {
		panic("metrics: Scores and Gold lengths differ")
	}
	type item struct {
		score float64
		gold  bool
	}
	items := make([]item, len(r.Scores))
	for i, s := range r.Scores {
		if math.IsNaN(s) {
			panic("metrics: NaN score")
		}
		items[i] = item{s, r.Gold[i]}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(b.score, a.score) })
	var tp, fp int64
	for i, it := range items {
		if i == 0 || it.score != items[i-1].score {
			st = append(st, step{threshold: it.score, tp: tp, fp: fp})
		}
		s := &st[len(st)-1]
		if it.gold {
			tp++
			s.pos++
		} else {
			fp++
			s.neg++
		}
		s.tp, s.fp = tp, fp
	}
	return st, tp, fp
}

// ROCAUC returns the area under the ROC curve, computed as the Mann–Whitney
// U statistic over P·N with tied scores given their average rank:
//
//	AUC = (Σ rank(positive) − P(P+1)/2) / (P·N)
//
// with ranks 1..P+N in ascending score order. This equals the trapezoidal
// area of sklearn.metrics.roc_auc_score. It is NaN if there are no
// positives or no negatives.
func (r *Ranking) ROCAUC() float64 {
	st, p, n := r.steps()
	if p == 0 || n == 0 {
		return math.NaN()
	}
	// Count, for each positive, the negatives scored below it plus half of
	// those tied with it; this is U = Σ rank(positive) − P(P+1)/2. Twice U
	// is an integer, so the sum is exact.
	var twiceU, negBelow int64
	for i := len(st) - 1; i >= 0; i-- {
		twiceU += st[i].pos * (2*negBelow + st[i].neg)
		negBelow += st[i].neg
	}
	return float64(twiceU) / (2 * float64(p) * float64(n))
}

// PRAUC returns the average precision, as defined by
// sklearn.metrics.average_precision_score: with one threshold per distinct
// score in descending order,
//
//	AP = Σ_k (R_k − R_{k−1}) · P_k,   R_0 = 0,
//
// where P_k and R_k are the precision and recall of predicting score >=
// threshold_k. Tied scores form a single step and there is no
// interpolation. It is NaN if there are no positives.
func (r *Ranking) PRAUC() float64 {
	st, p, _ := r.steps()
	if p == 0 {
		return math.NaN()
	}
	var ap float64
	for _, s := range st {
		if s.pos == 0 {
			continue // recall does not move
		}
		ap += float64(s.pos) / float64(p) * float64(s.tp) / float64(s.tp+s.fp)
	}
	return ap
}

// ThresholdForRecall returns the largest threshold t such that predicting
// score >= t has recall >= target, and the precision at t. Thresholds range
// over the observed scores, so a target <= 0 gives the highest score. Both
// results are NaN if there are no positives or no threshold reaches target
// (target > 1 or NaN).
func (r *Ranking) ThresholdForRecall(target float64) (t, precision float64) {
	st, p, _ := r.steps()
	if p == 0 {
		return math.NaN(), math.NaN()
	}
	for _, s := range st {
		if float64(s.tp)/float64(p) >= target {
			return s.threshold, float64(s.tp) / float64(s.tp+s.fp)
		}
	}
	return math.NaN(), math.NaN()
}

// ThresholdForF1 returns the threshold t among the observed scores that
// maximizes F1 = 2TP/(2TP+FP+FN) of predicting score >= t, and that F1.
// Among equal F1 values the largest threshold wins. Both results are NaN if
// there are no positives.
func (r *Ranking) ThresholdForF1() (t, f1 float64) {
	st, p, _ := r.steps()
	if p == 0 {
		return math.NaN(), math.NaN()
	}
	t, f1 = math.NaN(), math.Inf(-1)
	for _, s := range st {
		fn := p - s.tp
		if v := float64(2*s.tp) / float64(2*s.tp+s.fp+fn); v > f1 {
			t, f1 = s.threshold, v
		}
	}
	return t, f1
}

// CurvePoint is one operating point of predicting score >= Threshold.
// FPR is FP/N, the false positive rate.
type CurvePoint struct {
	Threshold, Precision, Recall, FPR float64
}

// Curve returns one point per distinct score, in descending threshold
// order, in a newly allocated slice. Precision is always defined because at
// least one item is predicted at every point; Recall is NaN if there are no
// positives and FPR is NaN if there are no negatives. Curve is nil for an
// empty Ranking.
func (r *Ranking) Curve() []CurvePoint {
	st, p, n := r.steps()
	if len(st) == 0 {
		return nil
	}
	out := make([]CurvePoint, len(st))
	for i, s := range st {
		out[i] = CurvePoint{
			Threshold: s.threshold,
			Precision: float64(s.tp) / float64(s.tp+s.fp),
			Recall:    ratio(s.tp, p),
			FPR:       ratio(s.fp, n),
		}
	}
	return out
}
