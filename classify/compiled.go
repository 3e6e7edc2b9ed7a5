package classify

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Bounds of the vocabulary a model stores for its compiled form (see Model.Vocab): the number of
// words, their length (longer words take the row-by-row path), and their total bytes, which keep
// the model header far below its 1 MiB limit.
const (
	MaxVocab      = 1 << 15
	maxVocabWord  = 24
	maxVocabBytes = 256 << 10
)

// vocabulary returns the most frequent words of the normalized example texts, at most max,
// ordered by falling count and then by bytes (deterministic).
func vocabulary(exs []Example, max int) []string {
	counts := map[string]int{}
	var buf []byte
	for _, ex := range exs {
		buf = Normalize(buf[:0], ex.Text)
		for w := range strings.SplitSeq(string(buf), " ") {
			if w != "" && len(w) <= maxVocabWord {
				counts[w]++
			}
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	words = words[:min(len(words), max)]
	total := 0
	for i, w := range words {
		if total += len(w) + 3; total > maxVocabBytes { // 3: JSON quotes and comma
			return words[:i]
		}
	}
	return words
}

// compiled is a model prepared for the hot path. Every feature a word of the message produces
// on its own (its unigram and its character n-grams) depends on that word only, so for the
// words of Model.Vocab their weight rows are summed once, at load: a known word then costs one
// table probe and one vector add instead of hashing its n-grams and reading their rows (the
// same precomputation fastText does for its word vectors). Unknown words, word n-grams and
// context words take the row-by-row path. The logits equal Model.Logits' up to float rounding
// (TestCompiledMatchesLogits).
type compiled struct {
	// table is an open-addressing hash table over word hashes, stride+L uint32 per slot: the
	// hash (two words), the word's feature count (0: empty slot), a pad word, then its summed
	// weights as float32 bits. One slot per cache line or two: the probe and the vector come
	// in together (separate key, index and vector arrays cost three misses per word, measured
	// 18 ns per lookup on the built-in corpus).
	//
	// Words are identified by their 64-bit hash alone: two words share one with probability
	// about 2^-64 per pair, against the 2^-Bits of the feature rows every model already shares.
	table []uint32
	mask  uint64 // slots - 1
	L     int
	words int
}

// slotHead is the number of uint32 before a slot's weights.
const slotHead = 4

// compile builds m.comp when the model's features allow it: no per-family normalization (a
// word's features span two families) and no subword pieces.
func (m *Model) compile() {
	m.comp = nil
	c := m.Features
	if c.BlockNorm || c.Tokenizer != "" || len(m.Vocab) == 0 {
		return
	}
	L := len(m.Labels)
	size := 1
	for size < 2*len(m.Vocab) {
		size *= 2
	}
	cp := &compiled{table: make([]uint32, size*(slotHead+L)), mask: uint64(size - 1), L: L}
	var f Features
	acc := make([]float32, L)
	for _, w := range m.Vocab {
		f.buf = normalizePadded(f.buf, w)
		if string(f.buf) != " "+w+" " {
			continue // not a normalized single word: never looked up
		}
		h, _ := scanWord(f.buf[:len(f.buf)+slack], 1)
		if cp.find(h) >= 0 {
			continue
		}
		clear(acc)
		n := m.wordRows(acc, &f, h, 1, len(f.buf)-1)
		if n == 0 {
			continue // no feature: the row-by-row path adds nothing either
		}
		for sl := h & cp.mask; ; sl = (sl + 1) & cp.mask {
			o := int(sl) * (slotHead + L)
			if cp.table[o+2] == 0 {
				cp.table[o], cp.table[o+1], cp.table[o+2] = uint32(h), uint32(h>>32), uint32(n)
				for l, x := range acc {
					cp.table[o+slotHead+l] = math.Float32bits(x)
				}
				cp.words++
				break
			}
		}
	}
	m.comp = cp
}

// find returns the offset in table of the slot of the word with hash h, or -1.
func (cp *compiled) find(h uint64) int {
	stride := slotHead + cp.L
	lo, hi := uint32(h), uint32(h>>32)
	for sl := h & cp.mask; ; sl = (sl + 1) & cp.mask {
		o := int(sl) * stride
		t := cp.table[o : o+3]
		if t[2] == 0 {
			return -1
		}
		if t[0] == lo && t[1] == hi {
			return o
		}
	}
}

// wordRows adds to acc the weighted rows of the features of the word f.buf[s:e] with hash h
// (its unigram and character n-grams) and returns their number. It uses f.grams, f.Idx and
// f.Sign as scratch.
func (m *Model) wordRows(acc []float32, f *Features, h uint64, s, e int) int {
	c := m.Features
	shift := uint(64 - c.Bits)
	grams := f.grams[:0]
	// The word with the spaces around it, " word ", as featurize sees it inside a message.
	for n := c.CharMin; n <= c.CharMax && c.CharMax > 0; n++ {
		grams = charGrams(grams, f.buf[s-1:len(f.buf)+slack], e-s+2, n)
	}
	f.grams = grams
	k := 0
	need := len(grams) + 1
	if cap(f.Idx) < need {
		f.Idx = make([]uint32, need)
		f.Sign = make([]float32, need)
	}
	idx, sign := f.Idx[:need], f.Sign[:need]
	k = putAll(idx, sign, k, grams, seedChar, shift)
	if c.WordNgrams > 0 {
		k = put(idx, sign, k, h, shift)
	}
	m.addRows(acc, idx[:k], sign[:k])
	return k
}

// addRows adds sign[i]*W[idx[i]] (|sign| for naive Bayes) to acc.
func (m *Model) addRows(acc []float32, idx []uint32, sign []float32) {
	L := len(m.Labels)
	nb := m.Kind == KindNB
	l := 0
	for ; l+8 <= L; l += 8 {
		dot8((*[8]float32)(acc[l:l+8]), m.W, L, l, idx, sign, 1, nb)
	}
	for ; l+4 <= L; l += 4 {
		dot4((*[4]float32)(acc[l:l+4]), m.W, L, l, idx, sign, 1, nb)
	}
	for ; l < L; l++ {
		dot1(&acc[l], m.W, L, l, idx, sign, 1, nb)
	}
}

// prepare normalizes text into f, hashes its words into f.hs and finds the word hashes of the
// last ContextTurns context turns (f.turns, from the turn memo): the part of featurization
// that featurize and the compiled models of a filter share.
func (c FeatureConfig) prepare(f *Features, text, context string) {
	f.Reset()
	f.buf = normalizePadded(f.buf, text)
	if len(f.buf) > 0 {
		f.Norm = f.buf[1 : len(f.buf)-1]
	}
	f.nt = 0
	memo := c.ContextTurns + 2
	for t := range lastTurnsSeq(context, c.ContextTurns) {
		f.turns[f.nt], f.tidx[f.nt] = f.turnHashes(t, memo)
		f.nt++
	}
	f.hs, f.ends = wordSpans(f.hs[:0], f.ends[:0], f.buf)
	if c.ContextTurns > 0 && len(f.hs) > 0 {
		f.remember(text, f.hs, memo)
	}
}

// turnVector returns the sum of m's rows for the context words of memo entry i, computing and
// keeping it on first use. It uses f.Idx and f.Sign as scratch.
func (m *Model) turnVector(f *Features, i int) []float32 {
	e := &f.memo[i]
	free := -1
	for j := range e.vecs {
		switch e.vecs[j].m {
		case m:
			return e.vecs[j].v
		case nil:
			free = j
		}
	}
	if free < 0 {
		e.vecs = append(e.vecs, turnVec{})
		free = len(e.vecs) - 1
	}
	L := len(m.Labels)
	tv := &e.vecs[free]
	if cap(tv.v) < L {
		tv.v = make([]float32, L)
	}
	tv.m, tv.v = m, tv.v[:L]
	clear(tv.v)
	if cap(f.Idx) < len(e.hs) {
		f.Idx = make([]uint32, len(e.hs))
		f.Sign = make([]float32, len(e.hs))
	}
	k := putAll(f.Idx[:len(e.hs)], f.Sign[:len(e.hs)], 0, e.hs, saltCtx, uint(64-m.Features.Bits))
	m.addRows(tv.v, f.Idx[:k], f.Sign[:k])
	return tv.v
}

// compiledLogits writes the logits of the text prepared in f (FeatureConfig.prepare with the
// model's features) into dst, through the compiled word vectors.
func (m *Model) compiledLogits(dst []float32, f *Features) []float32 {
	L := len(m.Labels)
	cp := m.comp
	dst = append(dst[:0], m.B...)
	if cap(f.acc) < L {
		f.acc = make([]float32, L)
	}
	acc := f.acc[:L]
	clear(acc)
	c := m.Features
	shift := uint(64 - c.Bits)
	n := 0
	// Words: a compiled vector, or the rows of the word's own features.
	s := 1
	for w, e32 := range f.ends {
		e := int(e32)
		h := f.hs[w]
		if o := cp.find(h); o >= 0 {
			n += int(cp.table[o+2])
			v := cp.table[o+slotHead : o+slotHead+L]
			for l := range acc {
				acc[l] += math.Float32frombits(v[l])
			}
		} else {
			n += m.wordRows(acc, f, h, s, e)
		}
		s = e + 1
	}
	// Word n-grams, row by row.
	hs := f.hs
	need := max(len(hs)*max(c.WordNgrams-1, 0), 0)
	if cap(f.Idx) < need {
		f.Idx = make([]uint32, need)
		f.Sign = make([]float32, need)
	}
	idx, sign := f.Idx[:need], f.Sign[:need]
	k := putNgrams(idx, sign, 0, hs, c.WordNgrams, shift)
	m.addRows(acc, idx[:k], sign[:k])
	n += k
	// Context words: one vector per turn, kept in the turn memo (a turn is read as context by
	// the next ContextTurns messages of its conversation).
	for t := f.nt - 1; t >= 0; t-- {
		v := m.turnVector(f, f.tidx[t])
		for l := range acc {
			acc[l] += v[l]
		}
		n += len(f.turns[t])
	}
	if n == 0 {
		return dst
	}
	scale := float32(1 / math.Sqrt(float64(n)))
	for l := range dst {
		dst[l] += scale * acc[l]
	}
	return dst
}
