package classify

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
)

// Model file format, version 2 (all integers little-endian):
//
//	magic    8 bytes  "LKBMODEL"
//	version  uint32   FormatVersion
//	hlen     uint32   length of the header
//	header   hlen     JSON of Model (kind, target, features, labels, thresholds, info)
//	nrows    uint32   number of stored weight rows
//	rows     nrows × (uint32 row index, L × float32 weights), ascending row index
//	biases   L × float32
//	crc      uint32   CRC-32C (Castagnoli) of every byte before it
//
// Only rows with a non-zero weight are stored, so the file holds what training touched, not the
// whole hash space; the model is dense in memory for the hot path.
const (
	modelMagic = "LKBMODEL"
	// FormatVersion is the version Save writes and Load accepts. Version 2 hashes features with
	// 64-bit word loads (see hashBytes) instead of FNV-1a 32: the layout is that of version 1,
	// but version 1 weights sit at other rows, so those files must be retrained.
	FormatVersion = 2
	maxHeaderLen  = 1 << 20
)

// Errors of Load.
var (
	ErrNotModel   = errors.New("classify: not a leakbench model file")
	ErrVersion    = errors.New("classify: unsupported model format version")
	ErrCorrupt    = errors.New("classify: corrupt model file")
	ErrTruncated  = errors.New("classify: truncated model file")
	castagnoliTab = crc32.MakeTable(crc32.Castagnoli)
)

// WriteTo writes the model in the binary format.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	if err := m.validate(); err != nil {
		return 0, fmt.Errorf("classify: refusing to save an invalid model: %w", err)
	}
	header, err := json.Marshal(m)
	if err != nil {
		return 0, err
	}
	if len(header) > maxHeaderLen {
		return 0, fmt.Errorf("classify: model header of %d bytes exceeds %d", len(header), maxHeaderLen)
	}
	L := len(m.Labels)
	var buf bytes.Buffer
	buf.WriteString(modelMagic)
	le := binary.LittleEndian
	buf.Write(le.AppendUint32(nil, FormatVersion))
	buf.Write(le.AppendUint32(nil, uint32(len(header))))
	buf.Write(header)
	var rows []uint32
	for r := range m.Features.Dim() {
		for _, x := range m.W[r*L : r*L+L] {
			if x != 0 {
				rows = append(rows, uint32(r))
				break
			}
		}
	}
	buf.Write(le.AppendUint32(nil, uint32(len(rows))))
	b := make([]byte, 0, 4+4*L)
	for _, r := range rows {
		b = le.AppendUint32(b[:0], r)
		for _, x := range m.W[int(r)*L : int(r)*L+L] {
			b = le.AppendUint32(b, math.Float32bits(x))
		}
		buf.Write(b)
	}
	for _, x := range m.B {
		buf.Write(le.AppendUint32(nil, math.Float32bits(x)))
	}
	buf.Write(le.AppendUint32(nil, crc32.Checksum(buf.Bytes(), castagnoliTab)))
	return buf.WriteTo(w)
}

// Save writes the model to path atomically: a temporary file in the same folder, synced, then
// renamed, so a reader never sees a partial model.
func (m *Model) Save(path string) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := m.WriteTo(w)
		return err
	})
}

// WriteFileAtomic writes path through write: to a temporary file in the same folder, then
// renamed over path. On any error path is left as it was. A path that exists and is not a
// regular file (/dev/null, a named pipe, /dev/stdout) is written in place: renaming over it
// would replace the device or pipe itself.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // name the target, not the temporary file
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Load reads a model file. Errors name the path and wrap ErrNotModel, ErrVersion, ErrTruncated
// or ErrCorrupt.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	m, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	if err := m.attachTokenizer(path); err != nil {
		return nil, fmt.Errorf("%w (model %s)", err, path)
	}
	return m, nil
}

// Decode parses a model from its bytes.
func Decode(data []byte) (*Model, error) {
	le := binary.LittleEndian
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrNotModel)
	}
	if len(data) < len(modelMagic)+8 {
		if bytes.HasPrefix([]byte(modelMagic), data) || bytes.HasPrefix(data, []byte(modelMagic)) {
			return nil, ErrTruncated
		}
		return nil, ErrNotModel
	}
	if string(data[:len(modelMagic)]) != modelMagic {
		return nil, ErrNotModel
	}
	if v := le.Uint32(data[8:]); v != FormatVersion {
		return nil, fmt.Errorf("%w %d (this build reads version %d)", ErrVersion, v, FormatVersion)
	}
	body, sum := data[:len(data)-4], le.Uint32(data[len(data)-4:])
	hlen := int(le.Uint32(data[12:]))
	if hlen > maxHeaderLen {
		return nil, fmt.Errorf("%w: header length %d", ErrCorrupt, hlen)
	}
	if 16+hlen+4 > len(body) {
		return nil, ErrTruncated
	}
	if crc32.Checksum(body, castagnoliTab) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch (truncated or modified)", ErrCorrupt)
	}
	m := new(Model)
	if err := json.Unmarshal(body[16:16+hlen], m); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if err := m.Features.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	L := len(m.Labels)
	if L < 1 || L > 64 {
		return nil, fmt.Errorf("%w: %d labels", ErrCorrupt, L)
	}
	p := body[16+hlen:]
	nrows := int(le.Uint32(p))
	p = p[4:]
	rowSize := 4 + 4*L
	if nrows > m.Features.Dim() || len(p) != nrows*rowSize+4*L {
		return nil, fmt.Errorf("%w: %d rows of %d labels do not fit %d bytes", ErrCorrupt, nrows, L, len(p))
	}
	m.W = make([]float32, m.Features.Dim()*L)
	prev := -1
	for range nrows {
		r := int(le.Uint32(p))
		if r <= prev || r >= m.Features.Dim() {
			return nil, fmt.Errorf("%w: row index %d out of order or range", ErrCorrupt, r)
		}
		prev = r
		for l := range L {
			m.W[r*L+l] = math.Float32frombits(le.Uint32(p[4+4*l:]))
		}
		p = p[rowSize:]
	}
	m.B = make([]float32, L)
	for l := range L {
		m.B[l] = math.Float32frombits(le.Uint32(p[4*l:]))
	}
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return m, nil
}
