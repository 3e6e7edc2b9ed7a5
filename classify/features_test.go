package classify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var sampleMessages = []string{
	"best hiking boots for my bad knee after surgery",
	"jsuis crevé, tu peux me trouver un resto halal pas loin du taf stp",
	"um so what time does the mosque on fifth street open for friday prayer",
	"génère une image d'un chat astronaute sur la lune",
	"can the glasses recognize my neighbor's face",
	"quels effets secondaires pour le Doliprane ? j'ai mal au ventre depuis hier",
}

func TestFeaturizeDeterministicAndNormalized(t *testing.T) {
	c := FeatureConfig{Bits: 18, WordNgrams: 2, CharMin: 3, CharMax: 5}
	var a, b Features
	c.Featurize(&a, "L’hôpital de Montréal")
	c.Featurize(&b, "l'hopital de montreal")
	assert.Equal(t, a.Idx, b.Idx, "same normalized text, same features")
	assert.Equal(t, a.Sign, b.Sign)
	require.NotEmpty(t, a.Idx)
	var ss float64
	for i, v := range a.Sign {
		ss += float64(v * v * a.Scale * a.Scale)
		assert.Less(t, a.Idx[i], uint32(c.Dim()))
	}
	assert.InDelta(t, 1, ss, 1e-5, "unit norm")
	// 3 words + 2 bigrams + char n-grams of <hopital> (9 bytes: 7+6+5) <de> (4: 2+1) <montreal> (10: 8+7+6)
	assert.Len(t, a.Idx, 3+2+18+3+21)
}

func TestFeaturizeEmpty(t *testing.T) {
	var f Features
	DefaultFeatures.Featurize(&f, " !! ")
	assert.Empty(t, f.Idx)
}

func TestFeatureConfigValidate(t *testing.T) {
	for i, tc := range []struct {
		c  FeatureConfig
		ok bool
	}{
		{DefaultFeatures, true},                                  // 0
		{FeatureConfig{Bits: 7, WordNgrams: 1}, false},           // 1
		{FeatureConfig{Bits: 16}, false},                         // 2
		{FeatureConfig{Bits: 16, CharMin: 4, CharMax: 3}, false}, // 3
		{FeatureConfig{Bits: 16, CharMin: 3, CharMax: 3}, true},  // 4
	} {
		assert.Equal(t, tc.ok, tc.c.Validate() == nil, "%d", i)
	}
}

func TestFeaturizeAllocs(t *testing.T) {
	var f Features
	for _, m := range sampleMessages {
		DefaultFeatures.Featurize(&f, m) // warm the buffers
	}
	for _, m := range sampleMessages {
		assert.Zero(t, testing.AllocsPerRun(50, func() { DefaultFeatures.Featurize(&f, m) }), m)
	}
}

func BenchmarkFeaturize(b *testing.B) {
	var f Features
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		DefaultFeatures.Featurize(&f, sampleMessages[i%len(sampleMessages)])
		i++
	}
}

func BenchmarkFeaturizeConfig(b *testing.B) {
	for _, c := range []FeatureConfig{
		{Bits: 18, WordNgrams: 2, CharMin: 3, CharMax: 5},
		{Bits: 18, WordNgrams: 2, CharMin: 3, CharMax: 4},
		{Bits: 18, WordNgrams: 2, CharMin: 4, CharMax: 4},
		{Bits: 18, WordNgrams: 2},
	} {
		b.Run(fmt.Sprintf("words=%d/chars=%d-%d", c.WordNgrams, c.CharMin, c.CharMax), func(b *testing.B) {
			var f Features
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.Featurize(&f, sampleMessages[i%len(sampleMessages)])
				i++
			}
		})
	}
}

func TestBlockNorm(t *testing.T) {
	c := FeatureConfig{Bits: 16, WordNgrams: 2, CharMin: 3, CharMax: 4, ContextTurns: 1, BlockNorm: true}
	var f Features
	c.FeaturizeContext(&f, "cheap flights to lisbon", "my knee hurts")
	sums := map[uint8]float64{}
	for i, v := range f.Sign {
		sums[f.block[i]] += float64(v * v * f.Scale * f.Scale)
	}
	require.Len(t, sums, 3, "words, chars and context")
	for b, s := range sums {
		assert.InDelta(t, 1, s, 1e-5, "block %d has unit norm", b)
	}
}

func TestLastTurnsSeq(t *testing.T) {
	collect := func(ctx string, n int) []string {
		var out []string
		for s := range lastTurnsSeq(ctx, n) {
			out = append(out, s)
		}
		return out
	}
	assert.Equal(t, []string{"c", "b"}, collect("a\nb\nc", 2))
	assert.Equal(t, []string{"c", "b", "a"}, collect("a\nb\nc", 8))
	assert.Equal(t, []string{"c"}, collect("a\n\nc", 2), "an empty turn counts but yields nothing")
	assert.Empty(t, collect("a\nb", 0))
	assert.Empty(t, collect("", 2))
	long := strings.Repeat("x\n", 20) + "y"
	assert.Equal(t, []string{"y", "x", "x"}, collect(long, 3))
}
