package classify

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/leakbench/leakbench/corpora"
)

// corpusMessages are the built-in corpus messages in corpus order (conversations turn by turn),
// each with its previous DefaultFeatures.ContextTurns turns.
var corpusMessages = sync.OnceValue(func() [][2]string {
	recs, _, _, err := corpora.Load([]string{corpora.BuiltinName}, corpora.Options{})
	if err != nil {
		panic(err)
	}
	ctx := Contexts(recs, DefaultFeatures.ContextTurns)
	out := make([][2]string, len(recs))
	for i, r := range recs {
		out[i] = [2]string{r.Text, ctx[r.ID]}
	}
	return out
})

// BenchmarkCorpusFeaturize is the full sparse featurization (Model.Featurize: training,
// evaluation, and models with no compiled form) of every built-in corpus message.
func BenchmarkCorpusFeaturize(b *testing.B) {
	msgs := corpusMessages()
	var f Features
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m := msgs[i%len(msgs)]
		DefaultFeatures.FeaturizeContext(&f, m[0], m[1])
		i++
	}
}

// BenchmarkCorpusPrepare is the featurization of the compiled hot path (normalization, word
// hashes, context words from the turn memo); the words' n-grams are precomputed in the model.
// In corpus order the previous turns come from the turn memo; shuffled, every turn of the
// context is normalized and hashed again.
func BenchmarkCorpusPrepare(b *testing.B) {
	ordered := corpusMessages()
	shuffled := slices.Clone(ordered)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, tc := range []struct {
		name string
		msgs [][2]string
	}{{"order=corpus", ordered}, {"order=shuffled", shuffled}} {
		b.Run(tc.name, func(b *testing.B) {
			var f Features
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m := tc.msgs[i%len(tc.msgs)]
				DefaultFeatures.prepare(&f, m[0], m[1])
				i++
			}
		})
	}
}
