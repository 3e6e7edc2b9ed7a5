package eval

import (
	"errors"
	"fmt"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
)

// CrossValidate runs grouped k-fold cross-validation of a training configuration: records are
// cut into k folds that keep every group, conversation and user whole (corpora.AssignFolds); for
// each fold f a model is trained on the other folds except f+1 (mod k), which picks the
// thresholds, and is scored on f. The accumulators of the k test folds are merged into one.
func CrossValidate(recs []corpora.Record, cfg classify.TrainConfig, k int, seed uint64, sliceKeys []string) (*Accumulator, error) {
	folds, err := corpora.AssignFolds(recs, k, seed)
	if err != nil {
		return nil, err
	}
	_, labels, err := classify.Examples(recs, cfg.Target, nil)
	if err != nil {
		return nil, err
	}
	var total *Accumulator
	for f := range k {
		var train, dev, test []corpora.Record
		for i, r := range recs {
			switch folds[i] {
			case f:
				test = append(test, r)
			case (f + 1) % k:
				dev = append(dev, r)
			default:
				train = append(train, r)
			}
		}
		trEx, _, err := classify.Examples(train, cfg.Target, labels)
		if err != nil {
			return nil, err
		}
		devEx, _, err := classify.Examples(dev, cfg.Target, labels)
		if err != nil {
			return nil, err
		}
		m, err := classify.Train(cfg, labels, trEx, devEx)
		if err != nil {
			return nil, fmt.Errorf("eval: fold %d: %w", f, err)
		}
		acc, err := Predict(m, test, sliceKeys)
		if errors.Is(err, ErrNoItems) {
			continue // a fold with nothing to score (tiny data)
		}
		if err != nil {
			return nil, err
		}
		if total == nil {
			total = acc
		} else if err := total.Merge(acc); err != nil {
			return nil, err
		}
	}
	if total == nil {
		return nil, ErrNoItems
	}
	return total, nil
}
