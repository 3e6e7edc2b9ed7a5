package subword

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadFixture(tb testing.TB) *Tokenizer {
	tb.Helper()
	tk, err := Load(fixture)
	require.NoError(tb, err)
	return tk
}

// tokensTests are pinned from the fixture (hand-checked: whole words of
// sample stay whole, unseen words fall back to pieces). They also seed
// FuzzTokens.
var tokensTests = []struct {
	text    string
	want    []string
	wantErr bool // ErrEncode
}{
	{ // 0
		text: "l'hôpital",
		want: []string{"l", "'", "hôpital"},
	},
	{ // 1
		text: "L'HÔPITAL",
		want: []string{"l", "'", "hôpital"},
	},
	{ // 2
		text: "I can't breathe well",
		want: []string{"i", "can", "'", "t", "breathe", "w", "##e", "##ll"},
	},
	{ // 3
		text: "",
		want: []string{},
	},
	{ // 4: invalid UTF-8 becomes U+FFFD, which the BertNormalizer drops
		text: "\xff\xfe",
		want: []string{},
	},
	{ // 5: a truncated "é" splits nothing
		text: "caf\xc3 ok",
		want: []string{"c", "##a", "##f", "o", "##k"},
	},
	{ // 6
		text: "\x00",
		want: []string{},
	},
	{ // 7: a lone combining mark is dropped
		text: "\u0301",
		want: []string{},
	},
	{ // 8: an unseen character
		text: "😀",
		want: []string{"[UNK]"},
	},
	{ // 9: over MaxInputCharsPerWord
		text: strings.Repeat("a", 101),
		want: []string{"[UNK]"},
	},
	{ // 10: the library panics: lowercasing "İ" lengthens the string
		text:    "İstanbul",
		wantErr: true,
	},
	{ // 11: same for "ẞ" (2 bytes) whose lowercase "ß" has 3
		text:    "Straẞe",
		wantErr: true,
	},
}

func TestTokens(t *testing.T) {
	tk := loadFixture(t)
	for i, test := range tokensTests {
		dst := []string{"kept"}
		got, err := tk.Tokens(dst, test.text)
		if test.wantErr {
			assert.ErrorIs(t, err, ErrEncode, "%d: %q", i, test.text)
			assert.Equal(t, dst, got, "%d: dst changed on error", i)
			continue
		}
		require.NoError(t, err, "%d: %q", i, test.text)
		assert.Equal(t, append([]string{"kept"}, test.want...), got, "%d: %q", i, test.text)
	}
}

func TestLoadErrors(t *testing.T) {
	good, err := os.ReadFile(fixture)
	require.NoError(t, err)
	for i, test := range []struct {
		name    string
		content string // "" with missing true: no file
		missing bool
		want    string // substring of the error after "subword: path: "
	}{
		{ // 0
			name:    "missing",
			missing: true,
			want:    "no such file",
		},
		{ // 1
			name:    "truncated",
			content: string(good[:len(good)/2]),
			want:    "unexpected EOF",
		},
		{ // 2
			name:    "not JSON",
			content: "tokenizer\n",
			want:    "invalid character",
		},
		{ // 3
			name:    "empty",
			content: "",
			want:    "EOF",
		},
		{ // 4
			name:    "null",
			content: "null",
			want:    "malformed",
		},
		{ // 5
			name:    "empty object",
			content: "{}",
			want:    "malformed",
		},
		{ // 6
			name:    "no vocab",
			content: `{"model":{"type":"WordPiece"}}`,
			want:    "malformed",
		},
		{ // 7
			name:    "empty vocab",
			content: `{"model":{"type":"WordPiece","vocab":{}}}`,
			want:    "empty",
		},
		{ // 8
			name:    "bad id",
			content: `{"model":{"type":"WordPiece","vocab":{"a":"x"}}}`,
			want:    "malformed",
		},
		{ // 9
			name:    "bad type",
			content: `{"model":{"type":"Nope","vocab":{"a":0}}}`,
			want:    "Could not construct",
		},
		{ // 10
			name:    "Nmt",
			content: `{"normalizer":{"type":"Nmt"},"model":{"type":"WordPiece","vocab":{"a":0}}}`,
			want:    "malformed",
		},
		{ // 11: the library dumps the whole configuration; the error is cut
			name:    "long",
			content: `{"model":{"type":"Nope","vocab":{"` + strings.Repeat("a", 1000) + `":0}}}`,
			want:    "Could not construct",
		},
	} {
		path := filepath.Join(t.TempDir(), "tokenizer.json")
		if !test.missing {
			require.NoError(t, os.WriteFile(path, []byte(test.content), 0o644))
		}
		tk, err := Load(path)
		assert.Nil(t, tk, "%d: %s", i, test.name)
		if !assert.Error(t, err, "%d: %s", i, test.name) {
			continue
		}
		t.Logf("%d: %s: %v", i, test.name, err)
		prefix := "subword: " + path + ": "
		assert.True(t, strings.HasPrefix(err.Error(), prefix), "%d: %s: %v", i, test.name, err)
		assert.Contains(t, err.Error(), test.want, "%d: %s", i, test.name)
		assert.Equal(t, 1, strings.Count(err.Error(), path), "%d: %s: path named once: %v", i, test.name, err)
		assert.LessOrEqual(t, len(err.Error()), len(prefix)+maxErrLen+len("..."), "%d: %s", i, test.name)
		if test.missing {
			assert.True(t, errors.Is(err, fs.ErrNotExist), "%d: %v", i, err)
		}
	}
}

func TestVocabSize(t *testing.T) {
	tk := loadFixture(t)
	assert.Equal(t, len(BuildWordPiece(sample, sampleSize).Vocab), tk.VocabSize())
}

// TestTokensConcurrent shares one Tokenizer between goroutines; run it
// with -race.
func TestTokensConcurrent(t *testing.T) {
	tk := loadFixture(t)
	texts := append(slices.Clone(sample), "İstanbul", "caf\xc3", "l'hôpital")
	type result struct {
		tokens []string
		err    error
	}
	want := make([]result, len(texts))
	for i, text := range texts {
		want[i].tokens, want[i].err = tk.Tokens(nil, text)
	}
	const goroutines, rounds = 8, 20
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			var buf []string
			for r := range rounds {
				i := (g + r) % len(texts)
				var err error
				buf, err = tk.Tokens(buf[:0], texts[i])
				if (err == nil) != (want[i].err == nil) || (err == nil && !slices.Equal(buf, want[i].tokens)) {
					errs <- texts[i]
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for text := range errs {
		t.Errorf("concurrent Tokens(%q) differs from the sequential result", text)
	}
}

func FuzzTokens(f *testing.F) {
	for _, test := range tokensTests {
		f.Add(test.text)
	}
	for _, text := range sample {
		f.Add(text)
	}
	tk := loadFixture(f)
	f.Fuzz(func(t *testing.T, text string) {
		dst := []string{"kept"}
		got, err := tk.Tokens(dst, text)
		if err != nil {
			if !errors.Is(err, ErrEncode) {
				t.Fatalf("Tokens(%q): error %v does not wrap ErrEncode", text, err)
			}
			if !slices.Equal(got, dst) {
				t.Fatalf("Tokens(%q): dst changed on error: %q", text, got)
			}
			return
		}
		if len(got) < 1 || got[0] != "kept" {
			t.Fatalf("Tokens(%q) = %q: dst not kept", text, got)
		}
		for _, p := range got[1:] {
			if p == "" {
				t.Fatalf("Tokens(%q) = %q: empty piece", text, got)
			}
		}
	})
}

// benchMessages are realistic chat messages of various lengths, written
// for this benchmark.
var benchMessages = []struct {
	name string
	text string
}{
	{"fr-short", "Je suis à l'hôpital, je n'arrive pas à respirer."},
	{"en-short", "I can't breathe well, I'm at the hospital."},
	{"fr-long", "Bonjour docteur, ma fille a de la fièvre depuis trois jours et elle tousse beaucoup la nuit. " +
		"Pouvez-vous me rappeler au 06 12 34 56 78 avant midi ? Merci d'avance pour votre aide."},
	{"en-long", "Hi, this is Martin again. My password was reset yesterday but I still cannot log in to the portal; " +
		"could you send the new code to my phone number ending in 4821? Thanks a lot for your help."},
}

func BenchmarkTokens(b *testing.B) {
	tk := loadFixture(b)
	for _, m := range benchMessages {
		b.Run("msg="+m.name, func(b *testing.B) {
			dst, err := tk.Tokens(nil, m.text)
			require.NoError(b, err)
			require.NotEmpty(b, dst)
			b.SetBytes(int64(len(m.text)))
			b.ReportAllocs()
			for b.Loop() {
				dst, err = tk.Tokens(dst[:0], m.text)
			}
			require.NoError(b, err)
		})
	}
}
