package classify

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"testing"
	"time"

	"github.com/leakbench/leakbench/corpora"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toyData is a small separable task: health messages mention symptoms, travel ones trips.
func toyData() ([]string, []Example) {
	labels := []string{"health", "travel"}
	health := []string{"j'ai mal au ventre depuis hier", "my migraine is back again", "effets secondaires du doliprane",
		"is my rash an allergy", "rendez-vous chez le médecin pour ma toux", "my therapist says my anxiety is better",
		"tension trop haute que faire", "insulin dose for type 1 diabetes", "fièvre et toux chez mon fils", "antibiotics for a sinus infection"}
	travel := []string{"cheap flights to lisbon in may", "hôtel pas cher à rome", "train tickets paris to lyon",
		"best beaches in crete for a week", "vol pour dakar en juillet", "car rental at the airport in denver",
		"itinéraire de 10 jours au japon", "hostel in berlin near the station", "billet d'avion pour montréal", "road trip along the coast"}
	var exs []Example
	for i := range health {
		exs = append(exs, Example{ID: fmt.Sprint("h", i), Text: health[i], Labels: []int{0}})
		exs = append(exs, Example{ID: fmt.Sprint("t", i), Text: travel[i], Labels: []int{1}})
	}
	return labels, exs
}

func modelBytes(t *testing.T, m *Model) []byte {
	var buf bytes.Buffer
	_, err := m.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

func TestTrainDeterministic(t *testing.T) {
	labels, exs := toyData()
	for _, kind := range []string{KindNB, KindLogReg, KindSVM} {
		for _, target := range []string{TargetLabel, TargetSensitive} {
			cfg := TrainConfig{Kind: kind, Target: target, Features: FeatureConfig{Bits: 12, WordNgrams: 2, CharMin: 3, CharMax: 4}}
			a, err := Train(cfg, labels, exs, exs)
			require.NoError(t, err)
			b, err := Train(cfg, labels, exs, exs)
			require.NoError(t, err)
			assert.Equal(t, modelBytes(t, a), modelBytes(t, b), "%s/%s: same data and config, same bytes", kind, target)
		}
	}
}

func TestTrainLearns(t *testing.T) {
	labels, exs := toyData()
	for _, kind := range []string{KindNB, KindLogReg, KindSVM} {
		m, err := Train(TrainConfig{Kind: kind, Target: TargetLabel, Features: FeatureConfig{Bits: 14, WordNgrams: 1, CharMin: 3, CharMax: 5}}, labels, exs, nil)
		require.NoError(t, err)
		var f Features
		var p []float32
		for i, tc := range []struct {
			text string
			want int
		}{
			{"mal à la tête et fièvre", 0},       // 0
			{"flights and hotel in rome", 1},     // 1
			{"my doctor changed my insulin", 0},  // 2
			{"un vol pas cher pour lisbonne", 1}, // 3
		} {
			m.Featurize(&f, tc.text, "")
			p = m.Probabilities(m.Logits(p, &f))
			assert.Equal(t, uint64(1)<<tc.want, m.Decide(p), "%s %d: %q %v", kind, i, tc.text, p)
		}
	}
}

// TestLossGradient checks lossGrad's gradient against central differences for the logistic and
// squared hinge losses, single- and multi-label, with class weights.
func TestLossGradient(t *testing.T) {
	labels, exs := toyData()
	exs[0].Labels = []int{0, 1} // one multi-label example
	for _, hinge := range []bool{false, true} {
		for _, multi := range []bool{false, true} {
			m := &Model{Kind: KindLogReg, Features: FeatureConfig{Bits: 10, WordNgrams: 1, CharMin: 3, CharMax: 3}, Labels: labels}
			data := exs
			if !multi {
				data = exs[1:]
			}
			ds := buildDataset(m, data, len(labels), multi, true)
			ds.hinge = hinge
			n := (len(ds.rows) + 1) * len(labels)
			x := make([]float64, n)
			for i := range x {
				x[i] = 0.3 * math.Sin(float64(i)*1.7)
			}
			grad := make([]float64, n)
			ds.lossGrad(x, grad, 1e-3, 2)
			g := make([]float64, n)
			for _, i := range []int{0, 1, 7, n / 2, n - 2, n - 1} {
				const h = 1e-6
				x[i] += h
				up := ds.lossGrad(x, g, 1e-3, 2)
				x[i] -= 2 * h
				down := ds.lossGrad(x, g, 1e-3, 2)
				x[i] += h
				assert.InDelta(t, (up-down)/(2*h), grad[i], 1e-5, "hinge=%v multi=%v coordinate %d", hinge, multi, i)
			}
		}
	}
}

// TestThresholdFoldsOneGroup trains on examples of a single user: no fold can be left out, so
// thresholds fall back to the dev scores instead of failing.
func TestThresholdFoldsOneGroup(t *testing.T) {
	labels, exs := toyData()
	for i := range exs {
		exs[i].Group = "u1"
	}
	m, err := Train(TrainConfig{Target: TargetSensitive, TargetRecall: 0.9, Features: FeatureConfig{Bits: 12, WordNgrams: 1}}, labels, exs, exs)
	require.NoError(t, err)
	assert.Equal(t, len(exs), m.Info.ThresholdRows, "dev rows only")
	assert.Equal(t, "recall>=0.9 on dev", m.Info.ThresholdRule)
}

func TestTrainErrors(t *testing.T) {
	labels, exs := toyData()
	_, err := Train(TrainConfig{Target: TargetLabel}, labels, nil, nil)
	assert.ErrorIs(t, err, ErrNoData)
	_, err = Train(TrainConfig{Target: "topic"}, labels, exs, nil)
	assert.ErrorContains(t, err, "unknown target")
	_, err = Train(TrainConfig{Kind: "rf", Target: TargetLabel}, labels, exs, nil)
	assert.ErrorContains(t, err, "unknown model kind")
	_, err = Train(TrainConfig{Target: TargetLabel}, labels, []Example{{ID: "x", Text: "a", Labels: []int{5}}}, nil)
	assert.ErrorContains(t, err, "out of range")
	_, err = Train(TrainConfig{Target: TargetLabel}, labels, []Example{{ID: "x", Text: "a", Labels: []int{0, 1}}}, nil)
	assert.ErrorContains(t, err, "exactly one label")
}

func TestThresholdsReachTargetRecall(t *testing.T) {
	labels, exs := toyData()
	for _, tc := range []struct {
		folds int
		rule  string
	}{{-1, "recall>=1 on dev"}, {0, "recall>=1 on dev and 5-fold out-of-fold train scores"}} {
		m, err := Train(TrainConfig{Target: TargetSensitive, TargetRecall: 1, ThresholdFolds: tc.folds, Features: FeatureConfig{Bits: 12, WordNgrams: 1}}, labels, exs, exs)
		require.NoError(t, err)
		var f Features
		var p []float32
		for _, ex := range exs {
			m.Featurize(&f, ex.Text, "")
			p = m.Probabilities(m.Logits(p, &f))
			for _, l := range ex.Labels {
				assert.NotZero(t, m.Decide(p)&(1<<l), "recall 1 on the threshold examples, dev among them, means every dev positive is predicted: %s", ex.Text)
			}
		}
		assert.Equal(t, tc.rule, m.Info.ThresholdRule)
		rows := len(exs)
		if tc.folds == 0 {
			rows *= 2 // dev, and every training example once out of fold
		}
		assert.Equal(t, rows, m.Info.ThresholdRows)
	}
}

func TestExamples(t *testing.T) {
	recs := []corpora.Record{
		{ID: "a", Text: "x", Label: "b", Sensitive: []string{"health"}, Conversation: "c", Turn: 1},
		{ID: "b", Text: "y", Label: "a", Sensitive: nil, Conversation: "c", Turn: 2},
		{ID: "c", Text: "z", Sensitive: []string{}, Conversation: "c", Turn: 3},
	}
	exs, labels, err := Examples(recs, TargetLabel, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, labels)
	assert.Len(t, exs, 2, "records without a label are dropped")
	exs, _, err = Examples(recs, TargetSensitive, nil)
	require.NoError(t, err)
	require.Len(t, exs, 2, "unlabeled (nil) is dropped, [] is a negative")
	assert.Equal(t, []int{0}, exs[0].Labels)
	assert.Empty(t, exs[1].Labels)
	assert.Equal(t, "x\ny", exs[1].Context, "context is the previous turns, most recent last")
	_, _, err = Examples(recs, TargetLabel, []string{"a"})
	assert.ErrorContains(t, err, `label "b" not in the model's labels`)
}

func TestContextWindow(t *testing.T) {
	var w ContextWindow
	assert.Equal(t, "", w.Next("c1", "one", 2))
	assert.Equal(t, "one", w.Next("c1", "two", 2))
	assert.Equal(t, "one\ntwo", w.Next("c1", "three", 2))
	assert.Equal(t, "two\nthree", w.Next("c1", "four", 2))
	assert.Equal(t, "", w.Next("c2", "other", 2), "a new conversation starts empty")
	assert.Equal(t, "", w.Next("", "alone", 2))
}

func TestPolicy(t *testing.T) {
	p, err := LoadPolicy("meta-2025-12")
	require.NoError(t, err)
	assert.Len(t, p.ExcludedRegions, 29)
	assert.NotContains(t, p.ExcludedCategories, "genetic")
	_, err = LoadPolicy("nope")
	assert.ErrorContains(t, err, "not built in")
	assert.Error(t, Policy{Name: "x", ExcludedCategories: []string{"helth"}}.Validate())
	assert.Error(t, Policy{Name: "x", ExcludedRegions: []string{"uk"}}.Validate())
	assert.Error(t, Policy{Name: "x", Granularity: "user"}.Validate())
	assert.True(t, Policies["meta-2025-12"].Start.Equal(time.Date(2025, 12, 16, 0, 0, 0, 0, time.UTC)))
}

func TestPredictJSONLTurnOrder(t *testing.T) {
	m := toyModel(t)
	dir := t.TempDir()
	p := dir + "/conv.jsonl"
	data := `{"id":"b","text":"and for him?","lang":"en","conversation":"c","turn":2}` + "\n" +
		`{"id":"a","text":"my migraine is back","lang":"en","conversation":"c","turn":1}` + "\n"
	require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	_, err := PredictJSONL(io.Discard, m, []string{p}, "")
	assert.ErrorContains(t, err, "must come in order", "context is read in file order: out-of-order turns would score differently from eval")
}
