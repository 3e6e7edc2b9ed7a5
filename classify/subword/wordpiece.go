package subword

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sugarme/tokenizer/normalizer"
)

const (
	// defaultUnkToken is the WordPiece.UnkToken used when it is "".
	defaultUnkToken = "[UNK]"
	// defaultMaxInputCharsPerWord is the WordPiece.MaxInputCharsPerWord
	// used when it is 0; it is BERT's value.
	defaultMaxInputCharsPerWord = 100
	// continuingPrefix starts every piece that continues a word. It is
	// fixed: sugarme/tokenizer v0.3.0 ignores continuing_subword_prefix
	// and always uses "##".
	continuingPrefix = "##"
)

// bertSpecials are the special tokens of BERT, in BERT's order. WriteJSON
// marks those found in the vocabulary as special added tokens, and
// BuildWordPiece puts them first, as Hugging Face does.
var bertSpecials = []string{"[PAD]", defaultUnkToken, "[CLS]", "[SEP]", "[MASK]"}

// WordPiece describes a minimal BERT-style WordPiece tokenizer: a
// BertNormalizer that cleans, lowercases and strips accents and puts
// spaces around CJK ideographs, the BertPreTokenizer (split on whitespace
// and punctuation) and a WordPiece model whose continuing pieces start
// with "##".
type WordPiece struct {
	// Vocab lists the pieces; the id of a piece is its index. Pieces
	// that continue a word start with "##".
	Vocab []string
	// UnkToken stands for a word that cannot be cut into pieces of
	// Vocab. It must be in Vocab; "" means "[UNK]".
	UnkToken string
	// MaxInputCharsPerWord is the length in runes above which a word is
	// UnkToken without trying; 0 means 100, as in BERT.
	MaxInputCharsPerWord int
}

// WriteJSON writes wp to w in the Hugging Face tokenizer.json format,
// which Load (sugarme/tokenizer's loader) reads back. The output is
// deterministic: the vocabulary is written in id order.
//
// The BERT special tokens [PAD], [UNK], [CLS], [SEP] and [MASK] found in
// Vocab, and UnkToken, are listed as special added tokens. WriteJSON
// returns an error, and writes nothing, if Vocab is empty, holds an empty,
// duplicate or invalid UTF-8 piece, or lacks UnkToken, or if
// MaxInputCharsPerWord is negative.
func (wp WordPiece) WriteJSON(w io.Writer) error {
	unk := cmp.Or(wp.UnkToken, defaultUnkToken)
	maxChars := cmp.Or(wp.MaxInputCharsPerWord, defaultMaxInputCharsPerWord)
	if maxChars < 0 {
		return fmt.Errorf("subword: MaxInputCharsPerWord %d is negative", maxChars)
	}
	if len(wp.Vocab) == 0 {
		return fmt.Errorf("subword: empty vocabulary")
	}
	ids := make(map[string]int, len(wp.Vocab))
	var added []hfAddedToken
	for id, piece := range wp.Vocab {
		switch {
		case piece == "":
			return fmt.Errorf("subword: empty piece at id %d", id)
		case !utf8.ValidString(piece):
			return fmt.Errorf("subword: invalid UTF-8 in piece %q at id %d", piece, id)
		}
		if prev, ok := ids[piece]; ok {
			return fmt.Errorf("subword: piece %q at ids %d and %d", piece, prev, id)
		}
		ids[piece] = id
		if piece == unk || slices.Contains(bertSpecials, piece) {
			added = append(added, hfAddedToken{ID: id, Content: piece, Special: true})
		}
	}
	if _, ok := ids[unk]; !ok {
		return fmt.Errorf("subword: unknown token %q is not in the vocabulary", unk)
	}

	file := hfFile{
		Version:     "1.0",
		AddedTokens: added,
		Normalizer: hfBertNormalizer{
			Type:               "BertNormalizer",
			CleanText:          true,
			HandleChineseChars: true,
			StripAccents:       true,
			Lowercase:          true,
		},
		PreTokenizer: hfType{Type: "BertPreTokenizer"},
		Decoder:      hfDecoder{Type: "WordPiece", Prefix: continuingPrefix, Cleanup: true},
		Model: hfModel{
			Type:                    "WordPiece",
			UnkToken:                unk,
			ContinuingSubwordPrefix: continuingPrefix,
			MaxInputCharsPerWord:    maxChars,
			Vocab:                   orderedVocab(wp.Vocab),
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(file); err != nil {
		return fmt.Errorf("subword: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// hfFile is the top level of a Hugging Face tokenizer.json, in the key
// order that the Hugging Face library writes. The nil fields are written
// as null.
type hfFile struct {
	Version       string           `json:"version"`
	Truncation    any              `json:"truncation"`
	Padding       any              `json:"padding"`
	AddedTokens   []hfAddedToken   `json:"added_tokens"`
	Normalizer    hfBertNormalizer `json:"normalizer"`
	PreTokenizer  hfType           `json:"pre_tokenizer"`
	PostProcessor any              `json:"post_processor"`
	Decoder       hfDecoder        `json:"decoder"`
	Model         hfModel          `json:"model"`
}

type hfAddedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

type hfBertNormalizer struct {
	Type               string `json:"type"`
	CleanText          bool   `json:"clean_text"`
	HandleChineseChars bool   `json:"handle_chinese_chars"`
	StripAccents       bool   `json:"strip_accents"`
	Lowercase          bool   `json:"lowercase"`
}

type hfType struct {
	Type string `json:"type"`
}

type hfDecoder struct {
	Type    string `json:"type"`
	Prefix  string `json:"prefix"`
	Cleanup bool   `json:"cleanup"`
}

type hfModel struct {
	Type                    string       `json:"type"`
	UnkToken                string       `json:"unk_token"`
	ContinuingSubwordPrefix string       `json:"continuing_subword_prefix"`
	MaxInputCharsPerWord    int          `json:"max_input_chars_per_word"`
	Vocab                   orderedVocab `json:"vocab"`
}

// orderedVocab is written as a JSON object from piece to id in id order,
// as Hugging Face does; a Go map would be written in key order.
type orderedVocab []string

func (v orderedVocab) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for id, piece := range v {
		if id > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(piece); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode ends with a newline.
		fmt.Fprintf(&buf, ":%d", id)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// BuildWordPiece builds a small deterministic WordPiece vocabulary from a
// text sample. Its pieces are, in id order:
//
//  1. the BERT special tokens [PAD], [UNK], [CLS], [SEP], [MASK];
//  2. every character seen, in code point order, then each of them again
//     as a continuing piece ("##é");
//  3. whole words of 2 to 100 runes and continuing suffixes ("##ing", at
//     least 2 runes, shared by at least 2 distinct words), most frequent
//     first, ties broken by byte order, until the vocabulary has size
//     pieces. A suffix counts the occurrences of all the words that end
//     with it.
//
// Parts 1 and 2 are always kept, so the result can be longer than size and
// any text of the sample is cut into pieces without [UNK]. Words are
// found the way Load's library reads the file WriteJSON writes (see
// preTokenize). This is our own counting, not the library's trainer, which
// corrupts vocabularies. texts is not modified.
func BuildWordPiece(texts []string, size int) WordPiece {
	words := make(map[string]int)
	var buf []string
	for _, text := range texts {
		buf = preTokenize(buf[:0], text)
		for _, w := range buf {
			words[w]++
		}
	}

	charSet := make(map[string]bool)
	suffixes := make(map[string]*suffixCount)
	var cands []candidate
	for w, n := range words {
		runes := []rune(w)
		for _, r := range runes {
			charSet[string(r)] = true
		}
		if len(runes) < 2 || len(runes) > defaultMaxInputCharsPerWord {
			continue
		}
		cands = append(cands, candidate{w, n})
		for i := 1; i <= len(runes)-2; i++ {
			s := continuingPrefix + string(runes[i:])
			c := suffixes[s]
			if c == nil {
				c = new(suffixCount)
				suffixes[s] = c
			}
			c.count += n
			c.words++
		}
	}
	for s, c := range suffixes {
		if c.words >= 2 {
			cands = append(cands, candidate{s, c.count})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.piece, b.piece))
	})

	chars := make([]string, 0, len(charSet))
	for c := range charSet {
		chars = append(chars, c)
	}
	slices.Sort(chars) // Byte order of UTF-8 is code point order.

	vocab := make([]string, 0, max(size, len(bertSpecials)+2*len(chars)))
	vocab = append(vocab, bertSpecials...)
	vocab = append(vocab, chars...)
	for _, c := range chars {
		vocab = append(vocab, continuingPrefix+c)
	}
	for _, c := range cands {
		if len(vocab) >= size {
			break
		}
		vocab = append(vocab, c.piece)
	}
	return WordPiece{
		Vocab:                vocab,
		UnkToken:             defaultUnkToken,
		MaxInputCharsPerWord: defaultMaxInputCharsPerWord,
	}
}

type candidate struct {
	piece string
	count int
}

type suffixCount struct {
	count int // occurrences of the words with this suffix
	words int // distinct words with this suffix
}

// preTokenize appends to dst the words of text as sugarme/tokenizer
// v0.3.0 finds them with the normalizer and pre-tokenizer that WriteJSON
// writes:
//
//   - BertNormalizer: drop NUL, U+FFFD and control and format characters
//     (Cc, Cf) but tab, newline and carriage return; put spaces around
//     CJK ideographs; lowercase with strings.ToLower; drop nonspacing
//     marks (Mn) without decomposing first;
//   - BertPreTokenizer: split on runs of the regexp \s, which in Go is
//     ASCII whitespace only, then isolate each punctuation character.
//
// It shares the library's own punctuation and CJK predicates.
func preTokenize(dst []string, text string) []string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(text, "\uFFFD") {
		switch {
		case r == 0 || r == utf8.RuneError || isControl(r):
		case normalizer.IsChinese(r):
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	var word []byte
	for _, r := range strings.ToLower(b.String()) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case isASCIISpace(r), normalizer.IsBertPunctuation(r):
			if len(word) > 0 {
				dst = append(dst, string(word))
				word = word[:0]
			}
			if !isASCIISpace(r) {
				dst = append(dst, string(r))
			}
		default:
			word = utf8.AppendRune(word, r)
		}
	}
	if len(word) > 0 {
		dst = append(dst, string(word))
	}
	return dst
}

// isControl reports whether the BertNormalizer drops r.
func isControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// isASCIISpace reports whether r is in the regexp class \s.
func isASCIISpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\f', '\r':
		return true
	}
	return false
}
