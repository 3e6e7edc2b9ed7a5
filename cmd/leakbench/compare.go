package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval"
)

func runCompare(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("compare", stderr)
	data := fs.String("data", corpora.BuiltinName, "comma-separated `files`")
	split := fs.String("split", "test", "split to compare on (`name`; \"\" for all)")
	drop := fs.String("drop-label", "", "comma-separated dataset `labels` left out")
	asJSON := fs.Bool("json", false, "print JSON")
	seed := fs.Uint64("seed", 1, "`seed` for hash splits and bootstrap")
	reps := fs.Int("reps", 2000, "bootstrap `resamples`")
	// Models come first (leakbench compare A B --data ...), or after the flags.
	var models []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") && len(models) < 2 {
		models, args = append(models, args[0]), args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error()}
	}
	models = append(models, fs.Args()...)
	if err := within("reps", *reps, 1, 1_000_000); err != nil {
		return err
	}
	if len(models) != 2 {
		return &usageError{"compare: want two model files: leakbench compare A.lbm B.lbm [flags]"}
	}
	names, recs, err := loadSplits(*data, *seed, *drop)
	if err != nil {
		return err
	}
	recs = corpora.Filter(recs, *split)
	var accs [2]*eval.Accumulator
	for i, p := range models {
		m, err := classify.Load(p)
		if err != nil {
			return err
		}
		if accs[i], err = eval.Predict(m, recs, nil); err != nil {
			return err
		}
	}
	c, err := eval.Compare(accs[0], accs[1], eval.Options{Reps: *reps, Seed: *seed})
	if err != nil {
		return err
	}
	if *asJSON {
		return eval.WriteJSON(stdout, c)
	}
	fmt.Fprintf(stdout, "A = %s\nB = %s\n%d items of %s, split %q\n\n", models[0], models[1], c.N, strings.Join(names, ", "), *split)
	fmt.Fprintf(stdout, "accuracy   A %s  B %s  A-B %s [%s, %s]  paired bootstrap p=%s\n", c.AccuracyA, c.AccuracyB, c.AccuracyDiff, c.AccuracyCI[0], c.AccuracyCI[1], c.AccuracyP)
	fmt.Fprintf(stdout, "micro-F1   A %s  B %s  A-B %s [%s, %s]\n", c.MicroF1A, c.MicroF1B, c.MicroF1Diff, c.MicroF1CI[0], c.MicroF1CI[1])
	fmt.Fprintf(stdout, "macro-F1   A-B %s [%s, %s]\n", c.MacroF1Diff, c.MacroF1CI[0], c.MacroF1CI[1])
	kind := "chi-square with continuity correction"
	if c.McNemar.Exact {
		kind = "exact binomial"
	}
	fmt.Fprintf(stdout, "McNemar    only A right %d, only B right %d: p=%s (%s)\n", c.McNemar.B, c.McNemar.C, c.McNemar.P, kind)
	return nil
}
