package bench

import (
	"sync"
	"testing"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval"
	"github.com/stretchr/testify/require"
)

// The benchmarks run on the built-in corpus with the models `leakbench run` trains
// (eval.TrainModels, default configuration), except that thresholds come from the dev split
// alone: the out-of-fold models that refine them cost five more trainings and change nothing
// the benchmarks measure. Training takes a few seconds, once per process.
var setup = sync.OnceValues(func() (*classify.Filter, error) {
	recs, _, _, err := corpora.Load([]string{corpora.BuiltinName}, corpora.Options{})
	if err != nil {
		return nil, err
	}
	sens, ints, err := eval.TrainModels(recs, classify.TrainConfig{ThresholdFolds: -1}, nil)
	if err != nil {
		return nil, err
	}
	return classify.NewFilter(classify.Policies["meta-2025-12"], sens, ints)
})

var messages = sync.OnceValue(func() []classify.Message {
	recs, _, _, _ := corpora.Load([]string{corpora.BuiltinName}, corpora.Options{})
	return Messages(recs)
})

func filter(b *testing.B) (*classify.Filter, []classify.Message) {
	b.Helper()
	fl, err := setup()
	require.NoError(b, err)
	return fl, messages()
}

// perMessage reports ns/msg besides ns/op (one op = one message).
func serial(b *testing.B, msgs []classify.Message, f func(st *classify.State, m *classify.Message) uint64) {
	var st classify.State
	var sink uint64
	for i := range msgs {
		sink += f(&st, &msgs[i])
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sink += f(&st, &msgs[i%len(msgs)])
		i++
	}
	if sink == 1<<63 {
		b.Log(sink)
	}
}

func parallel(b *testing.B, msgs []classify.Message, f func(st *classify.State, m *classify.Message) uint64) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var st classify.State
		var sink uint64
		i := 0
		for pb.Next() {
			sink += f(&st, &msgs[i%len(msgs)])
			i++
		}
		if sink == 1<<63 {
			b.Log(sink)
		}
	})
}

func BenchmarkHotPath(b *testing.B) {
	fl, msgs := filter(b)
	sens, ints := fl.SensitiveModel(), fl.InterestModel()
	var f classify.Features
	stages := []struct {
		name string
		f    func(st *classify.State, m *classify.Message) uint64
	}{
		{"stage=featurize", func(_ *classify.State, m *classify.Message) uint64 {
			sens.Featurize(&f, m.Text, m.Context)
			return uint64(len(f.Idx))
		}},
		{"stage=sensitivity", func(st *classify.State, m *classify.Message) uint64 { return fl.Sensitivity(st, m.Text, m.Context) }},
		{"stage=interests", func(st *classify.State, m *classify.Message) uint64 { return fl.Interests(st, m.Text, m.Context) }},
		{"stage=decide", func(st *classify.State, m *classify.Message) uint64 { return fl.Decide(st, m).Interests }},
	}
	_ = ints
	for _, s := range stages {
		b.Run(s.name+"/mode=serial", func(b *testing.B) { serial(b, msgs, s.f) })
		if s.name != "stage=featurize" { // the featurize closure shares one Features value
			b.Run(s.name+"/mode=parallel", func(b *testing.B) { parallel(b, msgs, s.f) })
		}
	}
}

// TestHotPathMatchesModels checks, on every built-in corpus message, that the filter's compiled
// path decides as Featurize+Logits do, up to float rounding at a threshold.
func TestHotPathMatchesModels(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the built-in models")
	}
	fl, err := setup()
	require.NoError(t, err)
	var st classify.State
	var f classify.Features
	differ := 0
	for _, m := range messages() {
		for _, mod := range []*classify.Model{fl.SensitiveModel(), fl.InterestModel()} {
			mod.Featurize(&f, m.Text, m.Context)
			z := mod.Logits(nil, &f)
			want := mod.DecideLogits(z)
			var got uint64
			if mod == fl.SensitiveModel() {
				got = fl.Sensitivity(&st, m.Text, m.Context)
			} else {
				got = fl.Interests(&st, m.Text, m.Context)
			}
			if got == want {
				continue
			}
			differ++
			p := mod.Probabilities(z)
			for l := range p {
				if (got^want)>>l&1 == 1 {
					require.InDelta(t, mod.Thresholds[l], p[l], 1e-5, "%q label %s", m.Text, mod.Labels[l])
				}
			}
		}
	}
	t.Logf("%d decisions differ, all within 1e-5 of a threshold", differ)
}
