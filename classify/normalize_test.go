package classify

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalize(t *testing.T) {
	for i, tc := range []struct{ in, want string }{
		{"l’hôpital", "hopital"}, // 0
		{"l'hopital", "hopital"}, // 1
		{"L'HÔPITAL", "hopital"}, // 2
		{"lʼhôpital", "hopital"}, // 3
		{"J'aimerais aller jusqu'à Orléans", "aimerais aller a orleans"},          // 4
		{"I don't know, it's FINE!!", "i dont know its fine"},                     // 5
		{"Cœur, ça, Straße, naïve", "coeur ca strasse naive"},                     // 6
		{"e\u0301te\u0301", "ete"},                                                // 7: NFD input
		{"10k en 2025", "00k en 0000"},                                            // 8
		{"voir https://ex.com/a?b=1 et www.site.fr ok", "voir _url_ et _url_ ok"}, // 9
		{"trop bien 😂😂 🏳️‍🌈", "trop bien 😂 😂 🏳 🌈"},                                // 10
		{"  ", ""},                            // 11
		{"peut-être", "peut etre"},            // 12
		{"qu'il", "il"},                       // 13
		{"caf\xe9 au lait", "caf au lait"},    // 14: invalid UTF-8 separates
		{"Привет Мир", "привет мир"},          // 15: other scripts lower-cased
		{"what's hhh http", "whats hhh http"}, // 16: not URLs
		{"'quoted'", "quoted"},                // 17
	} {
		assert.Equal(t, tc.want, string(Normalize(nil, tc.in)), "%d: %q", i, tc.in)
	}
}

func TestNormalizeAppends(t *testing.T) {
	got := Normalize([]byte("x|"), "Été")
	assert.Equal(t, "x|ete", string(got))
}

func TestNormalizeAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		buf = Normalize(buf[:0], "J’aimerais réserver l'hôtel à Montréal pour 3 nuits 😊 https://x.fr")
	})
	assert.Zero(t, allocs)
}

func BenchmarkNormalize(b *testing.B) {
	var buf []byte
	n := 0
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m := sampleMessages[i%len(sampleMessages)]
		buf = Normalize(buf[:0], m)
		n += len(m)
		i++
	}
	b.ReportMetric(float64(n)/float64(i), "bytes/msg")
}

// TestLatinFoldTable pins the table to the general path it short-cuts.
func TestLatinFoldTable(t *testing.T) {
	for r := rune(0x80); r < latinEnd; r++ {
		if f := latinFold[r]; f[0] != 0 {
			n := 1
			if f[1] != 0 {
				n = 2
			}
			assert.Equal(t, string(appendFolded(nil, r)), string(f[:n]), "%U", r)
		}
	}
	assert.Equal(t, "oe", string(latinFold['œ'][:]))
	assert.Equal(t, [2]byte{'e', 0}, latinFold['É'])
}

// FuzzNormalize checks the fast path against the general one, and idempotence.
func FuzzNormalize(f *testing.F) {
	for _, m := range sampleMessages {
		f.Add(m)
	}
	f.Add("J’aimerais l'HÔPITAL d'Orléans 😂🏳️‍🌈 caf\xe9 ẞ Ⱥ ©2025 qu'il `x` www.a.fr http://b")
	f.Fuzz(func(t *testing.T, text string) {
		if !hasURL(text) {
			fast := string(normalizeFast([]byte(" "), text))
			slow := string(normalizeSlow([]byte(" "), text))
			if fast != slow {
				t.Fatalf("fast %q != slow %q for %q", fast, slow, text)
			}
		}
		once := Normalize(nil, text)
		if twice := Normalize(nil, string(once)); string(twice) != string(once) {
			t.Fatalf("not idempotent: %q -> %q -> %q", text, once, twice)
		}
	})
}

// TestMemoAcrossConversations interleaves conversations through one Features, so that memo
// entries are evicted and reused, and compares every result with a fresh Features.
func TestMemoAcrossConversations(t *testing.T) {
	c := DefaultFeatures
	var shared Features
	convs := [][]string{
		{"my knee hurts", "and the other one too", "which doctor", "thanks"},
		{"cheap flights to lisbon", "and hotels", "my knee hurts", "for two nights"},
		{"qui vote", "et les verts", "et la gauche", "merci"},
	}
	for turn := 0; turn < 4; turn++ {
		for _, conv := range convs {
			context := strings.Join(conv[:turn], "\n")
			var fresh Features
			c.FeaturizeContext(&shared, conv[turn], context)
			c.FeaturizeContext(&fresh, conv[turn], context)
			assert.Equal(t, fresh.Idx, shared.Idx, "turn %d of %q", turn, conv)
			assert.Equal(t, fresh.Sign, shared.Sign)
		}
	}
}
