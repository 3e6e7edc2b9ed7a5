package eval

import (
	"fmt"

	"github.com/leakbench/leakbench/eval/metrics"
)

// Comparison pairs two models scored on the same items. A is the first model, B the second;
// differences are A − B.
type Comparison struct {
	N            int     `json:"n"`
	AccuracyA    Num     `json:"accuracy_a"`
	AccuracyB    Num     `json:"accuracy_b"`
	AccuracyDiff Num     `json:"accuracy_diff"`
	AccuracyCI   CI      `json:"accuracy_diff_ci"`
	AccuracyP    Num     `json:"accuracy_diff_p"` // paired bootstrap, two-sided
	MicroF1A     Num     `json:"micro_f1_a"`
	MicroF1B     Num     `json:"micro_f1_b"`
	MicroF1Diff  Num     `json:"micro_f1_diff"`
	MicroF1CI    CI      `json:"micro_f1_diff_ci"`
	MacroF1Diff  Num     `json:"macro_f1_diff"`
	MacroF1CI    CI      `json:"macro_f1_diff_ci"`
	McNemar      McNemar `json:"mcnemar"`
}

// McNemar is McNemar's test on per-item correctness (exact match for label sets): B items the
// first model alone gets right, C items the second alone gets right.
type McNemar struct {
	B         int64 `json:"a_only_right"`
	C         int64 `json:"b_only_right"`
	Statistic Num   `json:"statistic"`
	P         Num   `json:"p"`
	Exact     bool  `json:"exact"`
}

// Compare pairs the outcomes of two models on the same items (same ids, in the same order).
func Compare(a, b *Accumulator, opts Options) (*Comparison, error) {
	opts.defaults()
	if len(a.Items) != len(b.Items) || len(a.Labels) != len(b.Labels) || a.Multi != b.Multi {
		return nil, fmt.Errorf("%w: %d and %d items of %d and %d labels", ErrMismatch, len(a.Items), len(b.Items), len(a.Labels), len(b.Labels))
	}
	n := len(a.Items)
	ca, cb := make([]float64, n), make([]float64, n)
	ra, rb := make([]bool, n), make([]bool, n)
	for i := range a.Items {
		if a.Items[i].ID != b.Items[i].ID || a.Items[i].Gold != b.Items[i].Gold {
			return nil, fmt.Errorf("%w: item %d is %q for one model and %q for the other", ErrMismatch, i, a.Items[i].ID, b.Items[i].ID)
		}
		ra[i], rb[i] = a.Items[i].Gold == a.Items[i].Pred, b.Items[i].Gold == b.Items[i].Pred
		ca[i], cb[i] = b2f(ra[i]), b2f(rb[i])
	}
	c := &Comparison{N: n}
	pb := metrics.PairedBootstrap(ca, cb, opts.Reps, opts.Seed)
	c.AccuracyDiff, c.AccuracyCI, c.AccuracyP = Num(pb.Diff), CI{Num(pb.CI.Lo), Num(pb.CI.Hi)}, Num(pb.P)
	L := len(a.Labels)
	tp, fp, fn := make([]int64, L), make([]int64, L), make([]int64, L)
	heads := func(acc *Accumulator, idx []int) (float64, float64, float64) {
		acc.counts(idx, tp, fp, fn)
		return headline(acc.Items, idx, tp, fp, fn)
	}
	accA, macroA, microA := heads(a, nil)
	accB, macroB, microB := heads(b, nil)
	c.AccuracyA, c.AccuracyB = Num(accA), Num(accB)
	c.MicroF1A, c.MicroF1B, c.MicroF1Diff, c.MacroF1Diff = Num(microA), Num(microB), Num(microA-microB), Num(macroA-macroB)
	var macro, micro []float64
	metrics.Bootstrap(n, opts.Reps, opts.Seed, 0, func(idx []int) float64 {
		_, ma, mi := heads(a, idx)
		_, mb, mj := heads(b, idx)
		macro, micro = append(macro, ma-mb), append(micro, mi-mj)
		return mi - mj
	})
	c.MicroF1CI, c.MacroF1CI = percentile(micro), percentile(macro)
	mc := metrics.McNemar(ra, rb)
	c.McNemar = McNemar{B: mc.B, C: mc.C, Statistic: Num(mc.Statistic), P: Num(mc.P), Exact: mc.Exact}
	return c, nil
}
