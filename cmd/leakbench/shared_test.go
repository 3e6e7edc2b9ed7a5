package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakbench/leakbench/internal/shareddata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrainPredictEverySharedSet trains a small model on every set of ../shared/corpora and
// predicts with it, through the command line. It skips without the shared folder; CI runs it.
func TestTrainPredictEverySharedSet(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode: trains on every shared set")
	}
	dir, err := shareddata.Dir()
	if err != nil {
		t.Skipf("skipping: shared corpora absent (%v); CI runs this test", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "corpora", "*.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := t.TempDir()
	small := []string{"--bits", "12", "--char-max", "0", "--max-iter", "3", "--dev-split", ""}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".jsonl")
		t.Run(name, func(t *testing.T) {
			model := filepath.Join(out, name+".lbm")
			split, target := "train", "label"
			if name == "slurp_en" { // SLURP ships dev and test only
				split = "dev"
			}
			if name == "identity_lexicons_en" { // 79 axis/bucket labels, over the 64 a model holds; the set is for sensitivity
				target = "sensitive"
			}
			_, errs, code := lb(t, append([]string{"train", "--data", f, "--target", target, "--train-split", split, "--out", model}, small...)...)
			require.Zero(t, code, errs)
			pred := filepath.Join(out, name+".pred.jsonl")
			_, errs, code = lb(t, "predict", "--model", model, "--data", f, "--out", pred)
			require.Zero(t, code, errs)
			data, err := os.ReadFile(pred)
			require.NoError(t, err)
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			assert.Equal(t, strings.Count(string(src), "\n"), strings.Count(string(data), "\n"), "one prediction per record")
		})
	}
}
