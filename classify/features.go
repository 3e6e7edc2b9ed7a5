package classify

import (
	"errors"
	"fmt"
	"math"
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
	// Measured (leakbench train/eval, off -> on): SLURP 0.848 -> 0.851, CLINC domains 0.9736 ->
	// 0.9742, SIB-200 FR 0.677 -> 0.667, built-in sensitivity PR-AUC 0.812 -> 0.807: no clear
	// gain, so it is off by default.
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
type Features struct {
	Idx   []uint32
	Sign  []float32 // +1 or -1
	Scale float32   // 1/sqrt(len(Idx)): the vector has unit L2 norm up to repeats
	Norm  []byte    // the normalized text
	hs    []uint32
	toks  []string
	block []uint8 // feature family of each entry, for BlockNorm
}

// Reset empties f, keeping its memory.
func (f *Features) Reset() {
	f.Idx, f.Sign, f.Norm, f.hs, f.Scale = f.Idx[:0], f.Sign[:0], f.Norm[:0], f.hs[:0], 0
}

// Len returns the number of entries.
func (f *Features) Len() int { return len(f.Idx) }

// Hash seeds keep the three feature families apart in the shared space.
const (
	seedWord = 2166136261 // FNV-1a 32 offset basis
	seedChar = 0x9e3779b9
	seedCtx  = 0x85ebca6b
	seedSub  = 0xc2b2ae35
	// bigramMul combines word hashes as fastText does (dictionary.cc addWordNgrams).
	bigramMul = 116049371
)

// fnv1a hashes b with FNV-1a 32 from seed h.
func fnv1a(h uint32, b []byte) uint32 {
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

// fmix32 is MurmurHash3's finalizer: it spreads FNV's weak high bits before masking.
func fmix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// Featurize fills f with the features of text: the word n-grams and per-word character n-grams
// of Normalize(text), each hashed (FNV-1a, then fmix32) to a row (low Bits bits) and a sign
// (top bit), so that collisions cancel in expectation (signed hashing, Weinberger et al. 2009).
// f's previous content is discarded; with warm buffers Featurize does not allocate. c must be
// valid.
func (c FeatureConfig) Featurize(f *Features, text string) {
	c.FeaturizeContext(f, text, "")
}

// FeaturizeContext is Featurize with the conversation's previous user turns (context, most recent
// last, as Context returns them); it adds their word unigrams in the context namespace when
// ContextTurns > 0.
func (c FeatureConfig) FeaturizeContext(f *Features, text, context string) {
	f.Reset()
	f.Norm = Normalize(f.Norm, text)
	n := len(f.Norm)
	if c.ContextTurns > 0 && context != "" {
		f.Norm = append(f.Norm, ' ')
		f.Norm = Normalize(f.Norm, context)
	}
	c.featurizeNorm(f, n)
}

// maxFeatures bounds the entries featurizeNorm writes for a normalized text of n bytes.
func (c FeatureConfig) maxFeatures(n int) int {
	words := n/2 + 1
	m := c.WordNgrams * words
	if c.CharMax > 0 {
		m += (n + 2*words) * (c.CharMax - c.CharMin + 1)
	}
	return m
}

// featurizeNorm hashes f.Norm: the message is f.Norm[:msgEnd], the context the rest.
func (c FeatureConfig) featurizeNorm(f *Features, msgEnd int) {
	// Entries are written by index into buffers sized once: measured 1,010 -> see the package
	// benchmarks; append per entry cost two capacity checks each.
	need := c.maxFeatures(len(f.Norm))
	if cap(f.Idx) < need {
		f.Idx = make([]uint32, need)
		f.Sign = make([]float32, need)
		f.block = make([]uint8, need)
	}
	idx, sign, block := f.Idx[:need], f.Sign[:need], f.block[:need]
	k := 0
	mask := uint32(1)<<c.Bits - 1
	b := f.Norm[:msgEnd]
	var pad [64]byte // "<word>" for char n-grams; longer words are cut to 62 bytes
	for start := 0; start < len(b); {
		end := start
		for end < len(b) && b[end] != ' ' {
			end++
		}
		w := b[start:end]
		if c.WordNgrams > 0 {
			h := fnv1a(seedWord, w)
			f.hs = append(f.hs, h)
			block[k] = blockWords
			k = put(idx, sign, k, h, mask)
		}
		if c.CharMax > 0 {
			pad[0] = '<'
			n := copy(pad[1:len(pad)-1], w) + 2
			pad[n-1] = '>'
			k0 := k
			k = c.charNgrams(idx, sign, k, pad[:n], mask)
			for j := k0; j < k; j++ {
				block[j] = blockChars
			}
		}
		start = end + 1
	}
	// Word n-grams for n >= 2 combine the unigram hashes (fastText's scheme).
	for n := 2; n <= c.WordNgrams; n++ {
		for i := 0; i+n <= len(f.hs); i++ {
			h := f.hs[i]
			for j := 1; j < n; j++ {
				h = h*bigramMul + f.hs[i+j]
			}
			block[k] = blockWords
			k = put(idx, sign, k, h+uint32(n), mask)
		}
	}
	for start := msgEnd + 1; start < len(f.Norm); {
		end := start
		for end < len(f.Norm) && f.Norm[end] != ' ' {
			end++
		}
		block[k] = blockContext
		k = put(idx, sign, k, fnv1a(seedCtx, f.Norm[start:end]), mask)
		start = end + 1
	}
	f.Idx, f.Sign, f.block = idx[:k], sign[:k], block[:k]
	c.scale(f)
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

// addPieces appends the features of subword pieces (hashed in their own namespace) and
// rescales the vector to unit norm.
func (c FeatureConfig) addPieces(f *Features, pieces []string) {
	mask := uint32(1)<<c.Bits - 1
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
		h := fmix32(fnv1a(seedSub, []byte(p)))
		f.Idx = append(f.Idx, h&mask)
		f.Sign = append(f.Sign, float32(1-int32(h>>31)*2))
		f.block = append(f.block, blockSubword)
	}
	c.scale(f)
}

// put writes the feature of hash h at position k: row h&mask after mixing, sign from the top bit.
func put(idx []uint32, sign []float32, k int, h, mask uint32) int {
	h = fmix32(h)
	idx[k] = h & mask
	sign[k] = float32(1 - int32(h>>31)*2)
	return k + 1
}

// charNgrams writes the byte n-grams of the padded word p ("<w>") with lengths CharMin..CharMax,
// except the lone boundary markers. Each start position extends one running hash, so the cost is
// one multiply per byte per length.
func (c FeatureConfig) charNgrams(idx []uint32, sign []float32, k int, p []byte, mask uint32) int {
	for i := range p {
		h := uint32(seedChar)
		for j := i; j < len(p) && j-i < c.CharMax; j++ {
			h ^= uint32(p[j])
			h *= 16777619
			if j-i+1 >= c.CharMin && (j > i || (p[i] != '<' && p[i] != '>')) {
				k = put(idx, sign, k, h, mask)
			}
		}
	}
	return k
}
