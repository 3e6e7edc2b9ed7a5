package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func toyModel(t testing.TB) *Model {
	labels, exs := toyData()
	m, err := Train(TrainConfig{Target: TargetSensitive, Features: FeatureConfig{Bits: 12, WordNgrams: 2, CharMin: 3, CharMax: 4}}, labels, exs, exs)
	require.NoError(t, err)
	return m
}

func TestModelFileRoundTrip(t *testing.T) {
	m := toyModel(t)
	path := filepath.Join(t.TempDir(), "m.lbm")
	require.NoError(t, m.Save(path))
	got, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, m.W, got.W)
	assert.Equal(t, m.B, got.B)
	assert.Equal(t, m.Labels, got.Labels)
	assert.Equal(t, m.Thresholds, got.Thresholds)
	assert.Equal(t, m.Features, got.Features)
	assert.Equal(t, m.Info, got.Info)
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Len(t, entries, 1, "no temporary file left behind")
}

func TestModelFileErrors(t *testing.T) {
	good := modelBytes(t, toyModel(t))
	flip := bytes.Clone(good)
	flip[len(flip)/2] ^= 0x40
	badVersion := bytes.Clone(good)
	binary.LittleEndian.PutUint32(badVersion[8:], 99)
	for i, tc := range []struct {
		data []byte
		want error
	}{
		{good[:len(good)-1], ErrCorrupt},                         // 0: truncated by one byte: checksum fails
		{good[:len(good)/2], ErrCorrupt},                         // 1
		{good[:10], ErrTruncated},                                // 2
		{[]byte("LKBM"), ErrTruncated},                           // 3
		{[]byte("hello world, not a model at all"), ErrNotModel}, // 4
		{nil, ErrNotModel},                                       // 5
		{flip, ErrCorrupt},                                       // 6
		{badVersion, ErrVersion},                                 // 7
	} {
		_, err := Decode(tc.data)
		assert.ErrorIs(t, err, tc.want, "%d", i)
	}
	p := filepath.Join(t.TempDir(), "bad.lbm")
	require.NoError(t, os.WriteFile(p, good[:100], 0o644))
	_, err := Load(p)
	assert.ErrorContains(t, err, p, "errors name the file")
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	toyModel(f).WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("LKBMODEL\x01\x00\x00\x00\x02\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err == nil {
			require.NoError(t, m.validate())
		}
	})
}

func TestWriteFileAtomicSpecialFiles(t *testing.T) {
	// Writing to /dev/null must not replace the device (as root a rename would).
	before, err := os.Stat(os.DevNull)
	require.NoError(t, err)
	require.NoError(t, WriteFileAtomic(os.DevNull, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }))
	after, err := os.Stat(os.DevNull)
	require.NoError(t, err)
	assert.Equal(t, before.Mode(), after.Mode(), "still a device")

	p := filepath.Join(t.TempDir(), "out.txt")
	require.NoError(t, WriteFileAtomic(p, func(w io.Writer) error { _, err := w.Write([]byte("ok")); return err }))
	require.Error(t, WriteFileAtomic(p, func(w io.Writer) error { w.Write([]byte("partial")); return errors.New("boom") }))
	data, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "ok", string(data), "a failed write leaves the old file whole")
}
