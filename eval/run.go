package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
)

// RunConfig configures Run, the whole job: train a sensitivity and an interest model, evaluate
// both, and measure leakage under a policy.
type RunConfig struct {
	Data     []string             // corpora (default: the built-in corpus)
	Policy   classify.Policy      // policy to measure under
	Train    classify.TrainConfig // base training configuration (Kind, Features, L2, ...); Target is set per model
	Split    string               // split to evaluate and measure on (default "test")
	Seed     uint64               // hash split of unsplit records and bootstrap
	Taxonomy *Taxonomy            // IAB taxonomy for the sensitive-interest section (nil: skipped)
	KeepText bool                 // keep message texts in the leakage outcomes (for --show-text)
	Reps     int                  // bootstrap resamples (default 1000)
}

// Run trains both models on the train split (thresholds on dev), evaluates them on cfg.Split and
// measures leakage there. It returns the report and the two models.
func Run(cfg RunConfig) (*Report, *classify.Model, *classify.Model, error) {
	if len(cfg.Data) == 0 {
		cfg.Data = []string{corpora.BuiltinName}
	}
	if cfg.Split == "" {
		cfg.Split = "test"
	}
	recs, _, _, err := corpora.Load(cfg.Data, corpora.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	if err := corpora.AssignSplits(recs, corpora.DefaultRatios, cfg.Seed); err != nil {
		return nil, nil, nil, err
	}
	sens, ints, err := TrainModels(recs, cfg.Train, cfg.Data)
	if err != nil {
		return nil, nil, nil, err
	}
	models := [2]*classify.Model{sens, ints}
	test := corpora.Filter(recs, cfg.Split)
	rep := &Report{Title: "leakbench report", Data: cfg.Data, Split: cfg.Split, ShowText: cfg.KeepText}
	opts := Options{Reps: cfg.Reps, Seed: cfg.Seed}
	for i, dst := range []**Result{&rep.Sensitivity, &rep.Interests} {
		acc, err := Predict(models[i], test, DefaultSliceKeys)
		if err != nil {
			return nil, nil, nil, err
		}
		*dst = acc.Result(opts)
	}
	fl, err := classify.NewFilter(cfg.Policy, models[0], models[1])
	if err != nil {
		return nil, nil, nil, err
	}
	rep.Leakage = NewLeakageAccumulator(fl, test, cfg.KeepText).Report(cfg.Seed, cfg.Taxonomy)
	return rep, models[0], models[1], nil
}

// TrainModels trains the filter's two models on the records' train split, with thresholds on
// their dev split: the sensitivity model for recall 0.95 (unless base.TargetRecall says
// otherwise) and the interest model for best F1. base gives the rest of the configuration.
func TrainModels(recs []corpora.Record, base classify.TrainConfig, data []string) (sens, ints *classify.Model, err error) {
	var models [2]*classify.Model
	for i, target := range []string{classify.TargetSensitive, classify.TargetInterests} {
		tc := base
		tc.Target, tc.Data = target, data
		if target == classify.TargetSensitive && tc.TargetRecall == 0 {
			tc.TargetRecall = 0.95
		}
		if target == classify.TargetInterests {
			tc.TargetRecall = 0
		}
		train, labels, err := classify.Examples(corpora.Filter(recs, "train"), target, nil)
		if err != nil {
			return nil, nil, err
		}
		dev, _, err := classify.Examples(corpora.Filter(recs, "dev"), target, labels)
		if err != nil {
			return nil, nil, err
		}
		if models[i], err = classify.Train(tc, labels, train, dev); err != nil {
			return nil, nil, fmt.Errorf("eval: training %s: %w", target, err)
		}
	}
	return models[0], models[1], nil
}

// WriteFiles writes report.json, report.md and report.html into dir, each atomically.
func (r *Report) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer) error{
		"report.json": func(w io.Writer) error { return WriteJSON(w, r.redacted()) },
		"report.md":   func(w io.Writer) error { r.WriteMarkdown(w); return nil },
		"report.html": func(w io.Writer) error { r.WriteHTML(w); return nil },
	} {
		if err := classify.WriteFileAtomic(filepath.Join(dir, name), write); err != nil {
			return err
		}
	}
	return nil
}

// redacted returns the report with message texts removed unless ShowText is set.
func (r *Report) redacted() *Report {
	if r.ShowText || r.Leakage == nil {
		return r
	}
	c := *r
	l := *r.Leakage
	l.TopLeaks = append([]LeakExample(nil), l.TopLeaks...)
	for i := range l.TopLeaks {
		l.TopLeaks[i].Text = ""
	}
	c.Leakage = &l
	return &c
}

// WriteJSON writes v as indented JSON with a final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
