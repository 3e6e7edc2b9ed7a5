package classify

import (
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
	tokStart := len(dst) // start of the current token in dst; == len(dst) when none is open
	sep := func() {
		if len(dst) > tokStart {
			dst = append(dst, ' ')
		}
		tokStart = len(dst)
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if len(dst) == tokStart && (c|0x20 == 'h' || c|0x20 == 'w') {
				if n := urlLen(text[i:]); n > 0 {
					dst = append(dst, "_url_"...)
					sep()
					i += n
					continue
				}
			}
			switch {
			case 'a' <= c && c <= 'z':
				dst = append(dst, c)
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			case '0' <= c && c <= '9':
				dst = append(dst, '0')
			case c == '_': // kept, so "_url_" survives normalizing again (Normalize is idempotent)
				dst = append(dst, c)
			case c == '\'' || c == '`':
				dst, tokStart = apostrophe(dst, tokStart)
			default:
				sep()
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			sep()
		case r == '\u2019' || r == '\u02bc' || r == '\u2018' || r == '\u00b4':
			dst, tokStart = apostrophe(dst, tokStart)
		case r == '\ufe0f' || r == '\ufe0e' || r == '\u200d' || unicode.Is(unicode.Mn, r):
			// variation selectors, joiners and combining marks (accents of NFD text) vanish
		case unicode.IsLetter(r):
			dst = appendFolded(dst, r)
		case unicode.IsDigit(r):
			dst = append(dst, '0')
		case unicode.IsSymbol(r):
			sep()
			dst = utf8.AppendRune(dst, r)
			sep()
		default:
			sep()
		}
	}
	if len(dst) > tokStart {
		return dst
	}
	if tokStart > 0 && len(dst) == tokStart && dst[len(dst)-1] == ' ' {
		return dst[:len(dst)-1]
	}
	return dst
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
	r = unicode.ToLower(r)
	// The canonical decomposition of a precomposed letter starts with its base letter (é = e +
	// U+0301). norm's property lookup reads a static table and does not allocate.
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
		base, _ := utf8.DecodeRune(d)
		if base < utf8.RuneSelf {
			return append(dst, byte(base))
		}
		r = base
	}
	return utf8.AppendRune(dst, r)
}
