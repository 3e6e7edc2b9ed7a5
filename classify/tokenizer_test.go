package classify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSubwordFeaturesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	fixture, err := os.ReadFile(filepath.Join("subword", "testdata", "tokenizer.json"))
	require.NoError(t, err)
	tokPath := filepath.Join(dir, "tokenizer.json")
	require.NoError(t, os.WriteFile(tokPath, fixture, 0o644))
	tok, err := LoadTokenizer(tokPath)
	require.NoError(t, err)

	labels, exs := toyData()
	fc := FeatureConfig{Bits: 12, WordNgrams: 1}
	m, err := Train(TrainConfig{Target: TargetLabel, Features: fc, Tokenizer: tok}, labels, exs, nil)
	require.NoError(t, err)
	assert.Equal(t, tokPath, m.Features.Tokenizer)
	plain, err := Train(TrainConfig{Target: TargetLabel, Features: fc}, labels, exs, nil)
	require.NoError(t, err)
	var a, b Features
	m.Featurize(&a, "l'hôpital de montréal", "")
	plain.Featurize(&b, "l'hôpital de montréal", "")
	assert.Greater(t, len(a.Idx), len(b.Idx), "subword pieces add features")

	modelPath := filepath.Join(dir, "m.lbm")
	require.NoError(t, m.Save(modelPath))
	back, err := Load(modelPath)
	require.NoError(t, err)
	var c Features
	back.Featurize(&c, "l'hôpital de montréal", "")
	assert.Equal(t, a.Idx, c.Idx, "the loaded model finds its tokenizer and featurizes alike")

	require.NoError(t, os.WriteFile(tokPath, append(fixture, ' '), 0o644))
	_, err = Load(modelPath)
	assert.ErrorContains(t, err, "checksum")
	require.NoError(t, os.Remove(tokPath))
	_, err = Load(modelPath)
	assert.ErrorContains(t, err, "needs its tokenizer")
}
