package corpora

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// BuiltinName is the data name of the embedded built-in corpus.
const BuiltinName = "builtin"

// Options configure a Reader. The zero value stops at the first bad line.
type Options struct {
	// Lenient skips bad lines instead of stopping; Reader.Skipped reports them.
	Lenient bool
	// AllowDuplicateIDs turns off the duplicate-id check, and with it the only memory that grows
	// with the input: for streaming predictions over unbounded data.
	AllowDuplicateIDs bool
}

// Reader streams validated records from a list of sources, in order.
//
// Memory is constant in the size of the files except for the set of ids seen, which it keeps to
// report duplicates across all sources. A Reader is not safe for concurrent use.
//
// Use it like bufio.Scanner:
//
//	r := corpora.NewReader([]string{"builtin"}, corpora.Options{})
//	defer r.Close()
//	for r.Scan() {
//		rec := r.Record()
//		...
//	}
//	if err := r.Err(); err != nil { ... }
type Reader struct {
	srcs    []source
	opts    Options
	next    int
	name    string
	rc      io.ReadCloser
	br      *bufio.Reader
	line    int
	rec     Record
	err     error
	seen    map[string]string // id -> "file:line"
	skipped []error
	nskip   int
}

// maxKeptSkips bounds the errors a lenient Reader keeps; the count goes on.
const maxKeptSkips = 100

// NewReader returns a Reader over the named sources: file paths, or BuiltinName for the embedded
// corpus. Sources open lazily, so a missing file is reported by Err after Scan returns false.
func NewReader(names []string, opts Options) *Reader {
	r := &Reader{opts: opts, seen: make(map[string]string)}
	for _, n := range names {
		if n == BuiltinName {
			for _, f := range builtinFiles() {
				r.srcs = append(r.srcs, source{name: f, embedded: true})
			}
			continue
		}
		r.srcs = append(r.srcs, source{name: n})
	}
	return r
}

// source is one file to read: a path, or a file of the embedded corpus.
type source struct {
	name     string
	embedded bool
}

// Scan advances to the next valid record. It returns false at the end of all sources or at the
// first error (in lenient mode, at the first error that is not about one line).
func (r *Reader) Scan() bool {
	if r.err != nil {
		return false
	}
	for {
		if r.br == nil {
			if r.next == len(r.srcs) {
				return false
			}
			if err := r.open(r.srcs[r.next]); err != nil {
				r.err = err
				return false
			}
			r.next++
		}
		data, err := r.readLine()
		if err == io.EOF {
			r.closeCurrent()
			continue
		}
		if err != nil && !errors.Is(err, ErrLineTooLong) {
			r.err = fmt.Errorf("corpora: %s:%d: %w", r.name, r.line, err)
			return false
		}
		if err == nil && r.line == 1 {
			data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark, as some editors write
		}
		if err == nil && len(bytes.TrimSpace(data)) == 0 {
			continue // blank lines are allowed between records
		}
		var rec Record
		if err != nil {
			err = &RecordError{File: r.name, Line: r.line, Err: err}
		} else {
			rec, err = ParseRecord(data, r.name, r.line)
		}
		if err == nil && !r.opts.AllowDuplicateIDs {
			if where, dup := r.seen[rec.ID]; dup {
				err = &RecordError{File: r.name, Line: r.line, Field: "id",
					Err: fmt.Errorf("%w %q (first at %s)", ErrDuplicateID, rec.ID, where)}
			} else {
				r.seen[rec.ID] = fmt.Sprintf("%s:%d", r.name, r.line)
			}
		}
		if err != nil {
			if !r.opts.Lenient {
				r.err = err
				return false
			}
			r.nskip++
			if len(r.skipped) < maxKeptSkips {
				r.skipped = append(r.skipped, err)
			}
			continue
		}
		r.rec = rec
		return true
	}
}

// Record returns the record read by the last successful Scan. The caller owns it.
func (r *Reader) Record() Record { return r.rec }

// Err returns the first error that stopped the Reader, or nil at a clean end.
func (r *Reader) Err() error { return r.err }

// Skipped returns how many bad lines a lenient Reader skipped and the first of their errors.
func (r *Reader) Skipped() (int, []error) { return r.nskip, r.skipped }

// Close releases the open source, if any.
func (r *Reader) Close() error {
	r.closeCurrent()
	return nil
}

func (r *Reader) open(src source) error {
	r.name, r.line = src.name, 0
	if src.embedded {
		f, err := builtinFS.Open(src.name)
		if err != nil {
			return fmt.Errorf("corpora: %w", err)
		}
		r.rc = f
	} else {
		f, err := os.Open(src.name)
		if err != nil {
			return fmt.Errorf("corpora: %w", err)
		}
		r.rc = f
	}
	r.br = bufio.NewReaderSize(r.rc, 64<<10)
	return nil
}

func (r *Reader) closeCurrent() {
	if r.rc != nil {
		r.rc.Close()
	}
	r.rc, r.br = nil, nil
}

// readLine returns the next line without its terminator. A line over MaxLineBytes is consumed
// whole and reported as ErrLineTooLong, so reading can go on after it.
func (r *Reader) readLine() ([]byte, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLineBytes+2 { // +2 allows "\r\n"
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(buf) == 0 && !tooLong {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		r.line++
		if tooLong {
			return nil, ErrLineTooLong
		}
		buf = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		if len(buf) > MaxLineBytes {
			return nil, ErrLineTooLong
		}
		return buf, nil
	}
}

// Load reads every record of the named sources into memory. In lenient mode it also returns the
// number of skipped lines and the first of their errors.
func Load(names []string, opts Options) ([]Record, int, []error, error) {
	r := NewReader(names, opts)
	defer r.Close()
	var recs []Record
	for r.Scan() {
		recs = append(recs, r.Record())
	}
	n, errs := r.Skipped()
	return recs, n, errs, r.Err()
}

// SplitNames splits a comma-separated list of data names, dropping empty entries.
func SplitNames(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
