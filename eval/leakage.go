package eval

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval/metrics"
)

// LeakOutcome is what the filter did with one message, with the gold labels needed to judge it.
type LeakOutcome struct {
	ID, Lang, Surface, User, Conversation, Group, Text string
	InScope                                            bool
	GoldSensitive                                      uint64 // bits over corpora.Sensitive; valid when SensLabeled
	GoldInterests                                      uint64 // bits over corpora.Interests; valid when IntLabeled
	SensLabeled                                        bool
	IntLabeled                                         bool
	PredSensitive                                      uint64  // bits over the sensitivity model's labels
	PredInterests                                      uint64  // what the interest model emits, filter or not (bits over its labels)
	Ratio                                              float32 // max over excluded categories of probability/threshold: blocked iff >= 1
	Blocked                                            bool    // at the policy's granularity
}

// LeakageAccumulator collects outcomes of a filter on a data set; Merge combines shards.
type LeakageAccumulator struct {
	Policy            classify.Policy
	SensLabels        []string
	IntLabels         []string
	Outcomes          []LeakOutcome
	excludedGold      uint64 // bits over corpora.Sensitive
	conversationLevel bool
}

// NewLeakageAccumulator runs the filter over recs and records every outcome. Context turns come
// from the records' conversations.
func NewLeakageAccumulator(fl *classify.Filter, recs []corpora.Record, keepText bool) *LeakageAccumulator {
	p := fl.Policy()
	a := &LeakageAccumulator{Policy: p, SensLabels: fl.SensitiveModel().Labels, IntLabels: fl.InterestModel().Labels,
		conversationLevel: p.Granularity == "conversation"}
	for _, c := range p.ExcludedCategories {
		a.excludedGold |= 1 << slices.Index(corpora.Sensitive, c)
	}
	sm := fl.SensitiveModel()
	var excluded uint64
	for _, c := range p.ExcludedCategories {
		excluded |= 1 << slices.Index(sm.Labels, c)
	}
	ctx := classify.Contexts(recs, 8)
	var st classify.State
	var f classify.Features
	var probs []float32
	for i := range recs {
		r := &recs[i]
		msg := classify.Message{Text: r.Text, Context: ctx[r.ID], Lang: r.Lang, Region: r.Region, Time: r.Time, Surface: r.Surface}
		o := LeakOutcome{ID: r.ID, Lang: r.Lang, Surface: r.Surface, User: r.User, Conversation: r.Conversation, Group: r.Group,
			InScope: fl.InScope(&msg) == classify.Used, SensLabeled: r.Sensitive != nil, IntLabeled: r.Interests != nil}
		if keepText {
			o.Text = r.Text
		}
		o.GoldSensitive = bitsOf(r.Sensitive, corpora.Sensitive)
		o.GoldInterests = bitsOf(r.Interests, corpora.Interests)
		sm.Featurize(&f, msg.Text, msg.Context)
		probs = sm.Probabilities(sm.Logits(probs, &f))
		o.PredSensitive = sm.Decide(probs)
		for l := range sm.Labels {
			if excluded&(1<<l) == 0 {
				continue
			}
			r := float32(math.Inf(1)) // threshold 0: always reached
			if sm.Thresholds[l] > 0 {
				r = probs[l] / sm.Thresholds[l]
			}
			o.Ratio = max(o.Ratio, r)
		}
		o.PredInterests = fl.Interests(&st, msg.Text, msg.Context)
		o.Blocked = o.Ratio >= 1 // the same test the curve and conversation granularity use
		a.Outcomes = append(a.Outcomes, o)
	}
	if a.conversationLevel {
		a.applyConversations(1)
	}
	return a
}

// applyConversations blocks every message of a conversation in which any message is blocked at
// threshold scale s.
func (a *LeakageAccumulator) applyConversations(s float32) {
	hit := map[string]bool{}
	for _, o := range a.Outcomes {
		if o.Conversation != "" && o.Ratio >= s {
			hit[o.Conversation] = true
		}
	}
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		o.Blocked = o.Ratio >= s || (o.Conversation != "" && hit[o.Conversation])
	}
}

// Merge appends o's outcomes. Conversation granularity is applied again over the union.
func (a *LeakageAccumulator) Merge(o *LeakageAccumulator) error {
	if a.Policy.Name != o.Policy.Name || !slices.Equal(a.SensLabels, o.SensLabels) || !slices.Equal(a.IntLabels, o.IntLabels) {
		return ErrMismatch
	}
	a.Outcomes = append(a.Outcomes, o.Outcomes...)
	if a.conversationLevel {
		a.applyConversations(1)
	}
	return nil
}

func bitsOf(ids, labels []string) uint64 {
	var b uint64
	for _, id := range ids {
		if i := slices.Index(labels, id); i >= 0 {
			b |= 1 << i
		}
	}
	return b
}

// Rate is a share with its count and 95% Wilson interval.
type Rate struct {
	K    int64 `json:"k"`
	N    int64 `json:"n"`
	Rate Num   `json:"rate"`
	CI   CI    `json:"ci"`
}

func newRate(k, n int64) Rate { return Rate{K: k, N: n, Rate: ratio(k, n), CI: wilson(k, n)} }

// LeakageReport answers: of what people said on sensitive topics, how much still shaped the ads
// they would see? JSON keys are stable.
type LeakageReport struct {
	Policy     classify.Policy `json:"policy"`
	Messages   int             `json:"messages"`
	InScope    int             `json:"in_scope"`
	Excluded   map[string]int  `json:"out_of_scope"` // by reason
	Leakage    Rate            `json:"leakage"`      // excluded-category messages that yield an interest
	Passed     Rate            `json:"passed"`       // excluded-category messages the filter lets through
	OverBlock  Rate            `json:"over_blocking"`
	ByCategory map[string]Rate `json:"by_category"`
	ByLang     map[string]Rate `json:"by_lang"`
	BySurface  map[string]Rate `json:"by_surface"`
	// Unexcluded categories (e.g. genetic and biometric under meta-2025-12) that reach ads.
	UnexcludedReach map[string]Rate    `json:"unexcluded_reach"`
	Curve           []CurvePoint       `json:"curve"`
	Proxies         []ProxyRow         `json:"proxies"`
	Profile         []ProfileRow       `json:"profile"`
	CrossLingual    *CrossLingual      `json:"cross_lingual,omitempty"`
	SensitiveIAB    *SensitiveInterest `json:"sensitive_interests,omitempty"`
	TopLeaks        []LeakExample      `json:"top_leaks"`
}

// CurvePoint is one operating point of the sensitivity thresholds, all scaled by Scale.
type CurvePoint struct {
	Scale     Num  `json:"scale"`
	Leakage   Num  `json:"leakage"`
	OverBlock Num  `json:"over_blocking"`
	Chosen    bool `json:"chosen,omitempty"`
}

// ProxyRow is how strongly an emitted interest predicts a gold sensitive category among the
// messages that passed the filter: lift = P(cat | interest) / P(cat), PMI = log2(lift).
type ProxyRow struct {
	Interest  string `json:"interest"`
	Category  string `json:"category"`
	Both      int64  `json:"both"`
	Interest_ int64  `json:"with_interest"`
	Category_ int64  `json:"with_category"`
	N         int64  `json:"n"`
	Lift      Num    `json:"lift"`
	PMI       Num    `json:"pmi"`
}

// ProfileRow is the attacker's ROC-AUC at predicting, from a user's passed interests, whether the
// user talked about a category (0.5 = nothing leaks).
type ProfileRow struct {
	Category  string `json:"category"`
	Users     int    `json:"users"`
	Positives int    `json:"positives"`
	ROCAUC    Num    `json:"roc_auc"`
}

// CrossLingual is the agreement of the filter on translation twins (rows sharing a group across
// languages).
type CrossLingual struct {
	Pairs             int `json:"pairs"`
	BlockAgreement    Num `json:"block_agreement"`
	InterestAgreement Num `json:"interest_agreement"`
}

// LeakExample is a leaked message: id (and text only when asked), categories and interests.
type LeakExample struct {
	ID         string   `json:"id"`
	Text       string   `json:"text,omitempty"`
	Lang       string   `json:"lang"`
	Surface    string   `json:"surface"`
	Categories []string `json:"categories"`
	Interests  []string `json:"interests"`
}

// leaked reports whether an in-scope excluded-category message passed and yielded an interest.
func (o *LeakOutcome) leaked() bool { return !o.Blocked && o.PredInterests != 0 }

// Report computes the leakage report.
func (a *LeakageAccumulator) Report(seed uint64, tax *Taxonomy) *LeakageReport {
	rep := &LeakageReport{Policy: a.Policy, Messages: len(a.Outcomes), Excluded: map[string]int{},
		ByCategory: map[string]Rate{}, ByLang: map[string]Rate{}, BySurface: map[string]Rate{}, UnexcludedReach: map[string]Rate{}}
	type kn struct{ k, n int64 }
	byCat, byLang, bySurf, unexcl := map[string]*kn{}, map[string]*kn{}, map[string]*kn{}, map[string]*kn{}
	inc := func(m map[string]*kn, key string, hit bool) {
		c := m[key]
		if c == nil {
			c = &kn{}
			m[key] = c
		}
		c.n++
		if hit {
			c.k++
		}
	}
	var leak, pass, ob kn
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		if !o.InScope {
			continue
		}
		rep.InScope++
		if !o.SensLabeled {
			continue
		}
		if o.GoldSensitive&a.excludedGold != 0 {
			leak.n++
			pass.n++
			if o.leaked() {
				leak.k++
			}
			if !o.Blocked {
				pass.k++
			}
			for c, name := range corpora.Sensitive {
				if o.GoldSensitive&a.excludedGold&(1<<c) != 0 {
					inc(byCat, name, o.leaked())
				}
			}
			inc(byLang, o.Lang, o.leaked())
			inc(bySurf, o.Surface, o.leaked())
		}
		for c, name := range corpora.Sensitive {
			if o.GoldSensitive&(1<<c) != 0 && a.excludedGold&(1<<c) == 0 {
				inc(unexcl, name, o.leaked())
			}
		}
		if o.GoldSensitive == 0 && o.IntLabeled && o.GoldInterests != 0 {
			ob.n++
			if o.Blocked {
				ob.k++
			}
		}
	}
	rep.Excluded["region_or_time"] = rep.Messages - rep.InScope
	rep.Leakage, rep.Passed, rep.OverBlock = newRate(leak.k, leak.n), newRate(pass.k, pass.n), newRate(ob.k, ob.n)
	for _, m := range []struct {
		src map[string]*kn
		dst map[string]Rate
	}{{byCat, rep.ByCategory}, {byLang, rep.ByLang}, {bySurf, rep.BySurface}, {unexcl, rep.UnexcludedReach}} {
		for k, v := range m.src {
			m.dst[k] = newRate(v.k, v.n)
		}
	}
	rep.Curve = a.curve()
	rep.Proxies = a.proxies()
	rep.Profile = a.profile(seed)
	rep.CrossLingual = a.crossLingual()
	if tax != nil {
		rep.SensitiveIAB = tax.sensitiveInterests(a)
	}
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		if o.InScope && o.SensLabeled && o.GoldSensitive&a.excludedGold != 0 && o.leaked() && len(rep.TopLeaks) < 50 {
			rep.TopLeaks = append(rep.TopLeaks, LeakExample{ID: o.ID, Text: o.Text, Lang: o.Lang, Surface: o.Surface,
				Categories: names(o.GoldSensitive&a.excludedGold, corpora.Sensitive), Interests: names(o.PredInterests, a.IntLabels)})
		}
	}
	return rep
}

func names(set uint64, labels []string) []string {
	out := []string{}
	for set != 0 {
		i := bits.TrailingZeros64(set)
		out = append(out, labels[i])
		set &^= 1 << i
	}
	return out
}

// curve sweeps a common scale of the excluded categories' thresholds (0.05x .. 20x).
func (a *LeakageAccumulator) curve() []CurvePoint {
	saved := make([]bool, len(a.Outcomes))
	for i := range a.Outcomes {
		saved[i] = a.Outcomes[i].Blocked
	}
	defer func() {
		for i := range a.Outcomes {
			a.Outcomes[i].Blocked = saved[i]
		}
	}()
	var out []CurvePoint
	for k := -13; k <= 13; k++ {
		s := float32(math.Pow(10, float64(k)/10))
		if k == 0 {
			s = 1
		}
		if a.conversationLevel {
			a.applyConversations(s)
		} else {
			for i := range a.Outcomes {
				a.Outcomes[i].Blocked = a.Outcomes[i].Ratio >= s
			}
		}
		var lk, ln, ok, on int64
		for i := range a.Outcomes {
			o := &a.Outcomes[i]
			if !o.InScope || !o.SensLabeled {
				continue
			}
			if o.GoldSensitive&a.excludedGold != 0 {
				ln++
				if o.leaked() {
					lk++
				}
			}
			if o.GoldSensitive == 0 && o.IntLabeled && o.GoldInterests != 0 {
				on++
				if o.Blocked {
					ok++
				}
			}
		}
		out = append(out, CurvePoint{Scale: Num(s), Leakage: ratio(lk, ln), OverBlock: ratio(ok, on), Chosen: k == 0})
	}
	return out
}

func (a *LeakageAccumulator) proxies() []ProxyRow {
	var n int64
	withInt := make([]int64, len(a.IntLabels))
	withCat := make([]int64, len(corpora.Sensitive))
	both := make([][]int64, len(a.IntLabels))
	for i := range both {
		both[i] = make([]int64, len(corpora.Sensitive))
	}
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		if !o.InScope || o.Blocked || !o.SensLabeled {
			continue
		}
		n++
		for c := range corpora.Sensitive {
			if o.GoldSensitive&(1<<c) != 0 {
				withCat[c]++
			}
		}
		for l := range a.IntLabels {
			if o.PredInterests&(1<<l) == 0 {
				continue
			}
			withInt[l]++
			for c := range corpora.Sensitive {
				if o.GoldSensitive&(1<<c) != 0 {
					both[l][c]++
				}
			}
		}
	}
	var rows []ProxyRow
	for l, in := range a.IntLabels {
		for c, cn := range corpora.Sensitive {
			if both[l][c] == 0 {
				continue
			}
			lift := float64(both[l][c]) * float64(n) / (float64(withInt[l]) * float64(withCat[c]))
			rows = append(rows, ProxyRow{Interest: in, Category: cn, Both: both[l][c], Interest_: withInt[l], Category_: withCat[c], N: n,
				Lift: Num(lift), PMI: Num(math.Log2(lift))})
		}
	}
	slices.SortFunc(rows, func(x, y ProxyRow) int {
		return cmp.Or(cmp.Compare(y.Lift, x.Lift), cmp.Compare(y.Both, x.Both), cmp.Compare(x.Interest, y.Interest), cmp.Compare(x.Category, y.Category))
	})
	return rows
}

// profile trains, per category, a logistic-regression attacker on users' passed-interest
// profiles (normalized counts of each interest over the user's passed messages) and reports its
// ROC-AUC on held-out users (users split in halves by a hash of their id, trained both ways).
func (a *LeakageAccumulator) profile(seed uint64) []ProfileRow {
	type user struct {
		x    []float64
		gold uint64
		fold int
	}
	users := map[string]*user{}
	var order []string
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		if o.User == "" || !o.SensLabeled {
			continue
		}
		u := users[o.User]
		if u == nil {
			h := fnv.New64a()
			fmt.Fprintf(h, "%d/%s", seed, o.User)
			u = &user{x: make([]float64, len(a.IntLabels)), fold: int(h.Sum64() % 2)}
			users[o.User] = u
			order = append(order, o.User)
		}
		u.gold |= o.GoldSensitive
		if o.InScope && !o.Blocked {
			for l := range a.IntLabels {
				if o.PredInterests&(1<<l) != 0 {
					u.x[l]++
				}
			}
		}
	}
	sort.Strings(order)
	var rows []ProfileRow
	for c, name := range corpora.Sensitive {
		var r metrics.Ranking
		pos := 0
		for fold := range 2 {
			var X [][]float64
			var y []float64
			for _, id := range order {
				u := users[id]
				if u.fold != fold {
					X, y = append(X, normalize(u.x)), append(y, b2f(u.gold&(1<<c) != 0))
				}
			}
			w := fitLogistic(X, y, 1e-2, 300)
			for _, id := range order {
				u := users[id]
				if u.fold == fold {
					r.Add(dotBias(w, normalize(u.x)), u.gold&(1<<c) != 0)
				}
			}
		}
		for _, id := range order {
			if users[id].gold&(1<<c) != 0 {
				pos++
			}
		}
		rows = append(rows, ProfileRow{Category: name, Users: len(order), Positives: pos, ROCAUC: Num(r.ROCAUC())})
	}
	return rows
}

func normalize(x []float64) []float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	out := make([]float64, len(x))
	if s == 0 {
		return out
	}
	for i, v := range x {
		out[i] = v / s
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// fitLogistic fits w (last entry the bias) by gradient descent on the mean log loss plus
// l2/2*||w||^2; deterministic.
func fitLogistic(X [][]float64, y []float64, l2 float64, iters int) []float64 {
	if len(X) == 0 {
		return nil
	}
	d := len(X[0])
	w := make([]float64, d+1)
	g := make([]float64, d+1)
	for range iters {
		clear(g)
		for i, x := range X {
			p := 1 / (1 + math.Exp(-dotBias(w, x)))
			e := p - y[i]
			for j, v := range x {
				g[j] += e * v
			}
			g[d] += e
		}
		for j := range w {
			g[j] /= float64(len(X))
			if j < d {
				g[j] += l2 * w[j]
			}
			w[j] -= 2 * g[j]
		}
	}
	return w
}

func dotBias(w, x []float64) float64 {
	if w == nil {
		return 0
	}
	s := w[len(w)-1]
	for j, v := range x {
		s += w[j] * v
	}
	return s
}

// crossLingual compares decisions on rows that share a group across languages.
func (a *LeakageAccumulator) crossLingual() *CrossLingual {
	groups := map[string][]int{}
	for i := range a.Outcomes {
		if g := a.Outcomes[i].Group; g != "" {
			groups[g] = append(groups[g], i)
		}
	}
	var pairs, blockAgree, intAgree int
	for _, idx := range groups {
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				p, q := &a.Outcomes[idx[x]], &a.Outcomes[idx[y]]
				if p.Lang == q.Lang {
					continue
				}
				pairs++
				if p.Ratio >= 1 == (q.Ratio >= 1) {
					blockAgree++
				}
				if p.PredInterests == q.PredInterests {
					intAgree++
				}
			}
		}
	}
	if pairs == 0 {
		return nil
	}
	return &CrossLingual{Pairs: pairs, BlockAgreement: ratio(int64(blockAgree), int64(pairs)), InterestAgreement: ratio(int64(intAgree), int64(pairs))}
}
