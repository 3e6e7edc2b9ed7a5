package subword

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/pretrained"
)

// ErrEncode is wrapped by the error Tokens returns when the library fails
// on a message, by returning an error or by panicking.
var ErrEncode = errors.New("subword: encode failed")

// Tokenizer cuts messages into the subword pieces of a Hugging Face
// tokenizer.json.
//
// A Tokenizer is safe for concurrent use by multiple goroutines.
//
// Note: there is no mutex. sugarme/tokenizer v0.3.0 only reads the
// tokenizer while encoding: normalizers and pre-tokenizers work on a fresh
// value per call, and the only shared writes are the BPE cache and the
// Unigram cache (github.com/patrickmn/go-cache), which both lock. At
// about 100 µs a message (BenchmarkTokens), a mutex would cap a Tokenizer
// at about 10,000 messages a second whatever the number of cores.
type Tokenizer struct {
	tk        *tokenizer.Tokenizer
	vocabSize int
}

// Load reads the tokenizer.json at path.
//
// The post-processor, truncation and padding of the file are dropped, so
// Tokens gives the model's pieces of the whole message and nothing else
// (no [CLS], [SEP] or padding). Errors start with "subword: path: "; a
// truncated, corrupt or unsupported file is an error, never a panic. A
// file whose vocabulary is empty is an error.
func Load(path string) (*Tokenizer, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // The path is already in our prefix.
		}
		return nil, fmt.Errorf("subword: %s: %w", path, err)
	}
	defer f.Close()

	// pretrained.FromFile is os.Open plus FromReader; we open the file
	// ourselves so that errors name the path once.
	tk, err := fromReader(f)
	if err != nil {
		return nil, fmt.Errorf("subword: %s: %w", path, shorten(err))
	}
	tk.WithPostProcessor(nil)
	tk.WithTruncation(nil)
	tk.WithPadding(nil)
	n := tk.GetVocabSize(true)
	if n == 0 {
		return nil, fmt.Errorf("subword: %s: empty vocabulary", path)
	}
	return &Tokenizer{tk: tk, vocabSize: n}, nil
}

// maxErrLen bounds the library's error messages, some of which dump the
// whole configuration, vocabulary included, with %#v.
const maxErrLen = 200

// shorten cuts the message of err to maxErrLen bytes. A cut error no
// longer wraps err.
func shorten(err error) error {
	msg := err.Error()
	if len(msg) <= maxErrLen {
		return err
	}
	return errors.New(strings.ToValidUTF8(msg[:maxErrLen], "") + "...")
}

// fromReader calls the library's loader and turns its panics into errors.
func fromReader(r io.Reader) (tk *tokenizer.Tokenizer, err error) {
	defer func() {
		if p := recover(); p != nil {
			tk, err = nil, fmt.Errorf("malformed tokenizer.json: %v", p)
		}
	}()
	tk, err = pretrained.FromReader(r)
	if err != nil {
		return nil, err
	}
	if tk.GetModel() == nil {
		return nil, errors.New("malformed tokenizer.json: no model")
	}
	return tk, nil
}

// Tokens appends the subword pieces of text to dst and returns the
// extended slice. The pieces are new strings that the caller owns; text is
// not changed.
//
// Invalid UTF-8 in text is first replaced by U+FFFD, one per run of bad
// bytes (strings.ToValidUTF8). If the library fails, by an error or a
// panic, Tokens returns dst unchanged and an error wrapping ErrEncode.
func (t *Tokenizer) Tokens(dst []string, text string) ([]string, error) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	en, err := t.encode(text)
	if err != nil {
		return dst, fmt.Errorf("%w: %v", ErrEncode, err)
	}
	return append(dst, en.Tokens...), nil
}

// encode calls the library and turns its panics into errors.
func (t *Tokenizer) encode(text string) (en *tokenizer.Encoding, err error) {
	defer func() {
		if p := recover(); p != nil {
			en, err = nil, fmt.Errorf("library panic: %v", p)
		}
	}()
	return t.tk.EncodeSingle(text, false)
}

// VocabSize returns the number of distinct pieces: the model's vocabulary
// plus the added tokens that are not in it.
func (t *Tokenizer) VocabSize() int {
	return t.vocabSize
}
