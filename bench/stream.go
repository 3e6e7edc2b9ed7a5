package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
)

// StreamResult reports a large stream through classify.PredictJSONL.
type StreamResult struct {
	Messages      int     `json:"messages"`
	Seconds       float64 `json:"seconds"`
	MsgsPerSec    float64 `json:"msgs_per_sec"`
	PeakHeap      uint64  `json:"peak_heap_bytes"`       // sampled every 10 ms over the whole stream
	PeakHeapTenth uint64  `json:"peak_heap_bytes_tenth"` // the same over the first tenth of the stream
	InputBytes    int64   `json:"input_bytes"`
}

// WriteStream writes n records to path, cycling through recs with fresh ids and conversation
// ids (a conversation stays in order).
func WriteStream(path string, recs []corpora.Record, n int) (int64, error) {
	if len(recs) == 0 && n > 0 {
		return 0, errors.New("bench: no records to stream")
	}
	var size int64
	err := classify.WriteFileAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		enc := json.NewEncoder(bw)
		for i := range n {
			r := recs[i%len(recs)]
			round := i / len(recs)
			r.ID = fmt.Sprintf("%s#%d", r.ID, round)
			if r.Conversation != "" {
				r.Conversation = fmt.Sprintf("%s#%d", r.Conversation, round)
			}
			if err := enc.Encode(&r); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
	if st, e := os.Stat(path); e == nil {
		size = st.Size()
	}
	return size, err
}

// Stream generates an n-message stream in dir and predicts it with m, sampling the live heap.
func Stream(m *classify.Model, recs []corpora.Record, n int, dir string) (StreamResult, error) {
	path := filepath.Join(dir, "stream.jsonl")
	size, err := WriteStream(path, recs, n)
	if err != nil {
		return StreamResult{}, err
	}
	defer os.Remove(path)
	res := StreamResult{Messages: n, InputBytes: size}
	tenth, err := peakHeapDuring(func() error {
		small := filepath.Join(dir, "stream-tenth.jsonl")
		if _, err := WriteStream(small, recs, n/10); err != nil {
			return err
		}
		defer os.Remove(small)
		_, err := classify.PredictJSONL(io.Discard, m, []string{small}, "")
		return err
	})
	if err != nil {
		return res, err
	}
	res.PeakHeapTenth = tenth
	t0 := time.Now()
	var got int
	res.PeakHeap, err = peakHeapDuring(func() error {
		var err error
		got, err = classify.PredictJSONL(io.Discard, m, []string{path}, "")
		return err
	})
	res.Seconds = time.Since(t0).Seconds()
	if err == nil && got != n {
		err = fmt.Errorf("bench: predicted %d of %d messages", got, n)
	}
	res.MsgsPerSec = float64(n) / res.Seconds
	return res, err
}

func peakHeapDuring(work func() error) (uint64, error) {
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				mu.Lock()
				peak = max(peak, ms.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	err := work()
	close(done)
	mu.Lock()
	defer mu.Unlock()
	return peak, err
}
