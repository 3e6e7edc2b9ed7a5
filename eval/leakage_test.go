package eval

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bit(labels []string, id string) uint64 {
	for i, l := range labels {
		if l == id {
			return 1 << i
		}
	}
	panic("no label " + id)
}

// synthetic builds an accumulator by hand: the filter's work is replaced by set outcomes.
func synthetic(granularity string) *LeakageAccumulator {
	p := classify.Policies["meta-2025-12"]
	p.Granularity = granularity
	a := &LeakageAccumulator{Policy: p, SensLabels: corpora.Sensitive, IntLabels: corpora.Interests, conversationLevel: granularity == "conversation"}
	for _, c := range p.ExcludedCategories {
		a.excludedGold |= bit(corpora.Sensitive, c)
	}
	health, genetic := bit(corpora.Sensitive, "health"), bit(corpora.Sensitive, "genetic")
	travel, food := bit(corpora.Interests, "travel"), bit(corpora.Interests, "food_drink")
	o := func(id, conv, user, lang string, gold, goldInt, predInt uint64, ratio float32, inScope bool) LeakOutcome {
		return LeakOutcome{ID: id, Conversation: conv, User: user, Lang: lang, Surface: "chat", InScope: inScope, SensLabeled: true, IntLabeled: true,
			GoldSensitive: gold, GoldInterests: goldInt, PredInterests: predInt, Ratio: ratio, Blocked: ratio >= 1, Text: "secret " + id}
	}
	a.Outcomes = []LeakOutcome{
		o("1", "c1", "u1", "en", health, food, food, 0.5, true),      // health, passes, yields food: leak
		o("2", "c1", "u1", "en", 0, travel, travel, 0.2, true),       // clean, used
		o("3", "c2", "u2", "fr", health, 0, 0, 3, true),              // health, blocked
		o("4", "c3", "u3", "fr", health, 0, travel, 0.9, false),      // out of scope: not counted
		o("5", "c4", "u4", "fr", 0, travel, travel, 2, true),         // clean but blocked: over-blocking
		o("6", "c5", "u5", "en", genetic, travel, travel, 0.1, true), // genetic is not excluded by meta: reaches ads
	}
	if a.conversationLevel {
		a.applyConversations(1)
	}
	return a
}

func TestLeakageReportCounts(t *testing.T) {
	rep := synthetic("message").Report(1, nil)
	assert.Equal(t, 6, rep.Messages)
	assert.Equal(t, 5, rep.InScope)
	assert.Equal(t, Rate{K: 1, N: 2}.K, rep.Leakage.K)
	assert.EqualValues(t, 2, rep.Leakage.N)
	assert.InDelta(t, 0.5, float64(rep.Leakage.Rate), tol)
	assert.EqualValues(t, 1, rep.OverBlock.K)
	assert.EqualValues(t, 2, rep.OverBlock.N)
	assert.EqualValues(t, 1, rep.ByCategory["health"].K)
	assert.EqualValues(t, 1, rep.UnexcludedReach["genetic"].K)
	assert.EqualValues(t, 1, rep.ByLang["en"].N)
	require.Len(t, rep.TopLeaks, 1)
	assert.Equal(t, "1", rep.TopLeaks[0].ID)
	assert.Equal(t, []string{"food_drink"}, rep.TopLeaks[0].Interests)
}

func TestLeakageConversationGranularity(t *testing.T) {
	rep := synthetic("conversation").Report(1, nil)
	// c1 has no blocked turn, so nothing changes there; c2 and c4 were blocked already.
	assert.EqualValues(t, 1, rep.Leakage.K)
	a := synthetic("conversation")
	a.Outcomes[1].Ratio = 5 // the clean turn of c1 now trips the filter: the whole conversation goes
	a.applyConversations(1)
	rep = a.Report(1, nil)
	assert.EqualValues(t, 0, rep.Leakage.K, "one sensitive turn removes the whole conversation")
}

func TestLeakageCurve(t *testing.T) {
	rep := synthetic("message").Report(1, nil)
	chosen := 0
	for i, p := range rep.Curve {
		if p.Chosen {
			chosen++
			assert.InDelta(t, 1, float64(p.Scale), tol)
			assert.InDelta(t, float64(rep.Leakage.Rate), float64(p.Leakage), tol, "the chosen point is the reported operating point")
		}
		if i > 0 {
			assert.GreaterOrEqual(t, float64(p.Leakage), float64(rep.Curve[i-1].Leakage), "higher thresholds leak at least as much")
			assert.LessOrEqual(t, float64(p.OverBlock), float64(rep.Curve[i-1].OverBlock))
		}
	}
	assert.Equal(t, 1, chosen)
}

func TestLeakageProxies(t *testing.T) {
	rep := synthetic("message").Report(1, nil)
	// Passed and in scope: 1 (health, food), 2 (clean, travel), 6 (genetic, travel): n = 3.
	var row *ProxyRow
	for i := range rep.Proxies {
		if rep.Proxies[i].Interest == "food_drink" && rep.Proxies[i].Category == "health" {
			row = &rep.Proxies[i]
		}
	}
	require.NotNil(t, row)
	assert.EqualValues(t, 3, row.N)
	assert.InDelta(t, 3, float64(row.Lift), tol, "P(health|food)=1 over P(health)=1/3")
}

func TestLeakageMerge(t *testing.T) {
	whole := synthetic("message")
	a, b := synthetic("message"), synthetic("message")
	a.Outcomes, b.Outcomes = a.Outcomes[:3], b.Outcomes[3:]
	require.NoError(t, a.Merge(b))
	var x, y bytes.Buffer
	require.NoError(t, WriteJSON(&x, whole.Report(1, nil)))
	require.NoError(t, WriteJSON(&y, a.Report(1, nil)))
	assert.Equal(t, x.String(), y.String(), "merged shards report like the union (NaN-safe: compared as JSON)")
}

func TestReportRedactsTexts(t *testing.T) {
	a := synthetic("message")
	rep := &Report{Title: "t", Split: "test", Leakage: a.Report(1, nil)}
	var md, html, js bytes.Buffer
	rep.WriteMarkdown(&md)
	rep.WriteHTML(&html)
	require.NoError(t, WriteJSON(&js, rep.redacted()))
	for name, out := range map[string]string{"md": md.String(), "html": html.String(), "json": js.String()} {
		assert.NotContains(t, out, "secret", "%s shows texts without --show-text", name)
		assert.Contains(t, out, "1", name)
	}
	rep.ShowText = true
	md.Reset()
	rep.WriteMarkdown(&md)
	assert.Contains(t, md.String(), "secret 1")
	assert.True(t, strings.Contains(html.String(), `id="headline"`) && strings.Contains(html.String(), "<svg"))
}
