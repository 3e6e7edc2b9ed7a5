// Package subword gives optional subword features: the WordPiece,
// BPE or Unigram pieces that a Hugging Face tokenizer.json cuts a message
// into, so that users can bring the vocabulary of camembert, xlm-roberta
// or bert-base-multilingual.
//
// # Pieces
//
// Load reads a tokenizer.json through github.com/sugarme/tokenizer
// (its pretrained loader) and Tokens appends the pieces of one message to
// a caller-owned slice. WordPiece and BuildWordPiece are the other half:
// they build a small deterministic BERT-style vocabulary from a text
// sample and write it as a tokenizer.json, which is how the test fixture
// testdata/tokenizer.json is made (go test -run TestWriteJSONGolden -update).
//
// # Cost
//
// The library is slow: about 2 µs and 35 allocations per input byte,
// that is 85-125 µs and 1,550-1,900 allocations for a 45-byte message and
// 300-370 µs and 5,800-6,400 allocations for a 190-byte one
// (BenchmarkTokens -count=5, AMD EPYC, Go 1.26); a 50 kB message takes
// about 0.3 s. So subword features are never on the default hot path:
// they are an opt-in for batch feature extraction, and callers should
// bound the length of what they pass.
//
// # Defects contained
//
// sugarme/tokenizer v0.3.0 has defects that this package keeps away from
// its callers:
//
//   - Encode panics on invalid UTF-8 and on some valid text, for instance
//     some characters whose lowercase has another UTF-8 length, such as
//     "İ" in "İstanbul", "ẞ" or "Ⱥ". Tokens sanitizes invalid UTF-8 with
//     strings.ToValidUTF8 and turns any library panic into an error that
//     wraps ErrEncode.
//   - The loader panics on many malformed files (a JSON value of the
//     wrong type, a missing key). Load turns those panics into errors
//     naming the file.
//   - Its trainers and Tokenizer.Save are broken (Save writes nothing, the
//     WordPiece trainer corrupts the vocabulary), so this package writes
//     tokenizer.json itself (WordPiece.WriteJSON).
//   - Its BertNormalizer strips accents without decomposing first, so a
//     precomposed "ô" is kept while Hugging Face would give "o"; a null
//     strip_accents means false (Hugging Face follows lowercase); and its
//     BertPreTokenizer splits on ASCII whitespace only, so U+00A0 (common
//     before "?" and "!" in French) stays inside a word. BuildWordPiece
//     normalizes the way the library does, so its vocabularies fit what
//     Tokens sees.
//
// The library is read-only while it encodes (its BPE and Unigram caches
// hold their own locks), so a Tokenizer is shared between goroutines
// without a lock of ours; TestTokensConcurrent runs under -race.
package subword
