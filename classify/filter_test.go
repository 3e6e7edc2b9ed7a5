package classify

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toyFilter builds a filter whose sensitivity model knows health and whose interest model
// knows travel (labels reused from toyData under the targets' names).
func toyFilter(t testing.TB) *Filter {
	sens := toyModel(t)
	sens.Labels = []string{"health", "religion"}
	ints := toyModel(t)
	ints.Target = TargetInterests
	ints.Labels = []string{"food_drink", "travel"}
	fl, err := NewFilter(Policy{Name: "test", ExcludedCategories: []string{"health"}, ExcludedRegions: []string{"FR", "GB"},
		Start: time.Date(2025, 12, 16, 0, 0, 0, 0, time.UTC)}, sens, ints)
	require.NoError(t, err)
	return fl
}

func TestFilterDecide(t *testing.T) {
	fl := toyFilter(t)
	after := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	var st State
	for i, tc := range []struct {
		msg  Message
		want Reason
	}{
		{Message{Text: "cheap flights to lisbon", Region: "US", Time: after}, Used},                          // 0
		{Message{Text: "cheap flights to lisbon", Region: "FR", Time: after}, RegionExcluded},                // 1
		{Message{Text: "cheap flights to lisbon", Region: "US", Time: after.AddDate(-1, 0, 0)}, BeforeStart}, // 2
		{Message{Text: "my migraine and fever are back", Region: "US", Time: after}, Sensitive},              // 3
		{Message{Text: "cheap flights to lisbon"}, Used},                                                     // 4: no region/time: in scope
	} {
		d := fl.Decide(&st, &tc.msg)
		assert.Equal(t, tc.want, d.Reason, "%d: %q", i, tc.msg.Text)
		assert.Equal(t, tc.want == Used, d.Use(), "%d", i)
	}
}

func TestFilterErrors(t *testing.T) {
	m := toyModel(t)
	_, err := NewFilter(Policies["meta-2025-12"], m, m)
	assert.ErrorContains(t, err, "interest model")
	ints := toyModel(t)
	ints.Target = TargetInterests
	_, err = NewFilter(Policies["meta-2025-12"], m, ints)
	assert.ErrorContains(t, err, "does not predict", "the toy model has no religion label... policy categories must exist")
}

func TestFilterAllocs(t *testing.T) {
	fl := toyFilter(t)
	var st State
	msgs := []Message{
		{Text: "cheap flights to lisbon and a hotel", Region: "US", Time: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
		{Text: "my migraine is back", Context: "j'ai mal\nencore", Region: "CA"},
		{Text: "billet d'avion pour montréal", Region: "FR"},
	}
	for i := range msgs {
		fl.Decide(&st, &msgs[i])
	}
	for i := range msgs {
		assert.Zero(t, testing.AllocsPerRun(100, func() { fl.Decide(&st, &msgs[i]) }), "%d", i)
	}
}

func TestFilterConcurrent(t *testing.T) {
	fl := toyFilter(t)
	msg := Message{Text: "cheap flights to lisbon", Region: "US"}
	var st State
	want := fl.Decide(&st, &msg)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st State
			for range 200 {
				assert.Equal(t, want, fl.Decide(&st, &msg))
			}
		}()
	}
	wg.Wait()
}

func FuzzFeaturize(f *testing.F) {
	for _, m := range sampleMessages {
		f.Add(m, "")
	}
	f.Add("l’hôpital\xff😂 http://x.y", "prev\nturn")
	f.Fuzz(func(t *testing.T, text, context string) {
		c := DefaultFeatures
		var a, b Features
		c.FeaturizeContext(&a, text, context)
		for i, idx := range a.Idx {
			if idx >= uint32(c.Dim()) || (a.Sign[i] != 1 && a.Sign[i] != -1) {
				t.Fatalf("bad feature %d: %d %v", i, idx, a.Sign[i])
			}
		}
		// Normalizing is idempotent, so featurizing the normalized text gives the same features.
		c.FeaturizeContext(&b, string(Normalize(nil, text)), "")
		c.FeaturizeContext(&a, text, "")
		require.Equal(t, a.Idx, b.Idx, "text %q normalized %q", text, b.Norm)
		// The turn memo changes no result: a Features that featurized the context's turns as
		// messages just before gives the features of a fresh one.
		var warm, fresh Features
		for _, turn := range strings.Split(context, "\n") {
			c.FeaturizeContext(&warm, turn, "")
		}
		c.FeaturizeContext(&warm, text, context)
		c.FeaturizeContext(&fresh, text, context)
		require.Equal(t, fresh.Idx, warm.Idx)
		require.Equal(t, fresh.Sign, warm.Sign)
	})
}

// TestDecideLogitsMatchesProbabilities pins the hot path's logit-space comparison to the
// probability-space definition of the thresholds.
func TestDecideLogitsMatchesProbabilities(t *testing.T) {
	m := toyModel(t)
	var f Features
	for _, text := range append(sampleMessages, "cheap flights", "my migraine", "") {
		m.Featurize(&f, text, "")
		z := m.Logits(nil, &f)
		p := m.Probabilities(append([]float32(nil), z...))
		assert.Equal(t, m.Decide(p), m.DecideLogits(z), text)
	}
}
