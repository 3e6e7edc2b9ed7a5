package corpora

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func statsRecords() []Record {
	var recs []Record
	for i := range 200 {
		r := Record{ID: fmt.Sprint(i), Lang: Langs[i%2], Split: Splits[i%3], Conversation: fmt.Sprint("c", i/4), Surface: Surfaces[i%5]}
		switch i % 4 {
		case 0:
			r.Sensitive = []string{"health"}
		case 1:
			r.Sensitive = []string{}
			r.Interests = []string{"travel", "outdoor"}
		case 2:
			r.Interests = []string{}
		}
		recs = append(recs, r)
	}
	return recs
}

func TestStatsMergeEqualsUnion(t *testing.T) {
	recs := statsRecords()
	var all, a, b Stats
	for i := range recs {
		all.Add(&recs[i])
		if i%3 == 0 {
			a.Add(&recs[i])
		} else {
			b.Add(&recs[i])
		}
	}
	a.Merge(&b)
	assert.Equal(t, all.Summary(), a.Summary())
}

func TestStatsCounts(t *testing.T) {
	recs := statsRecords()
	var s Stats
	for i := range recs {
		s.Add(&recs[i])
	}
	sum := s.Summary()
	assert.EqualValues(t, 200, sum.Total.Messages)
	assert.EqualValues(t, 50, sum.Total.Sensitive["health"])
	assert.EqualValues(t, 50, sum.Total.SensitiveNone)
	assert.EqualValues(t, 100, sum.Total.SensitiveUnlabeled)
	assert.EqualValues(t, 50, sum.Total.Interests["outdoor"])
	assert.EqualValues(t, 50, sum.Total.InterestsNone)
	assert.EqualValues(t, 100, sum.Total.InterestsUnlabeled)
	require.Len(t, sum.Langs, 2)
	require.Len(t, sum.Slices, 6)
	assert.Equal(t, "en", sum.Slices[0].Lang)
	assert.Equal(t, "train", sum.Slices[0].Split)
	var buf bytes.Buffer
	require.NoError(t, sum.WriteText(&buf))
	assert.Contains(t, buf.String(), "sens_unlabeled")
	assert.Contains(t, buf.String(), "outdoor")
}
