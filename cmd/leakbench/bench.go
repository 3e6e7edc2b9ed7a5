package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/leakbench/leakbench/bench"
	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval"
)

// benchReport is the JSON of `leakbench bench`.
type benchReport struct {
	Policy  string               `json:"policy"`
	Data    []string             `json:"data"`
	Latency bench.LatencyResult  `json:"latency"`
	Stream  *bench.StreamResult  `json:"stream,omitempty"`
	Models  map[string]modelSize `json:"models"`
}

type modelSize struct {
	Bytes  int64   `json:"bytes"`
	LoadMs float64 `json:"load_ms"`
}

func runBench(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("bench", stderr)
	sensPath := fs.String("sensitive", "", "sensitivity model `file` (required)")
	intPath := fs.String("interests", "", "interest model `file` (required)")
	data := fs.String("data", corpora.BuiltinName, "comma-separated message `files`")
	policy := fs.String("policy", "meta-2025-12", "policy `name` or JSON file")
	rounds := fs.Int("rounds", 20, "timed passes over the messages (`n`)")
	stream := fs.Int("stream", 0, "also stream `n` generated messages through predict (e.g. 1000000)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *sensPath == "" || *intPath == "" {
		return &usageError{"bench: --sensitive and --interests are required"}
	}
	if err := within("rounds", *rounds, 1, 10_000); err != nil {
		return err
	}
	if err := within("stream", *stream, 0, 1_000_000_000); err != nil {
		return err
	}
	rep := benchReport{Policy: *policy, Models: map[string]modelSize{}}
	var models [2]*classify.Model
	for i, p := range []string{*sensPath, *intPath} {
		t0 := time.Now()
		m, err := classify.Load(p)
		if err != nil {
			return err
		}
		ms := float64(time.Since(t0).Microseconds()) / 1000
		st, _ := os.Stat(p)
		rep.Models[m.Target] = modelSize{Bytes: st.Size(), LoadMs: ms}
		models[i] = m
	}
	pol, err := classify.LoadPolicy(*policy)
	if err != nil {
		return err
	}
	fl, err := classify.NewFilter(pol, models[0], models[1])
	if err != nil {
		return err
	}
	names, err := dataNames(*data)
	if err != nil {
		return err
	}
	rep.Data = names
	recs, _, _, err := corpora.Load(names, corpora.Options{})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return fmt.Errorf("bench: no messages in %s", strings.Join(names, ", "))
	}
	rep.Latency = bench.Latency(fl, bench.Messages(recs), bench.Config{Rounds: *rounds})
	for _, m := range rep.Models {
		rep.Latency.ModelBytes += m.Bytes
		rep.Latency.ModelLoadMs += m.LoadMs
	}
	if *stream > 0 {
		dir, err := os.MkdirTemp("", "leakbench-stream")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		s, err := bench.Stream(models[0], recs, *stream, dir)
		if err != nil {
			return err
		}
		rep.Stream = &s
	}
	if *asJSON {
		return eval.WriteJSON(stdout, rep)
	}
	l := rep.Latency
	fmt.Fprintf(stdout, "%d messages x %d rounds, policy %s\n", l.Messages, *rounds, rep.Policy)
	fmt.Fprintf(stdout, "latency ns/msg: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  mean %.0f  (reference p50 %.0f: ratio %.2f)\n",
		l.P50ns, l.P90ns, l.P99ns, l.P999ns, l.MeanNs, l.ReferenceP50ns, l.P50Ratio)
	fmt.Fprintf(stdout, "in scope (%d messages reach the models): p50 %.0f  p90 %.0f  p99 %.0f\n", l.InScopeMessages, l.InScopeP50ns, l.InScopeP90ns, l.InScopeP99ns)
	fmt.Fprintf(stdout, "throughput msgs/s: one core %.0f, %d cores %.0f\n", l.MsgsPerSecOne, l.Cores, l.MsgsPerSecAll)
	fmt.Fprintf(stdout, "allocs/msg %.2f, bytes/msg %.1f, models %d bytes loaded in %.1f ms, peak RSS %d MiB\n",
		l.AllocsPerMsg, l.BytesPerMsg, l.ModelBytes, l.ModelLoadMs, l.PeakRSSBytes>>20)
	if s := rep.Stream; s != nil {
		fmt.Fprintf(stdout, "stream: %d messages in %.1fs = %.0f msgs/s; peak heap %d KiB (first tenth: %d KiB)\n",
			s.Messages, s.Seconds, s.MsgsPerSec, s.PeakHeap>>10, s.PeakHeapTenth>>10)
	}
	return nil
}
