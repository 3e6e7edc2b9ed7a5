package classify

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// FeatureConfig says how text becomes hashed features. It is stored in every model file.
type FeatureConfig struct {
	// Bits is the size of the hash space, 2^Bits rows (8..24).
	Bits int `json:"bits"`
	// WordNgrams is the longest word n-gram: 1 for unigrams, 2 adds bigrams (0 disables words).
	WordNgrams int `json:"word_ngrams"`
	// CharMin and CharMax bound the character n-grams taken inside each word padded as "<word>";
	// CharMax 0 disables them.
	CharMin int `json:"char_min"`
	CharMax int `json:"char_max"`
	// ContextTurns is how many previous user turns of the conversation are read: their word
	// unigrams are hashed in a namespace of their own, so "and the lib dems" after a question on
	// an election carries the election's words (0 disables context).
	ContextTurns int `json:"context_turns,omitempty"`
	// Tokenizer, when set, is the path of a Hugging Face tokenizer.json whose subword pieces of
	// the message are added as features of their own (see Model.Featurize and package subword),
	// and TokenizerSHA256 the checksum of that file, verified when the model loads. Subword
	// features cost about 100-350 us and thousands of allocations per message: batch work only.
	// BlockNorm normalizes each family (words, character n-grams, context, subwords) to unit
	// L2 norm on its own, as scikit-learn's FeatureUnion of TF-IDF blocks does, instead of
	// the whole vector: the many character n-grams then no longer drown the few words.
	// Measured with format 1's hashing and logreg (leakbench train/eval, off -> on): SLURP
	// 0.848 -> 0.851, CLINC domains 0.9736 -> 0.9742, SIB-200 FR 0.677 -> 0.667, built-in
	// sensitivity PR-AUC 0.812 -> 0.807: no clear gain, so it is off by default (make gate's
	// topic models turn it on).
	BlockNorm bool `json:"block_norm,omitempty"`

	Tokenizer       string `json:"tokenizer,omitempty"`
	TokenizerSHA256 string `json:"tokenizer_sha256,omitempty"`
}

// DefaultFeatures is the configuration the train command uses unless told otherwise.
var DefaultFeatures = FeatureConfig{Bits: 16, WordNgrams: 2, CharMin: 4, CharMax: 4, ContextTurns: 2}

// Validate reports a configuration outside the supported ranges.
func (c FeatureConfig) Validate() error {
	switch {
	case c.Bits < 8 || c.Bits > 24:
		return fmt.Errorf("classify: feature bits %d outside 8..24", c.Bits)
	case c.WordNgrams < 0 || c.WordNgrams > 3:
		return fmt.Errorf("classify: word n-grams %d outside 0..3", c.WordNgrams)
	case c.CharMax != 0 && (c.CharMin < 1 || c.CharMin > c.CharMax || c.CharMax > 8):
		return fmt.Errorf("classify: char n-gram range %d..%d invalid (want 1 <= min <= max <= 8)", c.CharMin, c.CharMax)
	case c.ContextTurns < 0 || c.ContextTurns > 8:
		return fmt.Errorf("classify: context turns %d outside 0..8", c.ContextTurns)
	case c.WordNgrams == 0 && c.CharMax == 0:
		return errors.New("classify: no features enabled")
	}
	return nil
}

// Dim returns the number of feature rows, 2^Bits.
func (c FeatureConfig) Dim() int { return 1 << c.Bits }

// Features is a sparse feature vector and the scratch it was built in: entry i is the value
// Scale*Sign[i] at row Idx[i]. Idx may repeat a row (collisions and repeated n-grams); consumers
// sum over entries. The zero value is ready to use; reuse one per goroutine to avoid allocation.
//
// A Features value also remembers the word hashes of the last few texts it featurized (the
// turn memo), so that a conversation's previous turns, which it featurized as messages moments
// before, are not normalized and hashed again as context. The memo is keyed by the exact text
// and changes no result, only the cost (see BenchmarkFeaturizeContext).
type Features struct {
	Idx   []uint32
	Sign  []float32 // +1 or -1 (times the block factor with BlockNorm)
	Scale float32   // 1/sqrt(len(Idx)): the vector has unit L2 norm up to repeats
	Norm  []byte    // the normalized message (Normalize)
	buf   []byte    // " " + Norm + " ", then slack bytes
	hs    []uint64  // word hashes of the message
	grams []uint64  // character n-grams of the message, as bytes
	toks  []string
	block []uint8 // feature family of each entry, for BlockNorm

	turns [maxTurns][]uint64 // word hashes of the context turns (prepare), most recent first
	tidx  [maxTurns]int      // their memo entries
	nt    int
	acc   []float32
	ends  []int32 // end of each word in buf (prepare)

	memo    []turnMemo
	tick    uint64
	scratch []byte // normalized context turn
}

// turnMemo is one remembered text and the hashes of its words.
type turnMemo struct {
	text []byte
	hs   []uint64
	tick uint64 // last use, for least-recently-used replacement
	// vecs are the turn's context contributions per compiled model (see turnVector).
	vecs []turnVec
}

// turnVec is the sum of a model's weight rows for the context words of one turn.
type turnVec struct {
	m *Model // nil: free
	v []float32
}

// Reset empties f, keeping its memory and its turn memo.
func (f *Features) Reset() {
	f.Idx, f.Sign, f.Norm, f.buf, f.hs, f.Scale = f.Idx[:0], f.Sign[:0], f.Norm[:0], f.buf[:0], f.hs[:0], 0
	f.block = f.block[:0]
}

// Len returns the number of entries.
func (f *Features) Len() int { return len(f.Idx) }

// Hash seeds and salts keep the feature families apart in the shared space.
const (
	seedWord = 0x9e3779b97f4a7c15
	seedChar = 0xc2b2ae3d27d4eb4f
	saltCtx  = 0x165667b19e3779f9 // context words: a word's hash XOR saltCtx
	seedSub  = 0x27d4eb2f165667c5
	// bigramMul combines word hashes as fastText does (dictionary.cc addWordNgrams).
	bigramMul = 116049371
	// slack is the number of readable bytes kept after a normalized text, so that hashing can
	// load 8 bytes at any position of it and mask what lies beyond.
	slack = 8
)

// SWAR constants: a byte of x^spaces is zero where x holds a space, and (v-lows)&^v&highs is
// non-zero where v has a zero byte (exactly at its lowest zero byte).
const (
	spaces = 0x2020202020202020
	lows   = 0x0101010101010101
	highs  = 0x8080808080808080
)

// innerMask[n] selects the bytes of an n-gram that must not be spaces: bytes 1..n-2, or the
// byte itself for n = 1.
var innerMask = [9]uint64{0, 0xff, 0, 0xff00, 0xffff00, 0xffffff00, 0xffffffff00, 0xffffffffff00, 0xffffffffffff00}

// byteMask[n] keeps the low n bytes of a little-endian 8-byte load.
var byteMask = [9]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff, ^uint64(0)}

// hashBytes hashes buf[s:e] from seed, reading 8 bytes at a time; buf must hold slack bytes
// after e.
func hashBytes(seed uint64, buf []byte, s, e int) uint64 {
	h := seed ^ uint64(e-s)*0x9fb21c651e98df25
	for ; e-s >= 8; s += 8 {
		h = (h ^ binary.LittleEndian.Uint64(buf[s:])) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	if s < e {
		h = (h ^ binary.LittleEndian.Uint64(buf[s:])&byteMask[e-s]) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return h
}

// scanWord hashes the word that starts at buf[s] and ends before the next space, and returns the
// hash and the end. It reads 8 bytes at a time, finding the space and hashing in the same loop,
// so a word of up to 7 bytes costs one load and no loop branch taken; buf must hold slack bytes
// after that space.
func scanWord(buf []byte, s int) (uint64, int) {
	h := uint64(seedWord)
	for i := s; ; i += 8 {
		x := binary.LittleEndian.Uint64(buf[i:])
		y := x ^ spaces
		if z := (y - lows) & ^y & highs; z != 0 {
			n := bits.TrailingZeros64(z) >> 3 // bytes before the space
			h = (h ^ x&byteMask[n]) * 0xbf58476d1ce4e5b9
			h ^= h >> 31
			e := i + n
			h = (h ^ uint64(e-s)) * 0x94d049bb133111eb
			return h ^ h>>29, e
		}
		h = (h ^ x) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
}

// hashMul is the multiplier of the multiplicative (Fibonacci) hashing that turns a feature's
// 64-bit hash into a row and a sign: the top Bits bits of h*hashMul are the row and the next bit
// the sign. The top bits of a product depend on every bit of h. One multiply per feature:
// MurmurHash3's fmix64 (two multiplies, three shifts) measured the same within noise on the
// featurization of one 78-byte message (517 against 536 ns), and one multiply is simpler.
const hashMul = 0x9e3779b97f4a7c15

// rowSign returns the row and sign bit of the feature hash h for a shift of 64-Bits.
func rowSign(h uint64, shift uint) (uint32, uint32) {
	h *= hashMul
	return uint32(h >> shift), uint32(h>>(shift-1)) & 1
}

// Featurize fills f with the features of text: the word n-grams and per-word character n-grams
// of Normalize(text), each hashed to a row (low Bits bits of the mixed hash) and a sign (its top
// bit), so that collisions cancel in expectation (signed hashing, Weinberger et al. 2009).
// f's previous content is discarded; with warm buffers Featurize does not allocate. c must be
// valid.
func (c FeatureConfig) Featurize(f *Features, text string) {
	c.FeaturizeContext(f, text, "")
}

// FeaturizeContext is Featurize with the conversation's previous user turns (context,
// newline-separated, most recent last, as Context returns them): the word unigrams of its last
// ContextTurns turns are added in the context namespace.
func (c FeatureConfig) FeaturizeContext(f *Features, text, context string) {
	c.prepare(f, text, context)
	c.featurize(f)
}

// normalizePadded writes " " + Normalize(text) + " " into dst[:0] and keeps slack readable
// bytes after it; for a text with no token it returns an empty slice.
func normalizePadded(dst []byte, text string) []byte {
	if need := 3*len(text) + 2 + slack; cap(dst) < need {
		dst = make([]byte, 0, need)
	}
	dst = normalizeTokens(append(dst[:0], ' '), text)
	if len(dst) <= 1 {
		return dst[:0]
	}
	if dst[len(dst)-1] != ' ' {
		dst = append(dst, ' ')
	}
	if cap(dst)-len(dst) < slack {
		dst = append(dst, make([]byte, slack)...)[:len(dst)]
	}
	return dst
}

// maxFeatures bounds the entries featurize writes for a padded normalized message of n bytes
// and ctx context words.
func (c FeatureConfig) maxFeatures(n, ctx int) int {
	words := n/2 + 1
	m := c.WordNgrams*words + ctx
	if c.CharMax > 0 {
		m += n * (c.CharMax - c.CharMin + 1)
	}
	return m
}

// maxTurns bounds ContextTurns (see Validate).
const maxTurns = 8

// featurize writes the sparse features of the text prepared in f (see prepare): character
// n-grams, word n-grams, context words.
func (c FeatureConfig) featurize(f *Features) {
	b, hs := f.buf, f.hs
	nctx := 0
	for t := range f.nt {
		nctx += len(f.turns[t])
	}
	need := c.maxFeatures(len(b), nctx)
	if cap(f.Idx) < need {
		f.Idx = make([]uint32, need)
		f.Sign = make([]float32, need)
	}
	idx, sign := f.Idx[:need], f.Sign[:need]
	k := 0
	shift := uint(64 - c.Bits)
	if len(b) > 0 {
		// Character n-grams of each word with its surrounding spaces (" word ").
		grams := f.grams[:0]
		for n := c.CharMin; n <= c.CharMax && c.CharMax > 0; n++ {
			grams = charGrams(grams, b[:len(b)+slack], len(b), n)
		}
		k = putAll(idx, sign, k, grams, seedChar, shift)
		f.grams = grams
	}
	nc := k
	if c.WordNgrams > 0 {
		k = putAll(idx, sign, k, hs, 0, shift)
	}
	k = putNgrams(idx, sign, k, hs, c.WordNgrams, shift)
	nw := k
	for t := f.nt - 1; t >= 0; t-- {
		k = putAll(idx, sign, k, f.turns[t], saltCtx, shift)
	}
	f.Idx, f.Sign = idx[:k], sign[:k]
	if c.BlockNorm {
		f.setBlocks(nc, nw)
	}
	c.scale(f)
}

// putNgrams writes the word n-grams for n = 2..maxN of the word hashes hs from position k and
// returns the new k. An n-gram combines the unigram hashes as fastText does.
func putNgrams(idx []uint32, sign []float32, k int, hs []uint64, maxN int, shift uint) int {
	for n := 2; n <= maxN; n++ {
		for i := 0; i+n <= len(hs); i++ {
			h := hs[i]
			for j := 1; j < n; j++ {
				h = h*bigramMul + hs[i+j]
			}
			k = put(idx, sign, k, h+uint64(n), shift)
		}
	}
	return k
}

// Feature families, for BlockNorm.
const (
	blockWords = iota
	blockChars
	blockContext
	blockSubword
	numBlocks
)

// scale sets the vector's norm: one Scale for the whole vector, or with BlockNorm each family's
// entries scaled to unit norm (Scale 1, the factors folded into Sign).
func (c FeatureConfig) scale(f *Features) {
	k := len(f.Idx)
	if k == 0 {
		f.Scale = 0
		return
	}
	if !c.BlockNorm {
		f.Scale = float32(1 / math.Sqrt(float64(k)))
		return
	}
	var n [numBlocks]int
	for _, b := range f.block {
		n[b]++
	}
	var inv [numBlocks]float32
	for b, c := range n {
		if c > 0 {
			inv[b] = float32(1 / math.Sqrt(float64(c)))
		}
	}
	for i, b := range f.block {
		f.Sign[i] *= inv[b]
	}
	f.Scale = 1
}

// setBlocks records the family of every entry: character n-grams [0, nc), words [nc, nw),
// context [nw, len).
func (f *Features) setBlocks(nc, nw int) {
	if cap(f.block) < len(f.Idx) {
		f.block = make([]uint8, len(f.Idx), cap(f.Idx))
	}
	f.block = f.block[:len(f.Idx)]
	for i := range f.block {
		switch {
		case i < nc:
			f.block[i] = blockChars
		case i < nw:
			f.block[i] = blockWords
		default:
			f.block[i] = blockContext
		}
	}
}

// addPieces appends the features of subword pieces (hashed in their own namespace) and
// rescales the vector to unit norm.
func (c FeatureConfig) addPieces(f *Features, pieces []string) {
	shift := uint(64 - c.Bits)
	if c.BlockNorm { // undo the block scaling, to redo it with the pieces
		for i := range f.Sign {
			if f.Sign[i] > 0 {
				f.Sign[i] = 1
			} else {
				f.Sign[i] = -1
			}
		}
	}
	for _, p := range pieces {
		f.scratch = append(append(f.scratch[:0], p...), make([]byte, slack)...)
		row, neg := rowSign(hashBytes(seedSub, f.scratch, 0, len(p)), shift)
		f.Idx = append(f.Idx, row)
		f.Sign = append(f.Sign, math.Float32frombits(0x3f800000|neg<<31))
		if c.BlockNorm {
			f.block = append(f.block, blockSubword)
		}
	}
	c.scale(f)
}

// put writes the feature of hash h at position k: row from the low bits of the mixed hash, sign
// from its top bit.
//
// The caller may write one entry beyond what it keeps: idx and sign must have room at k.
func put(idx []uint32, sign []float32, k int, h uint64, shift uint) int {
	row, neg := rowSign(h, shift)
	idx[k] = row
	// ±1 from the sign bit by building the float's bits (an int-to-float conversion would chain
	// the loop iterations through its register).
	sign[k] = math.Float32frombits(0x3f800000 | neg<<31)
	return k + 1
}

// charGrams appends to hs the n-grams of buf[:end] that have no space inside (first and last
// byte excepted), as 8-byte loads masked to n bytes. One loop over the text with no branch on
// the data: the slot is always written, and kept when valid, so word lengths cost no
// mispredictions. Hashing is left to putAll: with both in one loop the compiler ran out of
// registers and kept the loop counter on the stack (3.9 ns per position against 2 in two
// passes). A bitmap of spaces per 8 positions was measured slower too (170 ns against 150 per
// 80-byte message).
func charGrams(hs []uint64, buf []byte, end, n int) []uint64 {
	inner, bm := innerMask[n], byteMask[n]
	last := end - n
	if last < 0 {
		return hs
	}
	k := len(hs)
	hs = slices.Grow(hs, last+1)
	out := hs[:cap(hs)]
	buf = buf[:last+8]
	for i := 0; i <= last; i++ {
		x := binary.LittleEndian.Uint64(buf[i:]) & bm
		y := (x ^ spaces) | ^inner // a zero byte: a space inside the n-gram
		z := (y - lows) & ^y & highs
		out[k] = x
		k += int(1 - (z|-z)>>63)
	}
	return out[:k]
}

// putAll writes the features of the hashes hs, each XOR salt, from position k and returns the
// new k.
func putAll(idx []uint32, sign []float32, k int, hs []uint64, salt uint64, shift uint) int {
	idx, sign = idx[k:k+len(hs)], sign[k:k+len(hs)]
	for i, h := range hs {
		row, neg := rowSign(h^salt, shift)
		idx[i] = row
		sign[i] = math.Float32frombits(0x3f800000 | neg<<31)
	}
	return k + len(hs)
}

// wordHashes appends the hashes of the words of a padded normalized text.
func wordHashes(dst []uint64, b []byte) []uint64 {
	buf := b[:len(b)+slack]
	for s := 1; s < len(b); {
		h, e := scanWord(buf, s)
		dst = append(dst, h)
		s = e + 1
	}
	return dst
}

// wordSpans appends the hashes and the ends of the words of a padded normalized text.
func wordSpans(dst []uint64, ends []int32, b []byte) ([]uint64, []int32) {
	buf := b[:len(b)+slack]
	for s := 1; s < len(b); {
		h, e := scanWord(buf, s)
		dst = append(dst, h)
		ends = append(ends, int32(e))
		s = e + 1
	}
	return dst, ends
}

// lastTurnsSeq yields the non-empty turns among the last n newline-separated turns of context,
// most recent first. It finds the newlines forward with strings.IndexByte (vectorized) and
// keeps the last n+1 positions in a small ring: a backward byte loop cost 5% of the decision.
func lastTurnsSeq(context string, n int) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		if n <= 0 || context == "" {
			return
		}
		var starts [maxTurns + 1]int // ring of turn starts
		count := 0
		for i := 0; ; {
			starts[count%len(starts)] = i
			count++
			j := strings.IndexByte(context[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
		}
		end := len(context)
		for k := 0; k < min(n, count); k++ {
			s := starts[(count-1-k)%len(starts)]
			t := context[s:end]
			end = s - 1
			if t != "" && !yield(t) {
				return
			}
		}
	}
}

// turnHashes returns the word hashes of a context turn and the index of its memo entry: from
// the memo, or computed and remembered.
func (f *Features) turnHashes(t string, size int) ([]uint64, int) {
	f.tick++
	for i := range f.memo {
		if m := &f.memo[i]; string(m.text) == t {
			m.tick = f.tick
			return m.hs, i
		}
	}
	f.scratch = normalizePadded(f.scratch, t)
	i := f.slot(size)
	m := &f.memo[i]
	m.text = append(m.text[:0], t...)
	m.hs = wordHashes(m.hs[:0], f.scratch)
	return m.hs, i
}

// remember stores the word hashes of a message, the context of the turns that follow it.
func (f *Features) remember(text string, hs []uint64, size int) {
	f.tick++
	for i := range f.memo {
		if m := &f.memo[i]; string(m.text) == text {
			m.tick = f.tick
			return
		}
	}
	m := &f.memo[f.slot(size)]
	m.text = append(m.text[:0], text...)
	m.hs = append(m.hs[:0], hs...)
}

// slot returns the index of the memo entry to fill, its context vectors forgotten: a new one
// until the memo holds size entries, then the least recently used. Entries handed out during
// one featurization are the most recent, so with size above the number of turns read none of
// them is overwritten while in use.
func (f *Features) slot(size int) int {
	i := len(f.memo)
	if i < size {
		f.memo = append(f.memo, turnMemo{})
	} else {
		i = 0
		for j := range f.memo {
			if f.memo[j].tick < f.memo[i].tick {
				i = j
			}
		}
	}
	m := &f.memo[i]
	m.tick = f.tick
	for j := range m.vecs {
		m.vecs[j].m = nil
	}
	return i
}
