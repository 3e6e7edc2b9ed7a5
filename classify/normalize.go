package classify

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize appends to dst the normalized form of text and returns it: space-separated tokens,
// lower-cased, accents folded (é→e, ç→c, œ→oe, ß→ss), apostrophe variants (' ’ ʼ ‘ `) unified,
// French elisions dropped (l'hôpital → hopital, j'aimerais → aimerais, jusqu'à → a), other
// apostrophes removed (don't → dont, which is how people also type it), every digit turned into
// 0 (numbers generalize: 10k → 00k), URLs replaced by the token "_url_", and each emoji or other
// symbol made a token of its own (variation selectors and zero-width joiners dropped). All other
// characters separate tokens. "l’hôpital", "l'hopital" and "L'HÔPITAL" all give "hopital".
//
// Invalid UTF-8 bytes are treated as separators. Normalize does not allocate when dst has room.
func Normalize(dst []byte, text string) []byte {
	start := len(dst)
	dst = normalizeTokens(append(dst, ' '), text)
	if dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	if len(dst) == start { // the sentinel alone: no token
		return dst
	}
	n := copy(dst[start:], dst[start+1:])
	return dst[:start+n]
}

// normalizeTokens appends the normalized tokens of text to dst, which ends with a space: each
// token is preceded by one space, and the result may end with a space.
func normalizeTokens(dst []byte, text string) []byte {
	if hasURL(text) {
		return normalizeSlow(dst, text)
	}
	return normalizeFast(dst, text)
}

// hasURL reports whether text may hold a URL ("://" or "www." in any case): only such texts need
// the slow path, which looks for URLs at every token start.
func hasURL(text string) bool {
	if strings.Contains(text, "://") {
		return true
	}
	for i := 3; i < len(text); i++ {
		j := strings.IndexByte(text[i:], '.')
		if j < 0 {
			return false
		}
		i += j
		if i >= 3 && hasPrefixFold(text[i-3:], "www.") {
			return true
		}
	}
	return false
}

// normalizeFast is normalizeSlow for a text with no URL. ASCII letters, digits and separators,
// nearly every byte of a message, take a branch-free step: the byte's folded form is written,
// and the write position advances unless it is a separator after a separator. Apostrophes and
// other runes take the general path. FuzzNormalize checks that both paths agree.
func normalizeFast(dst []byte, text string) []byte {
	if cap(dst)-len(dst) < 2*len(text)+1 {
		dst = slices.Grow(dst, 2*len(text)+1)
	}
	d := dst[:cap(dst)]
	j := len(dst)
	ps := uint8(1) // the last byte written is a space
	for i := 0; i < len(text); {
		c := text[i]
		if o := fastFold[c]; o != 0 {
			d[j] = o
			s := fastSep[c]
			j += int(1 - s&ps)
			ps = s
			i++
			continue
		}
		var size int
		out := d[:j]
		if c < utf8.RuneSelf { // an ASCII apostrophe
			out, _ = apostrophe(out, tokenStart(out))
			size = 1
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			out = appendRune(out, r, size)
		}
		i += size
		d, j = out[:cap(out)], len(out)
		ps = 0
		if d[j-1] == ' ' {
			ps = 1
		}
	}
	return d[:j]
}

// tokenStart returns the start of the last token of dst, which begins with a space.
func tokenStart(dst []byte) int {
	return bytes.LastIndexByte(dst, ' ') + 1
}

// appendRune appends the normalized form of the non-ASCII rune r (size bytes in the text) to
// dst, which begins with a space; both paths use it. Latin-1 and Latin Extended-A (all of
// French) take one table lookup instead of the Unicode predicates and the decomposition.
func appendRune(dst []byte, r rune, size int) []byte {
	if r < latinEnd {
		if f := latinFold[r]; f[0] != 0 {
			dst = append(dst, f[0])
			if f[1] != 0 {
				dst = append(dst, f[1])
			}
			return dst
		}
	}
	tokStart := tokenStart(dst) // after the common case: it scans the token back
	switch {
	case r == utf8.RuneError && size == 1, !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSymbol(r) &&
		!isApostrophe(r) && !isInvisible(r):
		if len(dst) > tokStart {
			dst = append(dst, ' ')
		}
	case isApostrophe(r):
		dst, _ = apostrophe(dst, tokStart)
	case isInvisible(r):
	case unicode.IsLetter(r):
		dst = appendFolded(dst, r)
	case unicode.IsDigit(r):
		dst = append(dst, '0')
	default:
		if len(dst) > tokStart {
			dst = append(dst, ' ')
		}
		dst = utf8.AppendRune(dst, r)
		dst = append(dst, ' ')
	}
	return dst
}

// fastFold maps an ASCII byte to its folded form, or to ' ' for a separator; apostrophes and
// non-ASCII bytes map to 0 (the general path). fastSep is 1 for separators.
var fastFold, fastSep = func() (f, s [256]byte) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch o := asciiClass[c]; {
		case o >= '0':
			f[c] = o
		case o == classApostrophe:
		default:
			f[c], s[c] = ' ', 1
		}
	}
	return f, s
}()

func normalizeSlow(dst []byte, text string) []byte {
	// The loop keeps dst and tokStart in locals with no closure over them: a closure that
	// captured them made every byte go through memory (measured 4.3 ns/byte before, see
	// BenchmarkNormalize).
	tokStart := len(dst) // start of the current token in dst; == len(dst) when none is open
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			o := asciiClass[c]
			switch {
			case o >= '0': // letter, digit or underscore, already folded
				if len(dst) == tokStart && (o == 'h' || o == 'w') {
					if n := urlLen(text[i:]); n > 0 {
						dst = append(dst, "_url_ "...)
						tokStart = len(dst)
						i += n
						continue
					}
				}
				dst = append(dst, o)
			case o == classApostrophe:
				dst, tokStart = apostrophe(dst, tokStart)
			default: // separator
				if len(dst) > tokStart {
					dst = append(dst, ' ')
					tokStart = len(dst)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if dst = appendRune(dst, r, size); dst[len(dst)-1] == ' ' {
			tokStart = len(dst)
		}
	}
	return dst
}

const classApostrophe = 1

// asciiClass maps an ASCII byte to its folded form (lower-case letter, '0' for digits, '_'), to
// classApostrophe, or to 0 for a separator.
var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = '0'
	}
	t['_'] = '_'
	t['\''], t['`'] = classApostrophe, classApostrophe
	return t
}()

// latinEnd bounds the runes folded by table: U+0080..U+017F.
const latinEnd = 0x180

// latinFold holds, for each letter below latinEnd, its folded ASCII form (one or two bytes, as
// appendFolded gives it); other runes are zero and take the general path.
var latinFold = func() (t [latinEnd][2]byte) {
	for r := rune(0x80); r < latinEnd; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		if f := appendFolded(nil, r); len(f) <= 2 && f[0] < utf8.RuneSelf && (len(f) == 1 || f[1] < utf8.RuneSelf) {
			copy(t[r][:], f)
		}
	}
	return t
}()

func isApostrophe(r rune) bool {
	return r == '\u2019' || r == '\u02bc' || r == '\u2018' || r == '\u00b4'
}

func isInvisible(r rune) bool {
	return r == '\ufe0f' || r == '\ufe0e' || r == '\u200d' || unicode.Is(unicode.Mn, r)
}

// elisions are the French clitics dropped before an apostrophe.
var elisions = [...]string{"l", "d", "j", "qu", "n", "s", "t", "m", "c", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"}

// apostrophe handles an apostrophe at the end of the open token: an elided clitic is dropped,
// otherwise the apostrophe is removed and the token goes on.
func apostrophe(dst []byte, tokStart int) ([]byte, int) {
	tok := dst[tokStart:]
	for _, e := range elisions {
		if string(tok) == e {
			return dst[:tokStart], tokStart
		}
	}
	return dst, tokStart
}

// urlLen returns the length of the URL at the start of s, or 0.
func urlLen(s string) int {
	if !hasPrefixFold(s, "http://") && !hasPrefixFold(s, "https://") && !hasPrefixFold(s, "www.") {
		return 0
	}
	n := 0
	for n < len(s) && s[n] > ' ' {
		n++
	}
	return n
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// appendFolded appends the lower-case, accent-free form of the letter r.
func appendFolded(dst []byte, r rune) []byte {
	r = unicode.ToLower(r) // first: ẞ lowers to ß, which folds further (found by FuzzNormalize)
	switch r {
	case 'œ', 'Œ':
		return append(dst, 'o', 'e')
	case 'æ', 'Æ':
		return append(dst, 'a', 'e')
	case 'ß':
		return append(dst, 's', 's')
	case 'ø', 'Ø':
		return append(dst, 'o')
	case 'đ', 'Đ':
		return append(dst, 'd')
	case 'ł', 'Ł':
		return append(dst, 'l')
	case 'ı':
		return append(dst, 'i')
	}
	// The canonical decomposition of a precomposed letter starts with its base letter (é = e +
	// U+0301). norm's property lookup reads a static table and does not allocate.
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
		base, _ := utf8.DecodeRune(d)
		if base < utf8.RuneSelf {
			return append(dst, byte(base))
		}
		if base != r {
			return appendFolded(dst, base) // ǽ -> æ -> ae (found by FuzzNormalize)
		}
	}
	return utf8.AppendRune(dst, r)
}
