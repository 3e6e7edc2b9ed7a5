package subword

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/tokenizer.json from BuildWordPiece(sample, sampleSize)")

const (
	// fixture is the tokenizer.json that TestWriteJSONGolden writes from
	// sample; regenerate it with go test -run TestWriteJSONGolden -update.
	fixture = "testdata/tokenizer.json"
	// sampleSize caps the fixture vocabulary. Uncapped, sample gives 278
	// pieces; 200 keeps the frequent words whole (every word seen twice
	// or more, and the common suffixes) and cuts the rarest into pieces.
	sampleSize = 200
)

// sample is a small bilingual text, written for this test in the style of
// support and health chat messages, from which the fixture is built.
var sample = []string{
	"Bonjour, je suis à l'hôpital depuis hier soir.",
	"Je n'arrive pas à respirer, j'ai mal à la poitrine.",
	"Mon médecin m'a dit de rester à l'hôpital encore deux jours.",
	"Est-ce que vous pouvez m'envoyer le numéro de la pharmacie ?",
	"J'ai oublié mon mot de passe, pouvez-vous le réinitialiser ?",
	"Mon numéro de téléphone a changé, voici le nouveau.",
	"L'infirmière passera demain matin pour la prise de sang.",
	"Je me sens beaucoup mieux aujourd'hui, merci beaucoup !",
	"Ma fille est malade, elle a de la fièvre depuis trois jours.",
	"Pouvez-vous me rappeler plus tard ? Je suis au travail.",
	"Les résultats de l'analyse sont arrivés ce matin.",
	"Je voudrais prendre un rendez-vous avec le docteur Martin.",
	"Hello, I am at the hospital since last night.",
	"I can't breathe well and my chest hurts.",
	"My doctor told me to stay at the hospital two more days.",
	"Can you send me the phone number of the pharmacy?",
	"I forgot my password, can you reset it please?",
	"My phone number changed, here is the new one.",
	"The nurse will come tomorrow morning for the blood test.",
	"I am feeling much better today, thank you so much!",
	"My daughter is sick, she has had a fever for three days.",
	"Can you call me back later? I'm at work.",
	"The test results arrived this morning.",
	"I would like to book an appointment with Doctor Martin.",
	"She was breathing badly, so they kept her at the hospital.",
	"We are waiting for the results, still waiting and waiting.",
}

func TestWriteJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, BuildWordPiece(sample, sampleSize).WriteJSON(&buf))
	got := buf.Bytes()
	if *update {
		require.NoError(t, os.WriteFile(fixture, got, 0o644))
		return
	}
	want, err := os.ReadFile(fixture)
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		gotPath := strings.TrimSuffix(fixture, ".json") + ".got.json"
		require.NoError(t, os.WriteFile(gotPath, got, 0o644))
		t.Errorf("%s differs from BuildWordPiece(sample, %d); see diff -u %s %s, or rerun with -update",
			fixture, sampleSize, fixture, gotPath)
	}
}

// TestFixtureMatchesReference checks the library, reading the fixture,
// against an obvious reference: our preTokenize followed by greedy
// longest-match-first WordPiece over the fixture vocabulary.
func TestFixtureMatchesReference(t *testing.T) {
	tk := loadFixture(t)
	wp := BuildWordPiece(sample, sampleSize)
	inputs := append(slices.Clone(sample),
		"", "l'hôpital", "Qu'est-ce que c'est\u00a0?", "tab\tand\r\nnewlines", "中文 test",
		"zebra", "ZZZ", "a\u200bb", "e\u0301te\u0301", "😀 emoji",
	)
	for i, in := range inputs {
		got, err := tk.Tokens(nil, in)
		require.NoError(t, err, "%d: %q", i, in)
		assert.Equal(t, referencePieces(wp, in), got, "%d: %q", i, in)
	}
	for i, in := range sample {
		got, err := tk.Tokens(nil, in)
		require.NoError(t, err, "%d: %q", i, in)
		assert.NotContains(t, got, defaultUnkToken, "%d: %q: every sample character is in the vocabulary", i, in)
	}
}

// referencePieces is the WordPiece algorithm of BERT's tokenization.py.
func referencePieces(wp WordPiece, text string) []string {
	inVocab := make(map[string]bool, len(wp.Vocab))
	for _, p := range wp.Vocab {
		inVocab[p] = true
	}
	var out []string
	for _, word := range preTokenize(nil, text) {
		runes := []rune(word)
		if len(runes) > wp.MaxInputCharsPerWord {
			out = append(out, wp.UnkToken)
			continue
		}
		var pieces []string
		for start := 0; start < len(runes); {
			end := len(runes)
			for ; end > start; end-- {
				p := string(runes[start:end])
				if start > 0 {
					p = "##" + p
				}
				if inVocab[p] {
					pieces = append(pieces, p)
					break
				}
			}
			if end == start {
				pieces = []string{wp.UnkToken}
				break
			}
			start = end
		}
		out = append(out, pieces...)
	}
	return out
}

func TestBuildWordPiece(t *testing.T) {
	specials := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
	for i, test := range []struct {
		texts []string
		size  int
		want  []string // after the special tokens
	}{
		{ // 0: nothing seen
			texts: nil,
			size:  10,
			want:  []string{},
		},
		{ // 1: characters and their continuing forms are kept whatever the size
			texts: []string{"ab ab abc"},
			size:  0,
			want:  []string{"a", "b", "c", "##a", "##b", "##c"},
		},
		{ // 2: whole words by count; "##bc" ends only one word, so it is left out
			texts: []string{"ab ab abc"},
			size:  100,
			want:  []string{"a", "b", "c", "##a", "##b", "##c", "ab", "abc"},
		},
		{ // 3: ties broken by byte order
			texts: []string{"ba ab"},
			size:  100,
			want:  []string{"a", "b", "##a", "##b", "ab", "ba"},
		},
		{ // 4: suffixes shared by two words count both; "#" sorts before letters
			texts: []string{"going doing"},
			size:  100,
			want: []string{"d", "g", "i", "n", "o", "##d", "##g", "##i", "##n", "##o",
				"##ing", "##ng", "##oing", "doing", "going"},
		},
		{ // 5: size cuts the ranked candidates
			texts: []string{"going doing"},
			size:  5 + 10 + 2,
			want: []string{"d", "g", "i", "n", "o", "##d", "##g", "##i", "##n", "##o",
				"##ing", "##ng"},
		},
		{ // 6: lowercased; precomposed accents kept, decomposed ones dropped,
			// as sugarme/tokenizer v0.3.0 does; punctuation isolated
			texts: []string{"L'HÔPITAL l'ho\u0302pital"},
			size:  100,
			want: []string{"'", "a", "h", "i", "l", "o", "p", "t", "ô",
				"##'", "##a", "##h", "##i", "##l", "##o", "##p", "##t", "##ô",
				"##al", "##ital", "##pital", "##tal", "hopital", "hôpital"},
		},
		{ // 7: words over 100 runes are never candidates
			texts: []string{strings.Repeat("x", 101)},
			size:  100,
			want:  []string{"x", "##x"},
		},
	} {
		texts := slices.Clone(test.texts)
		got := BuildWordPiece(test.texts, test.size)
		assert.Equal(t, test.texts, texts, "%d: texts modified", i)
		want := append(slices.Clone(specials), test.want...)
		assert.Equal(t, want, got.Vocab, "%d", i)
		assert.Equal(t, "[UNK]", got.UnkToken, "%d", i)
		assert.Equal(t, 100, got.MaxInputCharsPerWord, "%d", i)
	}
}

func TestWriteJSONErrors(t *testing.T) {
	for i, test := range []struct {
		wp   WordPiece
		want string // substring of the error
	}{
		{ // 0
			wp:   WordPiece{},
			want: "empty vocabulary",
		},
		{ // 1
			wp:   WordPiece{Vocab: []string{"[UNK]", ""}},
			want: "empty piece at id 1",
		},
		{ // 2
			wp:   WordPiece{Vocab: []string{"[UNK]", "a", "a"}},
			want: `piece "a" at ids 1 and 2`,
		},
		{ // 3
			wp:   WordPiece{Vocab: []string{"a"}},
			want: `unknown token "[UNK]" is not in the vocabulary`,
		},
		{ // 4
			wp:   WordPiece{Vocab: []string{"[UNK]"}, UnkToken: "<unk>"},
			want: `unknown token "<unk>" is not in the vocabulary`,
		},
		{ // 5
			wp:   WordPiece{Vocab: []string{"[UNK]", "\xff"}},
			want: "invalid UTF-8",
		},
		{ // 6
			wp:   WordPiece{Vocab: []string{"[UNK]"}, MaxInputCharsPerWord: -1},
			want: "MaxInputCharsPerWord -1 is negative",
		},
	} {
		var buf bytes.Buffer
		err := test.wp.WriteJSON(&buf)
		if assert.Error(t, err, "%d", i) {
			assert.Contains(t, err.Error(), test.want, "%d", i)
			assert.True(t, strings.HasPrefix(err.Error(), "subword: "), "%d: %v", i, err)
		}
		assert.Zero(t, buf.Len(), "%d: wrote on error", i)
	}
}

// TestWriteJSONRoundTrip writes vocabularies by hand, with the defaults
// and without, and reads them back through the library.
func TestWriteJSONRoundTrip(t *testing.T) {
	for i, test := range []struct {
		wp   WordPiece
		text string
		want []string
	}{
		{ // 0: zero UnkToken and MaxInputCharsPerWord mean [UNK] and 100
			wp:   WordPiece{Vocab: []string{"[UNK]", "un", "##able", "<b>&"}},
			text: "Unable zzz",
			want: []string{"un", "##able", "[UNK]"},
		},
		{ // 1: another unknown token, a short word limit
			wp:   WordPiece{Vocab: []string{"<unk>", "un", "##able"}, UnkToken: "<unk>", MaxInputCharsPerWord: 4},
			text: "un unable",
			want: []string{"un", "<unk>"},
		},
	} {
		path := filepath.Join(t.TempDir(), "tokenizer.json")
		var buf bytes.Buffer
		require.NoError(t, test.wp.WriteJSON(&buf), "%d", i)
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644), "%d", i)
		tk, err := Load(path)
		require.NoError(t, err, "%d", i)
		assert.Equal(t, len(test.wp.Vocab), tk.VocabSize(), "%d", i)
		got, err := tk.Tokens(nil, test.text)
		require.NoError(t, err, "%d", i)
		assert.Equal(t, test.want, got, "%d", i)
	}
}
