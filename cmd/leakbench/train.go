package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
)

// featureFlags registers the feature configuration flags.
func featureFlags(fs interface {
	IntVar(*int, string, int, string)
	BoolVar(*bool, string, bool, string)
}, c *classify.FeatureConfig) {
	*c = classify.DefaultFeatures
	fs.IntVar(&c.Bits, "bits", c.Bits, "hash space of 2^`n` feature rows")
	fs.IntVar(&c.WordNgrams, "word-ngrams", c.WordNgrams, "longest word n-gram (`n`, 0 disables words)")
	fs.IntVar(&c.CharMin, "char-min", c.CharMin, "shortest character n-gram (`n`)")
	fs.IntVar(&c.CharMax, "char-max", c.CharMax, "longest character n-gram (`n`, 0 disables)")
	fs.BoolVar(&c.BlockNorm, "block-norm", c.BlockNorm, "normalize each feature family to unit norm on its own")
	fs.IntVar(&c.ContextTurns, "context-turns", c.ContextTurns, "previous turns of the conversation read (`n`, 0 disables)")
}

// loadSplits reads the --data list, checks that no group, conversation or user crosses
// splits, drops records whose label is in drop, gives unsplit records a hash split, and returns
// the data names and the records.
func loadSplits(data string, seed uint64, drop string) ([]string, []corpora.Record, error) {
	names, err := dataNames(data)
	if err != nil {
		return nil, nil, err
	}
	recs, _, _, err := corpora.Load(names, corpora.Options{})
	if err != nil {
		return nil, nil, err
	}
	if err := corpora.CheckSplits(recs); err != nil {
		return nil, nil, err
	}
	if dropped := corpora.SplitNames(drop); len(dropped) > 0 {
		kept := recs[:0]
		for _, r := range recs {
			if !slices.Contains(dropped, r.Label) {
				kept = append(kept, r)
			}
		}
		recs = kept
	}
	if err := corpora.AssignSplits(recs, corpora.DefaultRatios, seed); err != nil {
		return nil, nil, err
	}
	return names, recs, nil
}

func runTrain(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("train", stderr)
	data := fs.String("data", corpora.BuiltinName, "comma-separated training `files`")
	cfg := classify.TrainConfig{}
	fs.StringVar(&cfg.Target, "target", classify.TargetSensitive, "what to predict: `label`, interests or sensitive")
	fs.StringVar(&cfg.Kind, "model", classify.KindLogReg, "model `kind`: nb, logreg or svm (squared hinge, as LinearSVC)")
	out := fs.String("out", "", "model `file` to write (required)")
	trainSplit := fs.String("train-split", "train", "split to train on (`name`, \"\" for all)")
	devSplit := fs.String("dev-split", "dev", "split to choose thresholds on (`name`, \"\" for none)")
	featureFlags(fs, &cfg.Features)
	fs.Float64Var(&cfg.L2, "l2", 1e-5, "logreg L2 penalty (`lambda`)")
	fs.Float64Var(&cfg.Alpha, "alpha", 0.1, "nb additive smoothing (`alpha`)")
	fs.StringVar(&cfg.ClassWeight, "class-weight", "", "`balanced` or none (default: balanced for multi-label targets, none for label)")
	fs.IntVar(&cfg.MaxIter, "max-iter", 300, "logreg L-BFGS `iterations`")
	fs.StringVar(&cfg.Weighting, "weighting", "idf", "logreg feature `weighting`: idf (folded into the model) or binary")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "`seed` of the hash split of unsplit records")
	drop := fs.String("drop-label", "", "comma-separated dataset `labels` whose records are left out (e.g. out_of_scope)")
	tokenizer := fs.String("tokenizer", "", "Hugging Face tokenizer.json `path` for subword features (slow: batch work only)")
	recall := fs.Float64("target-recall", -1, "multi-label thresholds reach this `recall` on dev and out-of-fold train scores (default 0.95 for sensitive; 0 picks best F1)")
	fs.IntVar(&cfg.ThresholdFolds, "threshold-folds", 5, "multi-label: out-of-fold `folds` of the training set whose scores join dev's for thresholds (1 for dev only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"train: --out is required"}
	}
	if err := within("threshold-folds", cfg.ThresholdFolds, 1, 20); err != nil {
		return err
	}
	if cfg.ThresholdFolds == 1 {
		cfg.ThresholdFolds = -1 // dev only
	}
	cfg.TargetRecall = *recall
	if *recall < 0 {
		cfg.TargetRecall = 0
		if cfg.Target == classify.TargetSensitive {
			cfg.TargetRecall = 0.95
		}
	}
	if cfg.ClassWeight == "" {
		cfg.ClassWeight = "balanced"
		if cfg.Target == classify.TargetLabel {
			cfg.ClassWeight = "none"
		}
	}
	names, recs, err := loadSplits(*data, cfg.Seed, *drop)
	if err != nil {
		return err
	}
	cfg.Data = names
	cfg.Progress = stderr
	if *tokenizer != "" {
		if cfg.Tokenizer, err = classify.LoadTokenizer(*tokenizer); err != nil {
			return err
		}
	}
	train, labels, err := classify.Examples(corpora.Filter(recs, *trainSplit), cfg.Target, nil)
	if err != nil {
		return err
	}
	if len(train) == 0 {
		return fmt.Errorf("train: no record of split %q in %s is labeled for target %q", *trainSplit, strings.Join(names, ", "), cfg.Target)
	}
	var dev []classify.Example
	if *devSplit != "" {
		if dev, _, err = classify.Examples(corpora.Filter(recs, *devSplit), cfg.Target, labels); err != nil {
			return err
		}
		if len(dev) == 0 {
			return fmt.Errorf("train: no record of split %q in %s is labeled for target %q to choose thresholds on (--dev-split \"\" for none)", *devSplit, strings.Join(names, ", "), cfg.Target)
		}
	}
	if cfg.Target != classify.TargetLabel {
		pos := make([]int, len(labels))
		for _, ex := range train {
			for _, l := range ex.Labels {
				pos[l]++
			}
		}
		for l, n := range pos {
			if n == 0 {
				fmt.Fprintf(stderr, "warning: label %q has no positive training example: the model cannot predict it\n", labels[l])
			}
		}
	}
	t0 := time.Now()
	m, err := classify.Train(cfg, labels, train, dev)
	if err != nil {
		return err
	}
	took := time.Since(t0)
	if err := m.Save(*out); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(stdout, "trained %s/%s on %d examples (%d labels, %d dev) in %.2fs: %s (%d bytes)\n",
		cfg.Kind, cfg.Target, len(train), len(labels), len(dev), took.Seconds(), *out, st.Size())
	return nil
}

func runPredict(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("predict", stderr)
	modelPath := fs.String("model", "", "model `file` (required)")
	data := fs.String("data", corpora.BuiltinName, "comma-separated input `files`")
	split := fs.String("split", "", "only records of this split (`name`; \"\" for all)")
	out := fs.String("out", "-", "output `file` (JSONL; - for stdout)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return &usageError{"predict: --model is required"}
	}
	if *out == "" {
		return &usageError{"predict: --out is empty (a file, or - for stdout)"}
	}
	m, err := classify.Load(*modelPath)
	if err != nil {
		return err
	}
	names, err := dataNames(*data)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		n, err := classify.PredictJSONL(w, m, names, *split)
		if err == nil && n == 0 {
			err = fmt.Errorf("predict: no record of %s is in split %q (records need a split field; predict does not hash-split)", strings.Join(names, ", "), *split)
		}
		return err
	}
	if *out == "-" {
		return write(stdout)
	}
	return classify.WriteFileAtomic(*out, write)
}
