package corpora

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Counts are the counts of one slice of a corpus (one language and split, or the total).
type Counts struct {
	Messages      int64 `json:"messages"`
	Conversations int64 `json:"conversations"`
	// Sensitive and Interests count messages per label id; SensitiveNone and InterestsNone count
	// messages checked and found to have none; the Unlabeled fields count messages without the key.
	Sensitive          map[string]int64 `json:"sensitive"`
	Interests          map[string]int64 `json:"interests"`
	SensitiveNone      int64            `json:"sensitive_none"`
	InterestsNone      int64            `json:"interests_none"`
	SensitiveUnlabeled int64            `json:"sensitive_unlabeled"`
	InterestsUnlabeled int64            `json:"interests_unlabeled"`
	Surfaces           map[string]int64 `json:"surfaces,omitempty"`
}

// Stats accumulates Counts per language and split. The zero value is ready to use. Two Stats
// computed on disjoint shards Merge into the Stats of the union. Not safe for concurrent use.
type Stats struct {
	slices map[sliceKey]*sliceAcc
}

type sliceKey struct{ Lang, Split string }

type sliceAcc struct {
	c     Counts
	convs map[string]struct{}
}

func newSliceAcc() *sliceAcc {
	return &sliceAcc{
		c:     Counts{Sensitive: map[string]int64{}, Interests: map[string]int64{}, Surfaces: map[string]int64{}},
		convs: map[string]struct{}{},
	}
}

// Add counts one record. A record without a split counts under split "".
func (s *Stats) Add(r *Record) {
	if s.slices == nil {
		s.slices = make(map[sliceKey]*sliceAcc)
	}
	k := sliceKey{r.Lang, r.Split}
	a := s.slices[k]
	if a == nil {
		a = newSliceAcc()
		s.slices[k] = a
	}
	a.c.Messages++
	a.convs[r.ConversationKey()] = struct{}{}
	switch {
	case r.Sensitive == nil:
		a.c.SensitiveUnlabeled++
	case len(r.Sensitive) == 0:
		a.c.SensitiveNone++
	}
	for _, id := range r.Sensitive {
		a.c.Sensitive[id]++
	}
	switch {
	case r.Interests == nil:
		a.c.InterestsUnlabeled++
	case len(r.Interests) == 0:
		a.c.InterestsNone++
	}
	for _, id := range r.Interests {
		a.c.Interests[id]++
	}
	if r.Surface != "" {
		a.c.Surfaces[r.Surface]++
	}
}

// Merge adds the counts of o into s. Conversations seen by both count once.
func (s *Stats) Merge(o *Stats) {
	if s.slices == nil {
		s.slices = make(map[sliceKey]*sliceAcc)
	}
	for k, b := range o.slices {
		a := s.slices[k]
		if a == nil {
			a = newSliceAcc()
			s.slices[k] = a
		}
		a.add(b)
	}
}

func (a *sliceAcc) add(b *sliceAcc) {
	a.c.Messages += b.c.Messages
	a.c.SensitiveNone += b.c.SensitiveNone
	a.c.InterestsNone += b.c.InterestsNone
	a.c.SensitiveUnlabeled += b.c.SensitiveUnlabeled
	a.c.InterestsUnlabeled += b.c.InterestsUnlabeled
	for id, n := range b.c.Sensitive {
		a.c.Sensitive[id] += n
	}
	for id, n := range b.c.Interests {
		a.c.Interests[id] += n
	}
	for id, n := range b.c.Surfaces {
		a.c.Surfaces[id] += n
	}
	for c := range b.convs {
		a.convs[c] = struct{}{}
	}
}

// SliceCounts are the Counts of one language and split.
type SliceCounts struct {
	Lang  string `json:"lang"`
	Split string `json:"split"`
	Counts
}

// Summary is the result of a Stats: per language and split, per language, and in total.
type Summary struct {
	Slices []SliceCounts `json:"slices"`
	Langs  []SliceCounts `json:"langs"`
	Total  Counts        `json:"total"`
}

// Summary returns the counts sorted by language then split (train, dev, test, unsplit).
func (s *Stats) Summary() Summary {
	keys := make([]sliceKey, 0, len(s.slices))
	for k := range s.slices {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b sliceKey) int {
		return cmp.Or(cmp.Compare(a.Lang, b.Lang), cmp.Compare(splitRank(a.Split), splitRank(b.Split)))
	})
	var sum Summary
	total := newSliceAcc()
	perLang := map[string]*sliceAcc{}
	var langs []string
	for _, k := range keys {
		a := s.slices[k]
		sum.Slices = append(sum.Slices, SliceCounts{k.Lang, k.Split, a.counts()})
		if perLang[k.Lang] == nil {
			perLang[k.Lang] = newSliceAcc()
			langs = append(langs, k.Lang)
		}
		perLang[k.Lang].add(a)
		total.add(a)
	}
	for _, l := range langs {
		sum.Langs = append(sum.Langs, SliceCounts{Lang: l, Counts: perLang[l].counts()})
	}
	sum.Total = total.counts()
	return sum
}

func (a *sliceAcc) counts() Counts {
	c := a.c
	c.Conversations = int64(len(a.convs))
	c.Sensitive, c.Interests, c.Surfaces = clone(c.Sensitive), clone(c.Interests), clone(c.Surfaces)
	return c
}

func clone(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func splitRank(s string) int {
	if i := slices.Index(Splits, s); i >= 0 {
		return i
	}
	return len(Splits)
}

// WriteText writes the summary as aligned text tables: one overview row per language and split,
// then the per-category and per-interest counts per language.
func (sum Summary) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lang\tsplit\tmessages\tconversations\tsensitive\tsens_none\tsens_unlabeled\tinterest\tint_none\tint_unlabeled\t")
	row := func(lang, split string, c Counts) {
		if split == "" {
			split = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", lang, split, c.Messages, c.Conversations,
			c.Messages-c.SensitiveNone-c.SensitiveUnlabeled, c.SensitiveNone, c.SensitiveUnlabeled,
			c.Messages-c.InterestsNone-c.InterestsUnlabeled, c.InterestsNone, c.InterestsUnlabeled)
	}
	for _, s := range sum.Slices {
		row(s.Lang, s.Split, s.Counts)
	}
	row("all", "all", sum.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, group := range []struct {
		title string
		ids   []string
		get   func(Counts) map[string]int64
	}{
		{"sensitive", Sensitive, func(c Counts) map[string]int64 { return c.Sensitive }},
		{"interest", Interests, func(c Counts) map[string]int64 { return c.Interests }},
	} {
		fmt.Fprintln(w)
		fmt.Fprintf(tw, "%s\t", group.title)
		for _, l := range sum.Langs {
			fmt.Fprintf(tw, "%s\t", l.Lang)
		}
		fmt.Fprintln(tw, "all\t")
		for _, id := range group.ids {
			fmt.Fprintf(tw, "%s\t", id)
			for _, l := range sum.Langs {
				fmt.Fprintf(tw, "%d\t", group.get(l.Counts)[id])
			}
			fmt.Fprintf(tw, "%d\t\n", group.get(sum.Total)[id])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
