package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
)

// featureFlags registers the feature configuration flags.
func featureFlags(fs interface {
	IntVar(*int, string, int, string)
}, c *classify.FeatureConfig) {
	*c = classify.DefaultFeatures
	fs.IntVar(&c.Bits, "bits", c.Bits, "hash space of 2^`n` feature rows")
	fs.IntVar(&c.WordNgrams, "word-ngrams", c.WordNgrams, "longest word n-gram (`n`, 0 disables words)")
	fs.IntVar(&c.CharMin, "char-min", c.CharMin, "shortest character n-gram (`n`)")
	fs.IntVar(&c.CharMax, "char-max", c.CharMax, "longest character n-gram (`n`, 0 disables)")
}

// loadSplits reads data, gives unsplit records a hash split, and returns it.
func loadSplits(names []string, seed uint64) ([]corpora.Record, error) {
	recs, _, _, err := corpora.Load(names, corpora.Options{})
	if err != nil {
		return nil, err
	}
	if err := corpora.AssignSplits(recs, corpora.DefaultRatios, seed); err != nil {
		return nil, err
	}
	return recs, nil
}

func runTrain(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("train", stderr)
	data := fs.String("data", corpora.BuiltinName, "comma-separated training `files`")
	cfg := classify.TrainConfig{}
	fs.StringVar(&cfg.Target, "target", classify.TargetSensitive, "what to predict: `label`, interests or sensitive")
	fs.StringVar(&cfg.Kind, "model", classify.KindLogReg, "model `kind`: nb or logreg")
	out := fs.String("out", "", "model `file` to write (required)")
	trainSplit := fs.String("train-split", "train", "split to train on (`name`, \"\" for all)")
	devSplit := fs.String("dev-split", "dev", "split to choose thresholds on (`name`, \"\" for none)")
	featureFlags(fs, &cfg.Features)
	fs.Float64Var(&cfg.L2, "l2", 1e-4, "logreg L2 penalty (`lambda`)")
	fs.Float64Var(&cfg.Alpha, "alpha", 0.1, "nb additive smoothing (`alpha`)")
	fs.StringVar(&cfg.ClassWeight, "class-weight", "", "`balanced` or none (default: balanced for multi-label targets, none for label)")
	fs.IntVar(&cfg.MaxIter, "max-iter", 300, "logreg L-BFGS `iterations`")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "`seed` of the hash split of unsplit records")
	recall := fs.Float64("target-recall", -1, "multi-label thresholds reach this dev `recall` (default 0.95 for sensitive; 0 picks best F1)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"train: --out is required"}
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
	names, err := dataNames(*data)
	if err != nil {
		return err
	}
	cfg.Data = names
	cfg.Progress = stderr
	recs, err := loadSplits(names, cfg.Seed)
	if err != nil {
		return err
	}
	train, labels, err := classify.Examples(corpora.Filter(recs, *trainSplit), cfg.Target, nil)
	if err != nil {
		return err
	}
	var dev []classify.Example
	if *devSplit != "" {
		if dev, _, err = classify.Examples(corpora.Filter(recs, *devSplit), cfg.Target, labels); err != nil {
			return err
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

// prediction is one line of predict's output.
type prediction struct {
	ID     string             `json:"id"`
	Labels []string           `json:"labels"`
	Scores map[string]float64 `json:"scores"`
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
	m, err := classify.Load(*modelPath)
	if err != nil {
		return err
	}
	names, err := dataNames(*data)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		enc := json.NewEncoder(bw)
		r := corpora.NewReader(names, corpora.Options{AllowDuplicateIDs: true})
		defer r.Close()
		var f classify.Features
		var probs []float32
		p := prediction{Scores: make(map[string]float64, len(m.Labels))}
		var ctx classify.ContextWindow
		for r.Scan() {
			rec := r.Record()
			context := ctx.Next(rec.Conversation, rec.Text, m.Features.ContextTurns)
			if *split != "" && rec.Split != *split {
				continue
			}
			m.Featurize(&f, rec.Text, context)
			probs = m.Probabilities(m.Logits(probs, &f))
			p.ID, p.Labels = rec.ID, m.LabelSet(m.Decide(probs))
			if p.Labels == nil {
				p.Labels = []string{}
			}
			for i, l := range m.Labels {
				p.Scores[l] = math.Round(float64(probs[i])*1e4) / 1e4
			}
			if err := enc.Encode(&p); err != nil {
				return err
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		return bw.Flush()
	}
	if *out == "-" {
		return write(stdout)
	}
	return classify.WriteFileAtomic(*out, write)
}
