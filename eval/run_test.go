package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakbench/leakbench/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastRun is a small, quick configuration of the whole job on the built-in corpus.
func fastRun() RunConfig {
	return RunConfig{
		Policy: classify.Policies["meta-2025-12"],
		Train:  classify.TrainConfig{Features: classify.FeatureConfig{Bits: 14, WordNgrams: 1, ContextTurns: 1}, MaxIter: 20},
		Seed:   7, Reps: 20,
	}
}

func TestRunDeterministic(t *testing.T) {
	dirs := []string{t.TempDir(), t.TempDir()}
	for _, d := range dirs {
		rep, _, _, err := Run(fastRun())
		require.NoError(t, err)
		require.NoError(t, rep.WriteFiles(d))
	}
	for _, name := range []string{"report.json", "report.md", "report.html"} {
		a, err := os.ReadFile(filepath.Join(dirs[0], name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dirs[1], name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs with the same seed", name)
		assert.NotEmpty(t, a)
	}
}
