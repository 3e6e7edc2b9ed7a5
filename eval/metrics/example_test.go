package metrics_test

import (
	"fmt"

	"github.com/leakbench/leakbench/eval/metrics"
)

func ExampleConfusion() {
	c := metrics.NewConfusion([]string{"clean", "leak", "unsure"})
	for _, p := range [][2]int{{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 0}, {1, 1}} {
		c.Add(p[0], p[1])
	}
	for _, s := range c.PerClass() {
		fmt.Printf("%-6s P=%.3f R=%.3f F1=%.3f n=%d\n", s.Label, s.Precision, s.Recall, s.F1, s.Support)
	}
	fmt.Printf("accuracy=%.3f macroF1=%.3f\n", c.Accuracy(), c.MacroF1())
	// Output:
	// clean  P=0.667 R=0.667 F1=0.667 n=3
	// leak   P=0.667 R=0.667 F1=0.667 n=3
	// unsure P=NaN R=NaN F1=NaN n=0
	// accuracy=0.667 macroF1=0.667
}

func ExampleRanking() {
	var r metrics.Ranking
	scores := []float64{0.1, 0.4, 0.35, 0.8}
	gold := []bool{false, false, true, true}
	for i, s := range scores {
		r.Add(s, gold[i])
	}
	fmt.Printf("ROC-AUC=%.4f AP=%.4f\n", r.ROCAUC(), r.PRAUC())
	t, p := r.ThresholdForRecall(1)
	fmt.Printf("recall 1 at t=%v with precision %.4f\n", t, p)
	t, f1 := r.ThresholdForF1()
	fmt.Printf("best F1 %.2f at t=%v\n", f1, t)
	// Output:
	// ROC-AUC=0.7500 AP=0.8333
	// recall 1 at t=0.35 with precision 0.6667
	// best F1 0.80 at t=0.35
}

func ExampleBootstrap() {
	correct := []bool{true, true, false, true, true, true, false, true, true, true}
	acc := func(idx []int) float64 {
		var k int
		for _, i := range idx {
			if correct[i] {
				k++
			}
		}
		return float64(k) / float64(len(idx))
	}
	ci := metrics.Bootstrap(len(correct), 2000, 1, 0.05, acc)
	fmt.Printf("accuracy 0.8, bootstrap 95%% CI [%.2f, %.2f]\n", ci.Lo, ci.Hi)
	w := metrics.Wilson(8, 10, 0)
	fmt.Printf("Wilson 95%% CI [%.3f, %.3f]\n", w.Lo, w.Hi)
	// Output:
	// accuracy 0.8, bootstrap 95% CI [0.50, 1.00]
	// Wilson 95% CI [0.490, 0.943]
}

func ExampleMcNemar() {
	// Model a fixes 10 items model b gets wrong; b fixes 2 that a gets wrong.
	var a, b []bool
	for i := range 40 {
		a = append(a, i < 30)                      // a right on items 0..29
		b = append(b, i < 20 || i >= 30 && i < 32) // b right on 0..19 and 30, 31
	}
	r := metrics.McNemar(a, b)
	fmt.Printf("B=%d C=%d exact=%v p=%.4f\n", r.B, r.C, r.Exact, r.P)
	// Output:
	// B=10 C=2 exact=true p=0.0386
}

func ExamplePairedBootstrap() {
	a := []float64{1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1}
	b := []float64{1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1}
	r := metrics.PairedBootstrap(a, b, 5000, 1)
	fmt.Printf("diff=%.2f CI=[%.2f, %.2f] p=%.3f\n", r.Diff, r.CI.Lo, r.CI.Hi, r.P)
	// Output:
	// diff=0.25 CI=[0.10, 0.45] p=0.019
}
