package classify

import (
	"fmt"
	"math"
	"slices"

	"github.com/leakbench/leakbench/classify/subword"
)

// Model kinds.
const (
	KindNB     = "nb"     // multinomial naive Bayes
	KindLogReg = "logreg" // logistic regression
	// KindSVM is a linear SVM: one-vs-rest squared hinge loss (liblinear's L2-loss SVM, what
	// scikit-learn's LinearSVC fits), trained like logreg. Its scores are margins: Probabilities
	// squashes them (softmax or sigmoid) but they are not calibrated.
	KindSVM = "svm"
)

// Targets: the record field a model predicts.
const (
	TargetLabel     = "label"     // single-label: the dataset's own class (softmax)
	TargetInterests = "interests" // multi-label: ad interests (one sigmoid per label)
	TargetSensitive = "sensitive" // multi-label: sensitive categories (one sigmoid per label)
)

// Model is a trained linear classifier over hashed features: for label l,
// logit_l = B[l] + Scale * sum_i Sign[i] * W[Idx[i]*L + l] (naive Bayes uses |Sign| = 1).
// Single-label models predict the arg-max; multi-label models predict every label whose sigmoid
// probability reaches its threshold.
//
// A Model is immutable after training or loading and safe for concurrent use; per-call scratch
// lives in a Features value and a score slice owned by the caller.
type Model struct {
	Kind       string        `json:"kind"`
	Target     string        `json:"target"`
	Features   FeatureConfig `json:"features"`
	Labels     []string      `json:"labels"`
	Thresholds []float32     `json:"thresholds,omitempty"` // multi-label: per label, on probabilities
	Info       TrainInfo     `json:"info"`
	// Vocab holds the most frequent words of the training texts (at most MaxVocab): the hot
	// path precomputes their features' weights (see compiled). Any word may be missing.
	Vocab []string `json:"vocab,omitempty"`

	W []float32 `json:"-"` // Dim rows of len(Labels) weights
	B []float32 `json:"-"`

	// comp is the compiled form of the model for the hot path, built by validate; nil when
	// the features do not allow it.
	comp *compiled

	// tok is the loaded tokenizer of Features.Tokenizer, if any.
	tok *subword.Tokenizer

	// zth are the thresholds in logit space (logit(t) = log(t/(1-t))), set by validate: the hot
	// path compares logits with them and never calls exp.
	zth []float32
}

// TrainInfo records how a model was trained; it is stored in the model file.
type TrainInfo struct {
	Seed           uint64   `json:"seed"`
	L2             float64  `json:"l2,omitempty"`
	Alpha          float64  `json:"alpha,omitempty"`
	ClassWeight    string   `json:"class_weight,omitempty"`
	IDF            bool     `json:"idf,omitempty"`
	Examples       int      `json:"examples"`
	Iterations     int      `json:"iterations,omitempty"`
	Loss           float64  `json:"loss,omitempty"`
	ThresholdRule  string   `json:"threshold_rule,omitempty"`
	ThresholdRows  int      `json:"threshold_rows,omitempty"`
	Data           []string `json:"data,omitempty"`
	FeatureRowsHit int      `json:"feature_rows_hit,omitempty"`
}

// MultiLabel reports whether the model predicts a set of labels rather than one class.
func (m *Model) MultiLabel() bool { return m.Target != TargetLabel }

// Featurize fills f with the model's features of text, reading up to Features.ContextTurns of
// the previous turns in context (newline-separated, most recent last; "" for none).
//
// With a tokenizer, the message's subword pieces are added too; a message the tokenizer library
// cannot encode (it panics on some inputs; see package subword) keeps its other features only.
func (m *Model) Featurize(f *Features, text, context string) {
	m.Features.FeaturizeContext(f, text, context)
	if m.tok != nil {
		var err error
		if f.toks, err = m.tok.Tokens(f.toks[:0], text); err == nil {
			m.Features.addPieces(f, f.toks)
		}
	}
}

// Logits writes the logit of every label for the features f into dst (len(Labels)) and returns
// it. It does not allocate when dst has room.
func (m *Model) Logits(dst []float32, f *Features) []float32 {
	L := len(m.Labels)
	dst = append(dst[:0], m.B...)
	if len(f.Idx) == 0 {
		return dst
	}
	// Labels are summed in blocks of 8, 4 and 1 with the block's accumulators in registers: one
	// pass over the features per block, no bounds checks inside, and no store-to-load chain
	// through dst from one feature to the next.
	nb := m.Kind == KindNB // counts are unsigned: |Sign| (1, or the block factor with BlockNorm)
	l := 0
	for ; l+8 <= L; l += 8 {
		dot8((*[8]float32)(dst[l:l+8]), m.W, L, l, f.Idx, f.Sign, f.Scale, nb)
	}
	for ; l+4 <= L; l += 4 {
		dot4((*[4]float32)(dst[l:l+4]), m.W, L, l, f.Idx, f.Sign, f.Scale, nb)
	}
	for ; l < L; l++ {
		dot1(&dst[l], m.W, L, l, f.Idx, f.Sign, f.Scale, nb)
	}
	return dst
}

// coef is the weight of entry i: Scale*Sign[i], or Scale*|Sign[i]| for naive Bayes.
func coef(sign float32, scale float32, abs bool) float32 {
	if abs {
		return scale * math.Float32frombits(math.Float32bits(sign)&^(1<<31))
	}
	return scale * sign
}

func dot8(acc *[8]float32, w []float32, L, off int, idx []uint32, sign []float32, scale float32, abs bool) {
	a0, a1, a2, a3, a4, a5, a6, a7 := acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7]
	sign = sign[:len(idx)]
	for i, row := range idx {
		s := coef(sign[i], scale, abs)
		o := int(row)*L + off
		r := (*[8]float32)(w[o : o+8])
		a0 += s * r[0]
		a1 += s * r[1]
		a2 += s * r[2]
		a3 += s * r[3]
		a4 += s * r[4]
		a5 += s * r[5]
		a6 += s * r[6]
		a7 += s * r[7]
	}
	*acc = [8]float32{a0, a1, a2, a3, a4, a5, a6, a7}
}

func dot4(acc *[4]float32, w []float32, L, off int, idx []uint32, sign []float32, scale float32, abs bool) {
	a0, a1, a2, a3 := acc[0], acc[1], acc[2], acc[3]
	sign = sign[:len(idx)]
	for i, row := range idx {
		s := coef(sign[i], scale, abs)
		o := int(row)*L + off
		r := (*[4]float32)(w[o : o+4])
		a0 += s * r[0]
		a1 += s * r[1]
		a2 += s * r[2]
		a3 += s * r[3]
	}
	*acc = [4]float32{a0, a1, a2, a3}
}

func dot1(acc *float32, w []float32, L, off int, idx []uint32, sign []float32, scale float32, abs bool) {
	a := *acc
	sign = sign[:len(idx)]
	for i, row := range idx {
		a += coef(sign[i], scale, abs) * w[int(row)*L+off]
	}
	*acc = a
}

// Probabilities turns logits into probabilities in place: softmax for single-label models,
// per-label sigmoid for multi-label ones.
func (m *Model) Probabilities(logits []float32) []float32 {
	if m.MultiLabel() {
		for i, z := range logits {
			logits[i] = sigmoid32(z)
		}
		return logits
	}
	mx := slices.Max(logits)
	var sum float32
	for i, z := range logits {
		logits[i] = float32(math.Exp(float64(z - mx)))
		sum += logits[i]
	}
	for i := range logits {
		logits[i] /= sum
	}
	return logits
}

func sigmoid32(z float32) float32 { return float32(1 / (1 + math.Exp(-float64(z)))) }

// Decide returns, for a multi-label model, the bit set of labels whose probability reaches its
// threshold (bit l for Labels[l]), and for a single-label model the bit of the arg-max label.
// probs are the output of Probabilities. Models have at most 64 labels in bit-set form.
func (m *Model) Decide(probs []float32) uint64 {
	if !m.MultiLabel() {
		best := 0
		for i, p := range probs {
			if p > probs[best] {
				best = i
			}
		}
		return 1 << best
	}
	var set uint64
	for i, p := range probs {
		if p >= m.Thresholds[i] {
			set |= 1 << i
		}
	}
	return set
}

// DecideLogits is Decide on logits rather than probabilities: for a multi-label model p >= t is
// z >= logit(t), so no sigmoid is computed; for a single-label model the arg-max is the same.
func (m *Model) DecideLogits(logits []float32) uint64 {
	if !m.MultiLabel() {
		return m.Decide(logits)
	}
	var set uint64
	for i, z := range logits {
		if z >= m.zth[i] {
			set |= 1 << i
		}
	}
	return set
}

// LabelSet returns the names of the labels in a bit set, in label order.
func (m *Model) LabelSet(set uint64) []string {
	var out []string
	for i, l := range m.Labels {
		if set&(1<<i) != 0 {
			out = append(out, l)
		}
	}
	return out
}

// validate checks the internal consistency of a model (after loading or training).
func (m *Model) validate() error {
	if err := m.Features.Validate(); err != nil {
		return err
	}
	L := len(m.Labels)
	switch {
	case m.Kind != KindNB && m.Kind != KindLogReg && m.Kind != KindSVM:
		return fmt.Errorf("unknown model kind %q", m.Kind)
	case m.Target != TargetLabel && m.Target != TargetInterests && m.Target != TargetSensitive:
		return fmt.Errorf("unknown target %q", m.Target)
	case L < 1 || L > 64:
		return fmt.Errorf("%d labels (want 1..64)", L)
	case len(m.W) != m.Features.Dim()*L:
		return fmt.Errorf("weights: %d values, want %d", len(m.W), m.Features.Dim()*L)
	case len(m.Vocab) > MaxVocab:
		return fmt.Errorf("vocabulary: %d words (at most %d)", len(m.Vocab), MaxVocab)
	case len(m.B) != L:
		return fmt.Errorf("biases: %d values, want %d", len(m.B), L)
	case m.MultiLabel() && len(m.Thresholds) != L:
		return fmt.Errorf("thresholds: %d values, want %d", len(m.Thresholds), L)
	}
	for i, l := range m.Labels {
		if l == "" || slices.Contains(m.Labels[:i], l) {
			return fmt.Errorf("label %d: empty or repeated %q", i, l)
		}
	}
	m.zth = make([]float32, len(m.Thresholds))
	for i, t := range m.Thresholds {
		if !(t >= 0 && t <= 1) {
			return fmt.Errorf("threshold %d: %v outside [0, 1]", i, t)
		}
		m.zth[i] = float32(math.Log(float64(t) / (1 - float64(t))))
	}
	m.compile()
	return nil
}
