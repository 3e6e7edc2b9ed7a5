package classify

import (
	"fmt"
	"slices"
	"time"
)

// Message is what the production filter sees of one user turn.
type Message struct {
	Text    string
	Context string // previous user turns of the conversation, newline-separated, most recent last
	Lang    string
	Region  string    // ISO 3166 alpha-2; "" is treated as in scope
	Time    time.Time // zero is treated as after the policy start
	Surface string
}

// Reason says why a Decision is what it is.
type Reason uint8

const (
	Used           Reason = iota // feeds ads with its interests
	NoInterest                   // allowed, but no interest reached its threshold
	RegionExcluded               // the user is in an excluded region
	BeforeStart                  // sent before the policy start
	Sensitive                    // an excluded category reached its threshold
)

var reasonNames = [...]string{"used", "no_interest", "region_excluded", "before_start", "sensitive"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", r)
}

// Decision is the filter's verdict on one message. Sensitive and Interests are bit sets over the
// label lists of the filter's sensitivity and interest models (see Filter.SensitiveLabels).
// Sensitive holds every category predicted (excluded or not) when the message reached the
// sensitivity model; Interests is computed only for messages that pass the sensitivity gate.
type Decision struct {
	Reason    Reason
	Sensitive uint64
	Interests uint64
}

// Use reports whether the message feeds ad targeting.
func (d Decision) Use() bool { return d.Reason == Used }

// Filter is the per-message decision used in production: policy gates (region, start date), then
// the sensitivity model (any excluded category at or above its threshold blocks the message),
// then the interest model. A Filter is immutable and safe for concurrent use; each goroutine
// passes its own State.
type Filter struct {
	policy   Policy
	sens     *Model
	ints     *Model
	regions  [26 * 26]bool
	start    time.Time
	excluded uint64 // bits of sens.Labels excluded by the policy
	shared   bool   // both models use the same features: featurize once
}

// State is the per-goroutine scratch of a Filter. The zero value is ready to use.
type State struct {
	f, g   Features
	scores []float32
}

// NewFilter compiles a policy against a sensitivity model (target sensitive) and an interest
// model (target interests).
func NewFilter(p Policy, sens, ints *Model) (*Filter, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if sens == nil || sens.Target != TargetSensitive {
		return nil, fmt.Errorf("classify: filter needs a sensitivity model (target %q)", TargetSensitive)
	}
	if ints == nil || ints.Target != TargetInterests {
		return nil, fmt.Errorf("classify: filter needs an interest model (target %q)", TargetInterests)
	}
	fl := &Filter{policy: p, sens: sens, ints: ints, start: p.Start, shared: sens.Features == ints.Features}
	for _, r := range p.ExcludedRegions {
		fl.regions[regionIndex(r)] = true
	}
	for _, c := range p.ExcludedCategories {
		i := slices.Index(sens.Labels, c)
		if i < 0 {
			return nil, fmt.Errorf("classify: policy %s excludes %q, which the sensitivity model does not predict", p.Name, c)
		}
		fl.excluded |= 1 << i
	}
	return fl, nil
}

// Policy returns the filter's policy.
func (fl *Filter) Policy() Policy { return fl.policy }

// SensitiveModel and InterestModel return the filter's models.
func (fl *Filter) SensitiveModel() *Model { return fl.sens }
func (fl *Filter) InterestModel() *Model  { return fl.ints }

// InScope reports whether the policy lets the message be considered at all (region and time).
func (fl *Filter) InScope(msg *Message) Reason {
	if i := regionIndex(msg.Region); i >= 0 && fl.regions[i] {
		return RegionExcluded
	}
	if !msg.Time.IsZero() && msg.Time.Before(fl.start) {
		return BeforeStart
	}
	return Used
}

// Decide returns the decision for msg. It does not allocate once st's buffers are warm, unless
// a model uses subword features (FeatureConfig.Tokenizer), whose library allocates.
//
// Models without per-family normalization or subwords run compiled (see compiled): the words of
// their vocabulary add precomputed vectors instead of hashing n-grams. On the built-in corpus
// this took the in-scope decision p50 from 2.5 us to 0.93 us (leakbench bench), with the same
// decisions as Featurize+Logits on every message (TestHotPathMatchesModels).
//
// Note: a fused table with both models' weights of a row side by side (one read per feature
// instead of two) was measured slower (in-scope p50 4.6-5.4 us against 2.5-2.6 us before the
// compiled form): most in-scope messages are blocked by the sensitivity model and never pay for
// the interest model, which a fused pass always does.
func (fl *Filter) Decide(st *State, msg *Message) Decision {
	if r := fl.InScope(msg); r != Used {
		return Decision{Reason: r}
	}
	sens := fl.Sensitivity(st, msg.Text, msg.Context)
	if sens&fl.excluded != 0 {
		return Decision{Reason: Sensitive, Sensitive: sens}
	}
	ints := fl.interests(st, msg.Text, msg.Context)
	d := Decision{Reason: Used, Sensitive: sens, Interests: ints}
	if ints == 0 {
		d.Reason = NoInterest
	}
	return d
}

// Sensitivity returns the categories of text (after context) at or above their thresholds,
// ignoring the policy.
func (fl *Filter) Sensitivity(st *State, text, context string) uint64 {
	st.scores = fl.sens.hotLogits(st.scores, &st.f, text, context)
	return fl.sens.DecideLogits(st.scores)
}

// Interests returns the interests of text at or above their thresholds, ignoring the policy and
// the sensitivity model (what the platform would use with no filter at all).
func (fl *Filter) Interests(st *State, text, context string) uint64 {
	st.scores = fl.ints.hotLogits(st.scores, &st.g, text, context)
	return fl.ints.DecideLogits(st.scores)
}

// interests reuses the features of the preceding Sensitivity call when the models share them.
func (fl *Filter) interests(st *State, text, context string) uint64 {
	if !fl.shared {
		return fl.Interests(st, text, context)
	}
	if fl.ints.comp != nil && fl.sens.comp != nil { // st.f holds the prepared text
		st.scores = fl.ints.compiledLogits(st.scores, &st.f)
	} else if fl.ints.comp == nil && fl.sens.comp == nil { // st.f holds the features
		st.scores = fl.ints.Logits(st.scores, &st.f)
	} else {
		return fl.Interests(st, text, context)
	}
	return fl.ints.DecideLogits(st.scores)
}

// hotLogits computes the logits of text through the compiled model when there is one, and
// through Featurize and Logits otherwise, using f as scratch.
func (m *Model) hotLogits(dst []float32, f *Features, text, context string) []float32 {
	if m.comp != nil {
		m.Features.prepare(f, text, context)
		return m.compiledLogits(dst, f)
	}
	m.Featurize(f, text, context)
	return m.Logits(dst, f)
}
