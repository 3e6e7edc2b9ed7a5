package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval"
	"github.com/leakbench/leakbench/internal/shareddata"
)

// defaultTaxonomyDir is the default IAB taxonomy folder: ../shared/taxonomy when present.
func defaultTaxonomyDir() string {
	if d, err := shareddata.Dir(); err == nil {
		return filepath.Join(d, "taxonomy")
	}
	return ""
}

func loadTaxonomy(dir string, stderr io.Writer) *eval.Taxonomy {
	if dir == "" {
		fmt.Fprintln(stderr, "note: no IAB taxonomy (../shared/taxonomy absent, --taxonomy empty): sensitive-interest section skipped")
		return nil
	}
	t, err := eval.LoadTaxonomy(dir)
	if err != nil {
		fmt.Fprintf(stderr, "note: %v: sensitive-interest section skipped\n", err)
		return nil
	}
	return t
}

func runRun(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("run", stderr)
	data := fs.String("data", corpora.BuiltinName, "comma-separated `files`")
	policy := fs.String("policy", "meta-2025-12", "policy `name` or JSON file")
	out := fs.String("out", "out", "output `dir` for report.{json,md,html} and the two models")
	split := fs.String("split", "test", "split to evaluate on (`name`)")
	showText := fs.Bool("show-text", false, "show leaked message texts in the reports (default: ids only)")
	tax := fs.String("taxonomy", defaultTaxonomyDir(), "IAB taxonomy `dir`")
	seed := fs.Uint64("seed", 1, "`seed` for hash splits and bootstrap")
	reps := fs.Int("reps", 1000, "bootstrap `resamples`")
	cfg := eval.RunConfig{}
	fs.StringVar(&cfg.Train.Kind, "model", classify.KindLogReg, "model `kind`: nb, logreg or svm (squared hinge, as LinearSVC)")
	featureFlags(fs, &cfg.Train.Features)
	fs.Float64Var(&cfg.Train.L2, "l2", 1e-5, "logreg L2 penalty (`lambda`)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := within("reps", *reps, 1, 1_000_000); err != nil {
		return err
	}
	names, err := dataNames(*data)
	if err != nil {
		return err
	}
	p, err := classify.LoadPolicy(*policy)
	if err != nil {
		return err
	}
	cfg.Data, cfg.Policy, cfg.Split, cfg.Seed, cfg.KeepText, cfg.Reps = names, p, *split, *seed, *showText, *reps
	cfg.Train.Seed, cfg.Train.Progress = *seed, stderr
	cfg.Taxonomy = loadTaxonomy(*tax, stderr)
	rep, sens, ints, err := eval.Run(cfg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := sens.Save(filepath.Join(*out, "sensitive.lbm")); err != nil {
		return err
	}
	if err := ints.Save(filepath.Join(*out, "interests.lbm")); err != nil {
		return err
	}
	if err := rep.WriteFiles(*out); err != nil {
		return err
	}
	rep.WriteText(stdout)
	fmt.Fprintf(stdout, "wrote %s/report.html, report.md, report.json, sensitive.lbm, interests.lbm\n", *out)
	return nil
}

// writeOut writes through fn to path atomically, or to stdout for "-".
func writeOut(stdout io.Writer, path string, fn func(io.Writer) error) error {
	if path == "-" {
		return fn(stdout)
	}
	return classify.WriteFileAtomic(path, fn)
}

func runEval(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("eval", stderr)
	modelPath := fs.String("model", "", "model `file` (required)")
	data := fs.String("data", corpora.BuiltinName, "comma-separated `files`")
	split := fs.String("split", "test", "split to evaluate (`name`; \"\" for all)")
	format := fs.String("format", "json", "output `format`: json, md or html")
	out := fs.String("out", "-", "output `file` (- for stdout)")
	by := fs.String("by", "", "extra comma-separated slice `fields` (lang, surface and region always)")
	seed := fs.Uint64("seed", 1, "`seed` for hash splits and bootstrap")
	reps := fs.Int("reps", 1000, "bootstrap `resamples`")
	drop := fs.String("drop-label", "", "comma-separated dataset `labels` whose records are left out (e.g. out_of_scope)")
	folds := fs.Int("folds", 0, "grouped k-fold cross-validation with `k` folds over all records (trains k models; no --model)")
	cv := classify.TrainConfig{}
	fs.StringVar(&cv.Target, "target", classify.TargetSensitive, "with --folds: what to predict (`label`, interests, sensitive)")
	fs.StringVar(&cv.Kind, "model-kind", classify.KindLogReg, "with --folds: model `kind`, nb, logreg or svm")
	featureFlags(fs, &cv.Features)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := within("reps", *reps, 1, 1_000_000); err != nil {
		return err
	}
	if *folds != 0 {
		if err := within("folds", *folds, 2, 100); err != nil {
			return err
		}
	}
	if (*modelPath == "") == (*folds == 0) {
		return &usageError{"eval: give --model FILE, or --folds k to cross-validate"}
	}
	if *format != "json" && *format != "md" && *format != "html" {
		return &usageError{fmt.Sprintf("eval: --format %q (want json, md or html)", *format)}
	}
	var m *classify.Model
	var err error
	if *modelPath != "" {
		if m, err = classify.Load(*modelPath); err != nil {
			return err
		}
	}
	names, recs, err := loadSplits(*data, *seed, *drop)
	if err != nil {
		return err
	}
	keys := append([]string(nil), eval.DefaultSliceKeys...)
	for _, k := range corpora.SplitNames(*by) {
		if _, err := eval.FieldValue(&corpora.Record{}, k); err != nil || k == "source." || slices.Contains(keys, k) {
			return &usageError{fmt.Sprintf("eval: --by %q: unknown, empty or repeated field", k)}
		}
		keys = append(keys, k)
	}
	var acc *eval.Accumulator
	if *folds > 0 {
		if cv.Target == classify.TargetSensitive {
			cv.TargetRecall = 0.95
		}
		cv.Progress = stderr
		acc, err = eval.CrossValidate(recs, cv, *folds, *seed, keys)
		m = &classify.Model{Kind: cv.Kind, Target: cv.Target}
		*split, *modelPath = "all (cross-validated)", fmt.Sprintf("%d-fold cross-validation", *folds)
	} else {
		acc, err = eval.Predict(m, corpora.Filter(recs, *split), keys)
	}
	if err != nil {
		return err
	}
	res := acc.Result(eval.Options{Reps: *reps, Seed: *seed})
	return writeOut(stdout, *out, func(w io.Writer) error {
		switch *format {
		case "md":
			fmt.Fprintf(w, "# Evaluation of %s (%s/%s) on %s, split %q\n\n", *modelPath, m.Kind, m.Target, strings.Join(names, ", "), *split)
			res.WriteMarkdown(w)
			return nil
		case "html":
			return res.WriteHTML(w, fmt.Sprintf("Evaluation of %s (%s/%s)", filepath.Base(*modelPath), m.Kind, m.Target))
		}
		return eval.WriteJSON(w, res)
	})
}

func runLeakage(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("leakage", stderr)
	sensPath := fs.String("sensitive", "", "sensitivity model `file` (required)")
	intPath := fs.String("interests", "", "interest model `file` (required)")
	data := fs.String("data", corpora.BuiltinName, "comma-separated `files`")
	policy := fs.String("policy", "meta-2025-12", "policy `name` (meta-2025-12, gdpr-art9) or JSON file")
	gran := fs.String("granularity", "", "override the policy's granularity: message or conversation")
	split := fs.String("split", "test", "split to measure (`name`; \"\" for all)")
	format := fs.String("format", "json", "output `format`: json, md or html")
	out := fs.String("out", "-", "output `file` (- for stdout)")
	showText := fs.Bool("show-text", false, "show leaked message texts (default: ids only)")
	tax := fs.String("taxonomy", defaultTaxonomyDir(), "IAB taxonomy `dir`")
	seed := fs.Uint64("seed", 1, "`seed` for hash splits and the profile attacker")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *sensPath == "" || *intPath == "" {
		return &usageError{"leakage: --sensitive and --interests are required"}
	}
	p, err := classify.LoadPolicy(*policy)
	if err != nil {
		return err
	}
	if *gran != "" {
		p.Granularity = *gran
	}
	sens, err := classify.Load(*sensPath)
	if err != nil {
		return err
	}
	ints, err := classify.Load(*intPath)
	if err != nil {
		return err
	}
	fl, err := classify.NewFilter(p, sens, ints)
	if err != nil {
		return err
	}
	names, recs, err := loadSplits(*data, *seed, "")
	if err != nil {
		return err
	}
	recs = corpora.Filter(recs, *split)
	if len(recs) == 0 {
		return fmt.Errorf("leakage: no records in split %q of %s", *split, strings.Join(names, ", "))
	}
	rep := &eval.Report{Title: "leakbench leakage report", Data: names, Split: *split, ShowText: *showText,
		Leakage: eval.NewLeakageAccumulator(fl, recs, *showText).Report(*seed, loadTaxonomy(*tax, stderr))}
	return writeOut(stdout, *out, func(w io.Writer) error {
		switch *format {
		case "md":
			rep.WriteMarkdown(w)
			return nil
		case "html":
			rep.WriteHTML(w)
			return nil
		case "json":
			return eval.WriteJSON(w, rep.Leakage)
		}
		return &usageError{fmt.Sprintf("leakage: --format %q (want json, md or html)", *format)}
	})
}
