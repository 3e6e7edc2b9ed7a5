package classify

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/leakbench/leakbench/corpora"
	"gonum.org/v1/gonum/optimize"
)

// Example is one training or evaluation item: a text and the indices of its gold labels (one for
// single-label targets).
type Example struct {
	ID      string
	Text    string
	Context string // previous user turns of the conversation, most recent last (see Contexts)
	Labels  []int
	// Group keeps related examples in one out-of-fold threshold fold (see
	// TrainConfig.ThresholdFolds): the record's user, else its conversation, else its group.
	Group string
}

// Contexts returns, for every record in a conversation, the texts of up to n previous turns of
// that conversation joined by newlines (most recent last), keyed by record id. Records outside a
// conversation or at its first turn have no entry.
func Contexts(recs []corpora.Record, n int) map[string]string {
	out := map[string]string{}
	if n <= 0 {
		return out
	}
	turns := map[string]map[int]string{}
	for _, r := range recs {
		if r.Conversation == "" || r.Turn == 0 {
			continue
		}
		if turns[r.Conversation] == nil {
			turns[r.Conversation] = map[int]string{}
		}
		turns[r.Conversation][r.Turn] = r.Text
	}
	for _, r := range recs {
		if r.Conversation == "" || r.Turn <= 1 {
			continue
		}
		var parts []string
		for t := max(1, r.Turn-n); t < r.Turn; t++ {
			if s, ok := turns[r.Conversation][t]; ok {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			out[r.ID] = strings.Join(parts, "\n")
		}
	}
	return out
}

// Examples converts records into examples for target. For TargetLabel the label set is the
// sorted set of Label values of recs unless labels is given; records without a label are
// dropped. For multi-label targets labels defaults to corpora.Interests or corpora.Sensitive and
// records whose list is nil (unlabeled) are dropped; [] is a negative example. A record label
// outside labels is an error naming the record.
func Examples(recs []corpora.Record, target string, labels []string) ([]Example, []string, error) {
	if labels == nil {
		switch target {
		case TargetLabel:
			for _, r := range recs {
				if r.Label != "" && !slices.Contains(labels, r.Label) {
					labels = append(labels, r.Label)
				}
			}
			slices.Sort(labels)
		case TargetInterests:
			labels = corpora.Interests
		case TargetSensitive:
			labels = corpora.Sensitive
		default:
			return nil, nil, fmt.Errorf("classify: unknown target %q (want label, interests or sensitive)", target)
		}
	}
	// Context comes from all of recs, whatever split: a conversation never crosses splits.
	ctx := Contexts(recs, 8)
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	var out []Example
	for _, r := range recs {
		var ids []string
		switch target {
		case TargetLabel:
			if r.Label == "" {
				continue
			}
			ids = []string{r.Label}
		case TargetInterests:
			ids = r.Interests
		case TargetSensitive:
			ids = r.Sensitive
		}
		if ids == nil {
			continue
		}
		ex := Example{ID: r.ID, Text: r.Text, Context: ctx[r.ID], Labels: make([]int, 0, len(ids)),
			Group: cmp.Or(r.User, r.Conversation, r.Group)}
		for _, id := range ids {
			i, ok := index[id]
			if !ok {
				return nil, nil, fmt.Errorf("classify: %s:%d: record %q: label %q not in the model's labels", r.File, r.Line, r.ID, id)
			}
			ex.Labels = append(ex.Labels, i)
		}
		out = append(out, ex)
	}
	return out, labels, nil
}

// TrainConfig configures Train. Zero fields take the documented defaults.
type TrainConfig struct {
	Kind     string        // KindNB, KindLogReg (default) or KindSVM
	Target   string        // TargetLabel, TargetInterests or TargetSensitive
	Features FeatureConfig // zero: DefaultFeatures
	L2       float64       // logreg: L2 penalty on weights, lambda/2*||W||^2 (default 1e-5)
	Alpha    float64       // nb: additive smoothing (default 0.1)
	// ClassWeight "balanced" (default) weighs each class (per label: positives and negatives) by
	// n/(k*n_class); "none" weighs every example 1.
	ClassWeight string
	// Weighting, for logreg: "idf" (default) trains on features weighted by their smoothed
	// inverse document frequency in the training set, ln((1+n)/(1+df))+1 (scikit-learn's
	// smooth_idf), and folds the weights into the model's rows afterwards, so prediction costs
	// nothing more (measured, binary -> idf: SLURP 0.838 -> 0.848 and CLINC domains 0.966 ->
	// 0.975 with format 1's hashing; CLINC domains 0.954 -> 0.977 with format 2, logreg,
	// block norm, word trigrams, 2^20 rows);
	// "binary" uses the signed features as they are.
	Weighting string
	MaxIter   int    // logreg: L-BFGS iterations (default 300)
	Seed      uint64 // recorded; training is deterministic given data and config
	// TargetRecall, when > 0, sets each multi-label threshold to keep recall >= TargetRecall on
	// the threshold examples (dev, and out-of-fold training scores: see ThresholdFolds);
	// otherwise thresholds maximize F1 there. The threshold sits midway between the lowest score
	// kept and the next score below it. Without positives for a label its threshold is 0.5.
	TargetRecall float64
	// ThresholdFolds, for multi-label targets, adds out-of-fold scores of the training examples
	// to the dev scores thresholds are chosen on: k models are trained on k-1 folds (by Group)
	// and score the fold left out. A dev split of a few hundred messages holds a few dozen
	// positives per label, so a recall-0.95 threshold rests on its one or two lowest scores; the
	// training set's out-of-fold scores give it ten times more. 0 means 5 folds; < 0 (or 1)
	// disables them, leaving the dev examples alone.
	ThresholdFolds int
	Progress       io.Writer // where to draw a progress bar (nil: none); see NewProgress
	// Tokenizer adds subword features from a Hugging Face tokenizer.json (LoadTokenizer); nil
	// for none.
	Tokenizer *Tokenizer
	Data      []string // names of the training data, recorded in the model
}

func (c *TrainConfig) defaults() error {
	if c.Kind == "" {
		c.Kind = KindLogReg
	}
	if c.Features == (FeatureConfig{}) {
		c.Features = DefaultFeatures
	}
	if c.L2 == 0 {
		c.L2 = 1e-5
	}
	if c.Weighting == "" {
		c.Weighting = "idf"
	}
	if c.Alpha == 0 {
		c.Alpha = 0.1
	}
	if c.ClassWeight == "" {
		c.ClassWeight = "balanced"
	}
	if c.MaxIter == 0 {
		c.MaxIter = 300
	}
	if c.ThresholdFolds == 0 {
		c.ThresholdFolds = 5
	}
	switch {
	case c.Kind != KindNB && c.Kind != KindLogReg && c.Kind != KindSVM:
		return fmt.Errorf("classify: unknown model kind %q (want nb or logreg)", c.Kind)
	case c.Target != TargetLabel && c.Target != TargetInterests && c.Target != TargetSensitive:
		return fmt.Errorf("classify: unknown target %q (want label, interests or sensitive)", c.Target)
	case c.Weighting != "idf" && c.Weighting != "binary":
		return fmt.Errorf("classify: unknown weighting %q (want idf or binary)", c.Weighting)
	case c.ClassWeight != "balanced" && c.ClassWeight != "none":
		return fmt.Errorf("classify: unknown class weight %q (want balanced or none)", c.ClassWeight)
	case !finite(c.L2) || !finite(c.Alpha) || !finite(c.TargetRecall):
		return fmt.Errorf("classify: l2 %v, alpha %v and target recall %v must be finite numbers", c.L2, c.Alpha, c.TargetRecall)
	case c.L2 < 0 || c.Alpha < 0 || c.MaxIter < 0:
		return errors.New("classify: l2, alpha and max iterations must be >= 0")
	case c.TargetRecall < 0 || c.TargetRecall > 1:
		return fmt.Errorf("classify: target recall %v outside [0, 1]", c.TargetRecall)
	}
	return c.Features.Validate()
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ErrNoData is returned when there is nothing to train on.
var ErrNoData = errors.New("classify: no training examples")

// Train fits a model on train and picks multi-label thresholds on dev (which may be empty).
func Train(cfg TrainConfig, labels []string, train, dev []Example) (*Model, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if len(train) == 0 {
		return nil, ErrNoData
	}
	m := &Model{
		Kind: cfg.Kind, Target: cfg.Target, Features: cfg.Features, Labels: slices.Clone(labels),
		Info: TrainInfo{Seed: cfg.Seed, ClassWeight: cfg.ClassWeight, Examples: len(train), Data: cfg.Data},
	}
	if len(labels) < 1 || len(labels) > 64 {
		return nil, fmt.Errorf("classify: %d labels (want 1..64)", len(labels))
	}
	if !m.MultiLabel() && len(labels) < 2 {
		return nil, errors.New("classify: a single-label target needs at least 2 classes")
	}
	for _, ex := range train {
		for _, l := range ex.Labels {
			if l < 0 || l >= len(labels) {
				return nil, fmt.Errorf("classify: example %q: label index %d out of range", ex.ID, l)
			}
		}
		if !m.MultiLabel() && len(ex.Labels) != 1 {
			return nil, fmt.Errorf("classify: example %q: single-label target needs exactly one label, has %d", ex.ID, len(ex.Labels))
		}
	}
	if cfg.Tokenizer != nil {
		m.tok = cfg.Tokenizer.tok
		m.Features.Tokenizer, m.Features.TokenizerSHA256 = cfg.Tokenizer.Path, cfg.Tokenizer.SHA256
	}
	m.Vocab = vocabulary(train, MaxVocab)
	ds := buildDataset(m, train, len(labels), m.MultiLabel(), cfg.ClassWeight == "balanced")
	if cfg.Weighting == "idf" && cfg.Kind != KindNB {
		ds.applyIDF()
		m.Info.IDF = true
	}
	m.Info.FeatureRowsHit = len(ds.rows)
	switch cfg.Kind {
	case KindNB:
		m.Info.Alpha = cfg.Alpha
		trainNB(m, ds, cfg.Alpha)
	case KindLogReg, KindSVM:
		ds.hinge = cfg.Kind == KindSVM
		m.Info.L2 = cfg.L2
		if err := trainLogReg(m, ds, cfg); err != nil {
			return nil, err
		}
	}
	if m.MultiLabel() {
		per := scoreLabels(nil, m, dev)
		on := "dev"
		if k := cfg.ThresholdFolds; k > 1 && len(train) >= 2*k {
			var err error
			before := len(per[0])
			if per, err = outOfFold(per, cfg, labels, train, k); err != nil {
				return nil, err
			}
			if len(per[0]) > before {
				on = fmt.Sprintf("dev and %d-fold out-of-fold train scores", k)
			}
		}
		m.Thresholds = chooseThresholds(per, cfg.TargetRecall)
		m.Info.ThresholdRows = len(per[0])
		if cfg.TargetRecall > 0 {
			m.Info.ThresholdRule = fmt.Sprintf("recall>=%g on %s", cfg.TargetRecall, on)
		} else {
			m.Info.ThresholdRule = "best F1 on " + on
		}
	}
	return m, m.validate()
}

// dataset is the training set in compressed sparse rows over the feature rows it uses.
type dataset struct {
	L      int
	multi  bool
	rows   []uint32  // used feature rows, ascending: column j is rows[j]
	ptr    []int     // example i has entries ptr[i]:ptr[i+1]
	col    []int32   // compact column
	val    []float32 // Sign*Scale
	y      [][]int   // gold labels
	weight []float64 // single-label: per-example weight
	posW   []float64 // multi-label: weight of a positive per label
	negW   []float64 // multi-label: weight of a negative per label
	totalW float64
	idf    []float32 // per column when IDF weighting is on
	hinge  bool      // squared hinge loss, one-vs-rest (KindSVM) instead of the logistic loss
}

func buildDataset(m *Model, exs []Example, L int, multi, balanced bool) *dataset {
	ds := &dataset{L: L, multi: multi, ptr: make([]int, 1, len(exs)+1)}
	var f Features
	var rawIdx []uint32
	for _, ex := range exs {
		m.Featurize(&f, ex.Text, ex.Context)
		rawIdx = append(rawIdx, f.Idx...)
		for _, s := range f.Sign {
			ds.val = append(ds.val, s*f.Scale)
		}
		ds.ptr = append(ds.ptr, len(rawIdx))
		ds.y = append(ds.y, ex.Labels)
	}
	ds.rows = slices.Clone(rawIdx)
	slices.Sort(ds.rows)
	ds.rows = slices.Compact(ds.rows)
	ds.col = make([]int32, len(rawIdx))
	for i, r := range rawIdx {
		j, _ := slices.BinarySearch(ds.rows, r)
		ds.col[i] = int32(j)
	}
	n := float64(len(exs))
	if multi {
		ds.posW, ds.negW = make([]float64, L), make([]float64, L)
		pos := make([]float64, L)
		for _, ys := range ds.y {
			for _, l := range ys {
				pos[l]++
			}
		}
		for l := range L {
			ds.posW[l], ds.negW[l] = 1, 1
			if balanced && pos[l] > 0 && pos[l] < n {
				ds.posW[l], ds.negW[l] = n/(2*pos[l]), n/(2*(n-pos[l]))
			}
		}
		ds.totalW = n
		return ds
	}
	count := make([]float64, L)
	for _, ys := range ds.y {
		count[ys[0]]++
	}
	present := 0
	for _, c := range count {
		if c > 0 {
			present++
		}
	}
	ds.weight = make([]float64, len(exs))
	for i, ys := range ds.y {
		ds.weight[i] = 1
		if balanced {
			ds.weight[i] = n / (float64(present) * count[ys[0]])
		}
		ds.totalW += ds.weight[i]
	}
	return ds
}

// applyIDF multiplies every entry by the smoothed idf of its column and keeps the idf to fold
// into the weights after training.
func (ds *dataset) applyIDF() {
	df := make([]float64, len(ds.rows))
	seen := make([]int, len(ds.rows))
	for i := range seen {
		seen[i] = -1
	}
	for i := range ds.y {
		for k := ds.ptr[i]; k < ds.ptr[i+1]; k++ {
			if j := ds.col[k]; seen[j] != i {
				seen[j] = i
				df[j]++
			}
		}
	}
	n := float64(len(ds.y))
	ds.idf = make([]float32, len(ds.rows))
	for j := range df {
		ds.idf[j] = float32(math.Log((1+n)/(1+df[j])) + 1)
	}
	for k, j := range ds.col {
		ds.val[k] *= ds.idf[j]
	}
}

// trainNB fits multinomial naive Bayes with additive smoothing alpha over the used rows. Rows
// never seen in training keep weight 0 (unknown features are ignored). Single-label: W = log
// P(row|class), B = log P(class). Multi-label: per label, the log-likelihood ratio of the label's
// positive and negative examples, B = log prior odds.
func trainNB(m *Model, ds *dataset, alpha float64) {
	L, V := ds.L, len(ds.rows)
	// counts[j*L+c] for single-label; for multi-label c is the label's positive side and the
	// negative side is the total minus it.
	counts := make([]float64, V*L)
	total := make([]float64, V)
	classTot := make([]float64, L)
	docs := make([]float64, L)
	all := 0.0
	for i := range ds.y {
		for _, l := range ds.y[i] {
			docs[l]++
		}
		for k := ds.ptr[i]; k < ds.ptr[i+1]; k++ {
			j := int(ds.col[k])
			total[j]++
			all++
			for _, l := range ds.y[i] {
				counts[j*L+l]++
				classTot[l]++
			}
		}
	}
	n := float64(len(ds.y))
	m.W = make([]float32, m.Features.Dim()*L)
	m.B = make([]float32, L)
	for l := range L {
		if ds.multi {
			negDocs := n - docs[l]
			m.B[l] = float32(math.Log((docs[l] + alpha) / (negDocs + alpha)))
		} else {
			m.B[l] = float32(math.Log((docs[l] + alpha) / (n + alpha*float64(L))))
		}
	}
	for j, row := range ds.rows {
		for l := range L {
			pos := math.Log((counts[j*L+l] + alpha) / (classTot[l] + alpha*float64(V)))
			if ds.multi {
				neg := math.Log((total[j] - counts[j*L+l] + alpha) / (all - classTot[l] + alpha*float64(V)))
				pos -= neg
			}
			m.W[int(row)*L+l] = float32(pos)
		}
	}
}

// lossGrad computes the weighted mean loss plus the L2 penalty, and its gradient, at x
// (compact weights V*L then L biases). Work is split into fixed shards summed in order, so the
// result does not depend on scheduling.
func (ds *dataset) lossGrad(x, grad []float64, l2 float64, workers int) float64 {
	L, V := ds.L, len(ds.rows)
	n := len(ds.y)
	type part struct {
		loss float64
		grad []float64
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := make([]float64, len(x))
			z := make([]float64, L)
			loss := 0.0
			for i := w * n / workers; i < (w+1)*n/workers; i++ {
				copy(z, x[V*L:])
				for k := ds.ptr[i]; k < ds.ptr[i+1]; k++ {
					j, v := int(ds.col[k]), float64(ds.val[k])
					for l, wt := range x[j*L : j*L+L] {
						z[l] += v * wt
					}
				}
				// z becomes dLoss/dz.
				if ds.hinge {
					// One-vs-rest squared hinge: max(0, 1 - y z)^2 with y = +-1.
					for l := range L {
						y, wt := -1.0, 0.0
						switch {
						case ds.multi && slices.Contains(ds.y[i], l):
							y, wt = 1, ds.posW[l]
						case ds.multi:
							wt = ds.negW[l]
						case ds.y[i][0] == l:
							y, wt = 1, ds.weight[i]
						default:
							wt = ds.weight[i]
						}
						if m := 1 - y*z[l]; m > 0 {
							loss += wt * m * m
							z[l] = -2 * wt * y * m
						} else {
							z[l] = 0
						}
					}
				} else if ds.multi {
					ys := ds.y[i]
					for l := range L {
						pos := slices.Contains(ys, l)
						p := 1 / (1 + math.Exp(-z[l]))
						if pos {
							loss += ds.posW[l] * softplus(-z[l])
							z[l] = ds.posW[l] * (p - 1)
						} else {
							loss += ds.negW[l] * softplus(z[l])
							z[l] = ds.negW[l] * p
						}
					}
				} else {
					mx := slices.Max(z)
					sum := 0.0
					for l := range z {
						z[l] = math.Exp(z[l] - mx)
						sum += z[l]
					}
					y, wt := ds.y[i][0], ds.weight[i]
					loss -= wt * math.Log(z[y]/sum)
					for l := range z {
						z[l] = wt * z[l] / sum
					}
					z[y] -= wt
				}
				for k := ds.ptr[i]; k < ds.ptr[i+1]; k++ {
					j, v := int(ds.col[k]), float64(ds.val[k])
					gr := g[j*L : j*L+L]
					for l := range gr {
						gr[l] += v * z[l]
					}
				}
				for l := range L {
					g[V*L+l] += z[l]
				}
			}
			parts[w] = part{loss, g}
		}()
	}
	wg.Wait()
	inv := 1 / ds.totalW
	loss := 0.0
	clear(grad)
	for _, p := range parts {
		loss += p.loss
		for i, g := range p.grad {
			grad[i] += g
		}
	}
	loss *= inv
	for i := range grad {
		grad[i] *= inv
	}
	for i, w := range x[:V*L] {
		loss += 0.5 * l2 * w * w
		grad[i] += l2 * w
	}
	return loss
}

// ContextWindow builds contexts from a stream of records in conversation order, in constant
// memory: it keeps only the last turns of the current conversation. The zero value is ready.
type ContextWindow struct {
	conv  string
	turns []string
	buf   []byte
}

// Next returns the context of a message of conversation conv (its up to n previous turns seen in
// this stream) and then records text as the latest turn. A message outside a conversation ("")
// has no context. The returned string is valid until the next call.
func (w *ContextWindow) Next(conv, text string, n int) string {
	if conv == "" || conv != w.conv {
		w.conv, w.turns = conv, w.turns[:0]
	}
	w.buf = w.buf[:0]
	for i, t := range w.turns[max(0, len(w.turns)-n):] {
		if i > 0 {
			w.buf = append(w.buf, '\n')
		}
		w.buf = append(w.buf, t...)
	}
	ctx := string(w.buf)
	if conv != "" {
		w.turns = append(w.turns, text)
		if len(w.turns) > 8 {
			w.turns = w.turns[len(w.turns)-8:]
		}
	}
	return ctx
}

func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

func trainLogReg(m *Model, ds *dataset, cfg TrainConfig) error {
	L, V := ds.L, len(ds.rows)
	x0 := make([]float64, V*L+L)
	workers := 2
	bar := NewProgress(cfg.Progress, cfg.MaxIter, "train "+cfg.Target)
	// L-BFGS asks for the value and the gradient at the same points; compute both once.
	var lastX, lastGrad []float64
	var lastLoss float64
	eval := func(x []float64) {
		if lastX != nil && slices.Equal(x, lastX) {
			return
		}
		if lastGrad == nil {
			lastGrad = make([]float64, len(x))
		}
		lastLoss = ds.lossGrad(x, lastGrad, cfg.L2, workers)
		lastX = append(lastX[:0], x...)
	}
	iters := 0
	p := optimize.Problem{
		Func: func(x []float64) float64 { eval(x); return lastLoss },
		Grad: func(grad, x []float64) { eval(x); copy(grad, lastGrad) },
		Status: func() (optimize.Status, error) {
			iters++
			bar.Set(iters)
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		MajorIterations:   cfg.MaxIter,
		GradientThreshold: 1e-6,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-7, Relative: 1e-6, Iterations: 10},
	}
	res, err := optimize.Minimize(p, x0, settings, &optimize.LBFGS{Store: 15})
	bar.Finish()
	if err != nil && res == nil {
		return fmt.Errorf("classify: training: %w", err)
	}
	m.Info.Iterations = res.Stats.MajorIterations
	m.Info.Loss = res.F
	m.W = make([]float32, m.Features.Dim()*L)
	for j, row := range ds.rows {
		scale := float32(1)
		if ds.idf != nil {
			scale = ds.idf[j] // fold the idf into the row: prediction needs no idf table
		}
		for l := range L {
			m.W[int(row)*L+l] = float32(res.X[j*L+l]) * scale
		}
	}
	m.B = make([]float32, L)
	for l := range L {
		m.B[l] = float32(res.X[V*L+l])
	}
	return nil
}

// scored is one example's probability for a label, and whether the label is gold.
type scored struct {
	p    float32
	gold bool
}

// scoreLabels appends, per label of m, the scores of exs to per (nil: new lists).
func scoreLabels(per [][]scored, m *Model, exs []Example) [][]scored {
	L := len(m.Labels)
	if per == nil {
		per = make([][]scored, L)
	}
	var f Features
	var buf []float32
	for _, ex := range exs {
		m.Featurize(&f, ex.Text, ex.Context)
		buf = m.Probabilities(m.Logits(buf, &f))
		for l := range L {
			per[l] = append(per[l], scored{buf[l], slices.Contains(ex.Labels, l)})
		}
	}
	return per
}

// outOfFold appends to per the scores of every training example by a model trained without its
// fold. Folds are assigned by a hash of the example's group (its id when it has none), so the
// result is deterministic.
func outOfFold(per [][]scored, cfg TrainConfig, labels []string, train []Example, k int) ([][]scored, error) {
	folds := make([][]Example, k)
	for _, ex := range train {
		h := fnv.New64a()
		h.Write([]byte(cmp.Or(ex.Group, ex.ID)))
		i := h.Sum64() % uint64(k)
		folds[i] = append(folds[i], ex)
	}
	sub := cfg
	sub.ThresholdFolds, sub.Progress = -1, nil
	for i := range k {
		if len(folds[i]) == 0 || len(folds[i]) == len(train) {
			continue // nothing to score, or nothing left to train on (one group)
		}
		var rest []Example
		for j := range k {
			if j != i {
				rest = append(rest, folds[j]...)
			}
		}
		m, err := Train(sub, labels, rest, nil)
		if err != nil {
			return nil, fmt.Errorf("classify: threshold fold %d: %w", i, err)
		}
		per = scoreLabels(per, m, folds[i])
	}
	return per, nil
}

// chooseThresholds picks one probability threshold per label from the scored examples per.
func chooseThresholds(per [][]scored, targetRecall float64) []float32 {
	L := len(per)
	th := make([]float32, L)
	for l := range L {
		th[l] = 0.5
		s := per[l]
		pos := 0
		for _, x := range s {
			if x.gold {
				pos++
			}
		}
		if pos == 0 {
			continue
		}
		slices.SortStableFunc(s, func(a, b scored) int { return cmp.Compare(b.p, a.p) })
		// cut returns the threshold that keeps s[:i+1]: midway to the next lower score, so a
		// new message scoring just under the last kept dev score is not lost to a hair's breadth.
		cut := func(i int) float32 {
			if i+1 < len(s) {
				return (s[i].p + s[i+1].p) / 2
			}
			return s[i].p / 2
		}
		tp, bestF1 := 0, -1.0
		for i := 0; i < len(s); i++ {
			if s[i].gold {
				tp++
			}
			if i+1 < len(s) && s[i+1].p == s[i].p {
				continue // a threshold takes all tied scores
			}
			recall := float64(tp) / float64(pos)
			if targetRecall > 0 {
				if recall >= targetRecall {
					th[l] = cut(i)
					break
				}
				continue
			}
			if f1 := 2 * float64(tp) / float64(i+1+pos); f1 > bestF1 {
				bestF1, th[l] = f1, cut(i)
			}
		}
	}
	return th
}
