package corpora

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/leakbench/leakbench/internal/shareddata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssignSplitsKeepsUnitsTogether(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var recs []Record
	for i := range 3000 {
		recs = append(recs, Record{
			ID:           fmt.Sprint(i),
			Group:        fmt.Sprint("g", rng.IntN(900)),
			Conversation: fmt.Sprint("c", rng.IntN(1500)),
			User:         fmt.Sprint("u", rng.IntN(2500)),
		})
	}
	require.NoError(t, AssignSplits(recs, DefaultRatios, 7))
	require.NoError(t, CheckSplits(recs))

	// Order independence: shuffling the input gives each record the same split.
	want := map[string]string{}
	for _, r := range recs {
		want[r.ID] = r.Split
	}
	shuffled := make([]Record, len(recs))
	copy(shuffled, recs)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for i := range shuffled {
		shuffled[i].Split = ""
	}
	require.NoError(t, AssignSplits(shuffled, DefaultRatios, 7))
	for _, r := range shuffled {
		assert.Equal(t, want[r.ID], r.Split, r.ID)
	}
}

func TestAssignSplitsRatios(t *testing.T) {
	recs := make([]Record, 20000)
	for i := range recs {
		recs[i].ID = fmt.Sprint("m", i)
	}
	require.NoError(t, AssignSplits(recs, Ratios{Train: 0.6, Dev: 0.2, Test: 0.2}, 1))
	n := map[string]int{}
	for _, r := range recs {
		n[r.Split]++
	}
	// Binomial sd of a 0.2 share over 20000 draws is 0.0028; allow 4 sd.
	const tol = 0.012
	assert.InDelta(t, 0.6, float64(n["train"])/20000, tol)
	assert.InDelta(t, 0.2, float64(n["dev"])/20000, tol)
	assert.InDelta(t, 0.2, float64(n["test"])/20000, tol)
	assert.Error(t, AssignSplits(recs, Ratios{Train: -1, Dev: 1}, 1))
}

func TestAssignSplitsRespectsExisting(t *testing.T) {
	recs := []Record{{ID: "a", Group: "g", Split: "dev"}, {ID: "b", Group: "g"}, {ID: "c", Conversation: "x", User: "u"}, {ID: "d", User: "u"}}
	require.NoError(t, AssignSplits(recs, DefaultRatios, 1))
	assert.Equal(t, "dev", recs[1].Split)
	assert.Equal(t, recs[2].Split, recs[3].Split)
}

func TestCheckSplitsFindsLeak(t *testing.T) {
	recs := []Record{{ID: "a", Group: "g", Split: "train"}, {ID: "b", Group: "g", Split: "test"}}
	err := CheckSplits(recs)
	assert.ErrorIs(t, err, ErrSplitLeak)
	assert.Contains(t, err.Error(), `group "g"`)
}

// TestSplitSIB200Twins proves on the shared SIB-200 files that the hash split keeps the FR and EN
// twins of a sentence (one group) in one split, and that the official splits do too.
func TestSplitSIB200Twins(t *testing.T) {
	fr := shareddata.Corpus(t, "sib200_fr.jsonl")
	en := shareddata.Corpus(t, "sib200_en.jsonl")
	recs, _, _, err := Load([]string{fr, en}, Options{})
	require.NoError(t, err)
	require.Len(t, recs, 1600)
	require.NoError(t, CheckSplits(recs), "official splits")
	groups := map[string]int{}
	for i := range recs {
		recs[i].Split = ""
		groups[recs[i].Group]++
	}
	require.NoError(t, AssignSplits(recs, DefaultRatios, 42))
	require.NoError(t, CheckSplits(recs))
	pairs := 0
	for _, n := range groups {
		if n == 2 {
			pairs++
		}
	}
	assert.Equal(t, 800, pairs, "every sentence has its twin")
}

func TestAssignFolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var recs []Record
	for i := range 4000 {
		recs = append(recs, Record{ID: fmt.Sprint(i), Conversation: fmt.Sprint("c", rng.IntN(1200)), User: fmt.Sprint("u", rng.IntN(2000))})
	}
	folds, err := AssignFolds(recs, 5, 1)
	require.NoError(t, err)
	byConv, byUser := map[string]int{}, map[string]int{}
	count := make([]int, 5)
	for i, f := range folds {
		count[f]++
		if g, ok := byConv[recs[i].Conversation]; ok {
			require.Equal(t, g, f, "a conversation crosses folds")
		}
		if g, ok := byUser[recs[i].User]; ok {
			require.Equal(t, g, f, "a user crosses folds")
		}
		byConv[recs[i].Conversation], byUser[recs[i].User] = f, f
	}
	for _, c := range count {
		assert.Positive(t, c)
	}
	_, err = AssignFolds(recs, 1, 1)
	assert.Error(t, err)
}
