package corpora

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestReaderManyFiles(t *testing.T) {
	a := writeFile(t, "a.jsonl", `{"id":"1","text":"one","lang":"en"}`+"\n\n"+`{"id":"2","text":"deux","lang":"fr"}`+"\r\n")
	b := writeFile(t, "b.jsonl", `{"id":"3","text":"three","lang":"en"}`) // no final newline
	recs, n, _, err := Load([]string{a, b}, Options{})
	require.NoError(t, err)
	assert.Zero(t, n)
	require.Len(t, recs, 3)
	assert.Equal(t, []string{"1", "2", "3"}, []string{recs[0].ID, recs[1].ID, recs[2].ID})
	assert.Equal(t, 3, recs[1].Line, "blank lines still count")
	assert.Equal(t, b, recs[2].File)
}

func TestReaderStopsAtFirstError(t *testing.T) {
	p := writeFile(t, "x.jsonl", `{"id":"1","text":"one","lang":"en"}`+"\n"+`{"id":"2","text":"","lang":"en"}`+"\n"+`{"id":"3","text":"x","lang":"en"}`+"\n")
	recs, _, _, err := Load([]string{p}, Options{})
	require.Error(t, err)
	assert.Len(t, recs, 1)
	assert.ErrorIs(t, err, ErrEmptyText)
	assert.Contains(t, err.Error(), p+":2: field \"text\"")
}

func TestReaderLenient(t *testing.T) {
	long := `{"id":"L","lang":"en","text":"` + strings.Repeat("a", MaxLineBytes) + `"}`
	content := strings.Join([]string{
		`{"id":"1","text":"one","lang":"en"}`,
		`{"id":"1","text":"dup","lang":"en"}`,
		long,
		"{\"id\":\"4\",\"text\":\"\xff\",\"lang\":\"en\"}",
		`{"id":"5","text":"five","lang":"en"}`,
	}, "\n")
	p := writeFile(t, "x.jsonl", content)
	recs, n, errs, err := Load([]string{p}, Options{Lenient: true})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.Len(t, recs, 2)
	assert.Equal(t, "5", recs[1].ID)
	assert.Equal(t, 5, recs[1].Line, "a long line counts as one line")
	assert.ErrorIs(t, errs[0], ErrDuplicateID)
	assert.ErrorIs(t, errs[1], ErrLineTooLong)
	assert.ErrorIs(t, errs[2], ErrInvalidUTF8)
}

func TestReaderDuplicateAcrossFiles(t *testing.T) {
	a := writeFile(t, "a.jsonl", `{"id":"1","text":"one","lang":"en"}`)
	b := writeFile(t, "b.jsonl", `{"id":"1","text":"one again","lang":"en"}`)
	_, _, _, err := Load([]string{a, b}, Options{})
	assert.ErrorIs(t, err, ErrDuplicateID)
	assert.Contains(t, err.Error(), a+":1")
}

func TestReaderMissingFile(t *testing.T) {
	_, _, _, err := Load([]string{filepath.Join(t.TempDir(), "nope.jsonl")}, Options{Lenient: true})
	require.Error(t, err)
	assert.True(t, errors.Is(err, os.ErrNotExist))
	assert.Contains(t, err.Error(), "nope.jsonl")
}

func TestSplitNames(t *testing.T) {
	assert.Equal(t, []string{"a.jsonl", "builtin"}, SplitNames(" a.jsonl,,builtin "))
	assert.Empty(t, SplitNames(" , "))
}

func TestReaderByteOrderMark(t *testing.T) {
	p := writeFile(t, "bom.jsonl", "\xef\xbb\xbf"+`{"id":"1","text":"one","lang":"en"}`+"\n")
	recs, _, _, err := Load([]string{p}, Options{})
	require.NoError(t, err)
	require.Len(t, recs, 1)
}
