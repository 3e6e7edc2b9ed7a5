package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval/metrics"
)

// Item is the outcome of a model on one record.
type Item struct {
	ID     string
	Gold   uint64    // bit set of gold labels (single-label: one bit)
	Pred   uint64    // bit set of predicted labels
	Probs  []float32 // per-label probabilities
	Slices []string  // slice values, aligned with Accumulator.SliceKeys
}

// Accumulator collects the outcomes of one model on a data set. Not safe for concurrent use.
type Accumulator struct {
	Labels    []string
	Multi     bool
	SliceKeys []string
	Items     []Item
}

// NewAccumulator returns an empty accumulator for a model's labels, slicing by the given record
// fields (see FieldValue).
func NewAccumulator(labels []string, multi bool, sliceKeys []string) *Accumulator {
	return &Accumulator{Labels: slices.Clone(labels), Multi: multi, SliceKeys: slices.Clone(sliceKeys)}
}

// ErrNoItems is returned by Predict when no record carries the model's target.
var ErrNoItems = errors.New("eval: no record carries the model's target (wrong split, data or target?)")

// ErrMismatch is returned when merging accumulators of different models or slicings.
var ErrMismatch = errors.New("eval: accumulators differ in labels, target or slices")

// Merge appends o's items to a.
func (a *Accumulator) Merge(o *Accumulator) error {
	if !slices.Equal(a.Labels, o.Labels) || a.Multi != o.Multi || !slices.Equal(a.SliceKeys, o.SliceKeys) {
		return ErrMismatch
	}
	a.Items = append(a.Items, o.Items...)
	return nil
}

// DefaultSliceKeys are the breakdowns every evaluation reports.
var DefaultSliceKeys = []string{"lang", "surface", "region"}

// FieldValue returns a record field by name for slicing: lang, split, surface, region, label,
// group, conversation, user, or source.KEY (a top-level key of the source object). Absent values
// are "".
func FieldValue(r *corpora.Record, name string) (string, error) {
	switch name {
	case "lang":
		return r.Lang, nil
	case "split":
		return r.Split, nil
	case "surface":
		return r.Surface, nil
	case "region":
		return r.Region, nil
	case "label":
		return r.Label, nil
	case "group":
		return r.Group, nil
	case "conversation":
		return r.Conversation, nil
	case "user":
		return r.User, nil
	}
	if key, ok := strings.CutPrefix(name, "source."); ok {
		if len(r.Source) == 0 {
			return "", nil
		}
		var src map[string]json.RawMessage
		if err := json.Unmarshal(r.Source, &src); err != nil {
			return "", err
		}
		v := src[key]
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s, nil
		}
		return string(v), nil
	}
	return "", fmt.Errorf("eval: unknown field %q for --by (want lang, split, surface, region, label, group, conversation, user or source.KEY)", name)
}

// Predict runs m over the records that carry its target and returns their outcomes. Records
// whose target is unlabeled are skipped (they cannot be scored).
func Predict(m *classify.Model, recs []corpora.Record, sliceKeys []string) (*Accumulator, error) {
	exs, _, err := classify.Examples(recs, m.Target, m.Labels)
	if err != nil {
		return nil, err
	}
	if len(exs) == 0 {
		return nil, fmt.Errorf("%w: %d records, none labeled for %q", ErrNoItems, len(recs), m.Target)
	}
	byID := make(map[string]*corpora.Record, len(recs))
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
	}
	acc := NewAccumulator(m.Labels, m.MultiLabel(), sliceKeys)
	var f classify.Features
	var buf []float32
	for _, ex := range exs {
		m.Featurize(&f, ex.Text, ex.Context)
		buf = m.Probabilities(m.Logits(buf, &f))
		it := Item{ID: ex.ID, Pred: m.Decide(buf), Probs: slices.Clone(buf)}
		for _, l := range ex.Labels {
			it.Gold |= 1 << l
		}
		r := byID[ex.ID]
		for _, k := range sliceKeys {
			v, err := FieldValue(r, k)
			if err != nil {
				return nil, err
			}
			it.Slices = append(it.Slices, v)
		}
		acc.Items = append(acc.Items, it)
	}
	for k, key := range sliceKeys {
		if !strings.HasPrefix(key, "source.") {
			continue
		}
		found := false
		for i := range acc.Items {
			if acc.Items[i].Slices[k] != "" {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("eval: --by %s: no record has that source key", key)
		}
	}
	return acc, nil
}

// Options configure Result. The zero value gives 1000 bootstrap resamples with seed 1; a Reps
// below 1 means the default.
type Options struct {
	Reps int
	Seed uint64
	Bins int // calibration bins (default 10)
}

func (o *Options) defaults() {
	if o.Reps <= 0 {
		o.Reps = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Bins == 0 {
		o.Bins = 10
	}
}

// ClassResult holds the metrics of one label.
type ClassResult struct {
	Precision   Num   `json:"precision"`
	PrecisionCI CI    `json:"precision_ci"`
	Recall      Num   `json:"recall"`
	RecallCI    CI    `json:"recall_ci"`
	F1          Num   `json:"f1"`
	Support     int64 `json:"support"`
	Predicted   int64 `json:"predicted"`
	PRAUC       Num   `json:"pr_auc"`
	ROCAUC      Num   `json:"roc_auc"`
	// PrecisionAtRecall90 is the best precision of any threshold that keeps recall >= 0.9 on
	// these items (threshold-free: it says what the model could reach, not what its stored
	// threshold does).
	PrecisionAtRecall90 Num `json:"precision_at_recall_0.9"`
}

// Result is an evaluation. JSON keys are stable: gates read them.
type Result struct {
	N           int                      `json:"n"`
	Accuracy    Num                      `json:"accuracy"` // single-label; subset (exact-match) accuracy for label sets
	AccuracyCI  CI                       `json:"accuracy_ci"`
	MacroF1     Num                      `json:"macro_f1"`
	MacroF1CI   CI                       `json:"macro_f1_ci"`
	MicroF1     Num                      `json:"micro_f1"`
	MicroF1CI   CI                       `json:"micro_f1_ci"`
	WeightedF1  Num                      `json:"weighted_f1"`
	ECE         Num                      `json:"ece"`
	PerClass    map[string]*ClassResult  `json:"per_class"`
	Labels      []string                 `json:"labels"`
	Confusion   [][]int64                `json:"confusion,omitempty"` // single-label: [gold][pred]
	Reliability []ReliabilityBin         `json:"reliability"`
	Slices      map[string][]SliceResult `json:"slices,omitempty"`
	// Cooccurrence counts, for label sets, items with gold label g and predicted label p.
	Cooccurrence [][]int64 `json:"cooccurrence,omitempty"`
}

// ReliabilityBin is one row of the reliability table.
type ReliabilityBin struct {
	Lo, Hi         Num
	Count          int64
	MeanConfidence Num `json:"mean_confidence"`
	Accuracy       Num
}

// SliceResult is the headline of one slice value.
type SliceResult struct {
	Value    string           `json:"value"`
	N        int              `json:"n"`
	Accuracy Num              `json:"accuracy"`
	MacroF1  Num              `json:"macro_f1"`
	MicroF1  Num              `json:"micro_f1"`
	Recall   map[string]Num   `json:"recall"`
	Prec     map[string]Num   `json:"precision"`
	Support  map[string]int64 `json:"support"`
	// PrecisionAtRecall90 per label, as in ClassResult.
	PrecisionAtRecall90 map[string]Num `json:"precision_at_recall_0.9"`
}

// counts computes per-label tp, fp, fn over the items at idx (all items when idx is nil).
func (a *Accumulator) counts(idx []int, tp, fp, fn []int64) {
	clear(tp)
	clear(fp)
	clear(fn)
	visit := func(it *Item) {
		for l := range a.Labels {
			g, p := it.Gold&(1<<l) != 0, it.Pred&(1<<l) != 0
			switch {
			case g && p:
				tp[l]++
			case p:
				fp[l]++
			case g:
				fn[l]++
			}
		}
	}
	if idx == nil {
		for i := range a.Items {
			visit(&a.Items[i])
		}
		return
	}
	for _, i := range idx {
		visit(&a.Items[i])
	}
}

// headline computes accuracy, macro F1 (labels with support or predictions) and micro F1.
func headline(items []Item, idx []int, tp, fp, fn []int64) (acc, macro, micro float64) {
	var right, n int
	count := func(it *Item) {
		n++
		if it.Gold == it.Pred {
			right++
		}
	}
	if idx == nil {
		for i := range items {
			count(&items[i])
		}
	} else {
		for _, i := range idx {
			count(&items[i])
		}
	}
	var sTP, sFP, sFN int64
	var sum float64
	k := 0
	for l := range tp {
		sTP, sFP, sFN = sTP+tp[l], sFP+fp[l], sFN+fn[l]
		if tp[l]+fp[l]+fn[l] == 0 {
			continue
		}
		sum += 2 * float64(tp[l]) / float64(2*tp[l]+fp[l]+fn[l])
		k++
	}
	acc, macro, micro = nan, nan, nan
	if n > 0 {
		acc = float64(right) / float64(n)
	}
	if k > 0 {
		macro = sum / float64(k)
	}
	if d := 2*sTP + sFP + sFN; d > 0 {
		micro = 2 * float64(sTP) / float64(d)
	}
	return acc, macro, micro
}

// Result computes every metric of the accumulated items.
func (a *Accumulator) Result(opts Options) *Result {
	opts.defaults()
	L := len(a.Labels)
	tp, fp, fn := make([]int64, L), make([]int64, L), make([]int64, L)
	a.counts(nil, tp, fp, fn)
	res := &Result{N: len(a.Items), Labels: a.Labels, PerClass: map[string]*ClassResult{}}
	acc, macro, micro := headline(a.Items, nil, tp, fp, fn)
	res.Accuracy, res.MacroF1, res.MicroF1 = Num(acc), Num(macro), Num(micro)
	// Bootstrap the three headlines on the same resamples.
	btp, bfp, bfn := make([]int64, L), make([]int64, L), make([]int64, L)
	var stats [3][]float64
	metrics.Bootstrap(len(a.Items), opts.Reps, opts.Seed, 0, func(idx []int) float64 {
		a.counts(idx, btp, bfp, bfn)
		x, y, z := headline(a.Items, idx, btp, bfp, bfn)
		stats[0], stats[1], stats[2] = append(stats[0], x), append(stats[1], y), append(stats[2], z)
		return x
	})
	res.AccuracyCI, res.MacroF1CI, res.MicroF1CI = percentile(stats[0]), percentile(stats[1]), percentile(stats[2])

	var wsum float64
	var wn int64
	for l, name := range a.Labels {
		c := &ClassResult{Support: tp[l] + fn[l], Predicted: tp[l] + fp[l]}
		c.Precision, c.Recall, c.F1 = ratio(tp[l], tp[l]+fp[l]), ratio(tp[l], tp[l]+fn[l]), ratio(2*tp[l], 2*tp[l]+fp[l]+fn[l])
		c.PrecisionCI = wilson(tp[l], tp[l]+fp[l])
		c.RecallCI = wilson(tp[l], tp[l]+fn[l])
		var r metrics.Ranking
		for i := range a.Items {
			r.Add(float64(a.Items[i].Probs[l]), a.Items[i].Gold&(1<<l) != 0)
		}
		c.PRAUC, c.ROCAUC = Num(r.PRAUC()), Num(r.ROCAUC())
		_, p90 := r.ThresholdForRecall(0.9)
		c.PrecisionAtRecall90 = Num(p90)
		res.PerClass[name] = c
		if !c.F1.IsNaN() {
			wsum += float64(c.F1) * float64(c.Support)
			wn += c.Support
		}
	}
	res.WeightedF1 = Num(nan)
	if wn > 0 {
		res.WeightedF1 = Num(wsum / float64(wn))
	}
	cal := metrics.NewCalibration(opts.Bins)
	for i := range a.Items {
		it := &a.Items[i]
		if a.Multi {
			for l := range a.Labels {
				cal.Add(clamp01(float64(it.Probs[l])), it.Gold&(1<<l) != 0)
			}
			continue
		}
		best := 0
		for l, p := range it.Probs {
			if p > it.Probs[best] {
				best = l
			}
		}
		cal.Add(clamp01(float64(it.Probs[best])), it.Gold&(1<<best) != 0)
	}
	res.ECE = Num(cal.ECE())
	for _, b := range cal.Table() {
		res.Reliability = append(res.Reliability, ReliabilityBin{Num(b.Lo), Num(b.Hi), b.Count, Num(b.MeanConfidence), Num(b.Accuracy)})
	}
	if !a.Multi {
		res.Confusion = make([][]int64, L)
		for l := range res.Confusion {
			res.Confusion[l] = make([]int64, L)
		}
		for i := range a.Items {
			it := &a.Items[i]
			res.Confusion[bits.TrailingZeros64(it.Gold)][bits.TrailingZeros64(it.Pred)]++
		}
	}
	if a.Multi {
		res.Cooccurrence = make([][]int64, L)
		for g := range L {
			res.Cooccurrence[g] = make([]int64, L)
			for i := range a.Items {
				it := &a.Items[i]
				if it.Gold&(1<<g) == 0 {
					continue
				}
				for p := range L {
					if it.Pred&(1<<p) != 0 {
						res.Cooccurrence[g][p]++
					}
				}
			}
		}
	}
	res.Slices = a.slices()
	return res
}

func (a *Accumulator) slices() map[string][]SliceResult {
	if len(a.SliceKeys) == 0 {
		return nil
	}
	out := map[string][]SliceResult{}
	L := len(a.Labels)
	tp, fp, fn := make([]int64, L), make([]int64, L), make([]int64, L)
	for k, key := range a.SliceKeys {
		groups := map[string][]int{}
		for i := range a.Items {
			v := a.Items[i].Slices[k]
			groups[v] = append(groups[v], i)
		}
		values := make([]string, 0, len(groups))
		for v := range groups {
			values = append(values, v)
		}
		sort.Strings(values)
		for _, v := range values {
			idx := groups[v]
			a.counts(idx, tp, fp, fn)
			acc, macro, micro := headline(a.Items, idx, tp, fp, fn)
			s := SliceResult{Value: v, N: len(idx), Accuracy: Num(acc), MacroF1: Num(macro), MicroF1: Num(micro),
				Recall: map[string]Num{}, Prec: map[string]Num{}, Support: map[string]int64{}, PrecisionAtRecall90: map[string]Num{}}
			for l, name := range a.Labels {
				var r metrics.Ranking
				for _, i := range idx {
					r.Add(float64(a.Items[i].Probs[l]), a.Items[i].Gold&(1<<l) != 0)
				}
				_, p90 := r.ThresholdForRecall(0.9)
				s.PrecisionAtRecall90[name] = Num(p90)
				s.Recall[name] = ratio(tp[l], tp[l]+fn[l])
				s.Prec[name] = ratio(tp[l], tp[l]+fp[l])
				s.Support[name] = tp[l] + fn[l]
			}
			out[key] = append(out[key], s)
		}
	}
	return out
}

var nan = func() float64 { var z float64; return z / z }()

func ratio(a, b int64) Num {
	if b == 0 {
		return Num(nan)
	}
	return Num(float64(a) / float64(b))
}

func wilson(k, n int64) CI {
	iv := metrics.Wilson(k, n, 0)
	return CI{Num(iv.Lo), Num(iv.Hi)}
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }

// percentile returns the 2.5% and 97.5% quantiles of the non-NaN values.
func percentile(xs []float64) CI {
	var v []float64
	for _, x := range xs {
		if x == x {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return CI{Num(nan), Num(nan)}
	}
	slices.Sort(v)
	q := func(p float64) Num {
		h := p * float64(len(v)-1)
		lo := int(h)
		if lo+1 >= len(v) {
			return Num(v[lo])
		}
		return Num(v[lo] + (h-float64(lo))*(v[lo+1]-v[lo]))
	}
	return CI{q(0.025), q(0.975)}
}
