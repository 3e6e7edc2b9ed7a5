package classify

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompiledMatchesLogits checks the compiled hot path against Featurize+Logits for both
// model kinds and several feature settings, on known words, unknown words and contexts.
func TestCompiledMatchesLogits(t *testing.T) {
	labels, exs := toyData()
	texts := append(sampleMessages, "", " !! ", "unknownword zzzqqq flights", "a", "l'hôpital 😂 www.x.fr")
	for _, kind := range []string{KindLogReg, KindNB} {
		for _, fc := range []FeatureConfig{
			{Bits: 12, WordNgrams: 2, CharMin: 3, CharMax: 4, ContextTurns: 2},
			{Bits: 12, WordNgrams: 3, CharMin: 1, CharMax: 5},
			{Bits: 12, WordNgrams: 0, CharMin: 4, CharMax: 4, ContextTurns: 1},
			{Bits: 12, WordNgrams: 1},
		} {
			t.Run(fmt.Sprintf("%s/%+v", kind, fc), func(t *testing.T) {
				m, err := Train(TrainConfig{Kind: kind, Target: TargetSensitive, Features: fc}, labels, exs, exs)
				require.NoError(t, err)
				require.NotNil(t, m.comp, "compiled")
				require.Positive(t, m.comp.words)
				var f, g Features
				hits := 0
				for _, text := range texts {
					m.Features.prepare(&g, text, "")
					for w, s := 0, 1; s < len(g.buf); w++ {
						e := s
						for g.buf[e] != ' ' {
							e++
						}
						if m.comp.find(g.hs[w]) >= 0 {
							hits++
						}
						s = e + 1
					}
				}
				require.Positive(t, hits, "some words take the compiled path")
				for i, text := range texts {
					context := texts[(i+1)%len(texts)] + "\n" + texts[(i+2)%len(texts)]
					m.Featurize(&f, text, context)
					want := m.Logits(nil, &f)
					m.Features.prepare(&g, text, context)
					got := m.compiledLogits(nil, &g)
					require.Len(t, got, len(want))
					for l := range want {
						assert.InDelta(t, want[l], got[l], 1e-4*math.Max(1, math.Abs(float64(want[l]))), "%q label %d", text, l)
					}
				}
			})
		}
	}
}

func TestCompiledSkipped(t *testing.T) {
	labels, exs := toyData()
	m, err := Train(TrainConfig{Target: TargetSensitive, Features: FeatureConfig{Bits: 12, WordNgrams: 2, CharMin: 3, CharMax: 4, BlockNorm: true}}, labels, exs, exs)
	require.NoError(t, err)
	assert.Nil(t, m.comp, "block norm spans families: no compiled form")
}

func TestCompiledAllocs(t *testing.T) {
	m := toyModel(t)
	var f Features
	var dst []float32
	for _, text := range sampleMessages {
		m.Features.prepare(&f, text, "my knee\nhurts")
		dst = m.compiledLogits(dst, &f)
	}
	for _, text := range sampleMessages {
		assert.Zero(t, testing.AllocsPerRun(20, func() {
			m.Features.prepare(&f, text, "my knee\nhurts")
			dst = m.compiledLogits(dst, &f)
		}), text)
	}
}

func TestVocabulary(t *testing.T) {
	exs := []Example{{Text: "b a a c"}, {Text: "c A " + strings.Repeat("x", maxVocabWord+1)}}
	assert.Equal(t, []string{"a", "c", "b"}, vocabulary(exs, 10), "by count, then bytes; long words left out")
	assert.Equal(t, []string{"a"}, vocabulary(exs, 1))
}

func TestVocabularyBoundAtLoad(t *testing.T) {
	m := toyModel(t)
	m.Vocab = make([]string, MaxVocab+1)
	assert.ErrorContains(t, m.validate(), "vocabulary")
}
