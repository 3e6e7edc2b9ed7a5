package bench

import (
	"crypto/sha256"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/leakbench/leakbench/classify"
	"github.com/leakbench/leakbench/corpora"
)

// Messages turns records into filter messages, with the conversation context of each.
func Messages(recs []corpora.Record) []classify.Message {
	ctx := classify.Contexts(recs, 8)
	out := make([]classify.Message, len(recs))
	for i, r := range recs {
		out[i] = classify.Message{Text: r.Text, Context: ctx[r.ID], Lang: r.Lang, Region: r.Region, Time: r.Time, Surface: r.Surface}
	}
	return out
}

// Config configures Latency. Zero fields take defaults.
type Config struct {
	Rounds int // passes over the messages for the percentiles (below 1: the default, 20)
}

// LatencyResult is the output of Latency; JSON keys are stable (gates read them).
type LatencyResult struct {
	Messages int     `json:"messages"`
	Samples  int     `json:"samples"`
	P50ns    float64 `json:"p50_ns"`
	P90ns    float64 `json:"p90_ns"`
	P99ns    float64 `json:"p99_ns"`
	P999ns   float64 `json:"p999_ns"`
	MeanNs   float64 `json:"mean_ns"`
	// The same over the messages that pass the region and date gates and so reach the models
	// (the percentiles above include messages the policy stops before any model runs).
	InScopeMessages int     `json:"in_scope_messages"`
	InScopeP50ns    float64 `json:"in_scope_p50_ns"`
	InScopeP90ns    float64 `json:"in_scope_p90_ns"`
	InScopeP99ns    float64 `json:"in_scope_p99_ns"`
	ReferenceP50ns  float64 `json:"reference_p50_ns"` // SHA-256 of the same message, timed alike
	ReferenceP99ns  float64 `json:"reference_p99_ns"`
	P50Ratio        float64 `json:"p50_ratio"` // p50 / reference p50: comparable across machines
	P99Ratio        float64 `json:"p99_ratio"`
	MsgsPerSecOne   float64 `json:"msgs_per_sec_one_core"`
	MsgsPerSecAll   float64 `json:"msgs_per_sec_all_cores"`
	Cores           int     `json:"cores"`
	AllocsPerMsg    float64 `json:"allocs_per_msg"`
	BytesPerMsg     float64 `json:"bytes_per_msg"`
	ModelLoadMs     float64 `json:"model_load_ms,omitempty"`
	ModelBytes      int64   `json:"model_bytes,omitempty"`
	PeakRSSBytes    int64   `json:"peak_rss_bytes"`
	Note            string  `json:"note"`
}

// Latency times fl.Decide on every message, cfg.Rounds times, one call per sample. Each sample
// includes the cost of reading the clock (tens of ns); the reference workload carries the same
// cost, so ratios cancel it.
func Latency(fl *classify.Filter, msgs []classify.Message, cfg Config) LatencyResult {
	if cfg.Rounds <= 0 {
		cfg.Rounds = 20
	}
	res := LatencyResult{Messages: len(msgs), Cores: runtime.GOMAXPROCS(0),
		Note: "per-call wall time including one clock read; ratios divide by a SHA-256 of the same text timed alike"}
	if len(msgs) == 0 {
		return res
	}
	var st classify.State
	var sink uint64
	for i := range msgs { // warm buffers and caches
		sink += uint64(fl.Decide(&st, &msgs[i]).Interests)
	}
	samples := make([]float64, 0, cfg.Rounds*len(msgs))
	ref := make([]float64, 0, cfg.Rounds*len(msgs))
	var inScope []float64
	for range cfg.Rounds {
		for i := range msgs {
			t0 := time.Now()
			d := fl.Decide(&st, &msgs[i])
			dt := float64(time.Since(t0))
			samples = append(samples, dt)
			if d.Reason != classify.RegionExcluded && d.Reason != classify.BeforeStart {
				inScope = append(inScope, dt)
			}
			sink += d.Interests
			t0 = time.Now()
			h := sha256.Sum256([]byte(msgs[i].Text))
			ref = append(ref, float64(time.Since(t0)))
			sink += uint64(h[0])
		}
	}
	res.Samples = len(samples)
	var sum float64
	for _, s := range samples {
		sum += s
	}
	res.MeanNs = sum / float64(len(samples))
	slices.Sort(samples)
	slices.Sort(ref)
	res.P50ns, res.P90ns, res.P99ns, res.P999ns = quantile(samples, 0.5), quantile(samples, 0.9), quantile(samples, 0.99), quantile(samples, 0.999)
	res.ReferenceP50ns, res.ReferenceP99ns = quantile(ref, 0.5), quantile(ref, 0.99)
	slices.Sort(inScope)
	res.InScopeMessages = len(inScope) / cfg.Rounds
	res.InScopeP50ns, res.InScopeP90ns, res.InScopeP99ns = quantile(inScope, 0.5), quantile(inScope, 0.9), quantile(inScope, 0.99)
	res.P50Ratio, res.P99Ratio = res.P50ns/res.ReferenceP50ns, res.P99ns/res.ReferenceP99ns

	// Throughput on one core, then on all: each goroutine has its own State.
	n := 5 * len(msgs)
	t0 := time.Now()
	for k := range n {
		sink += fl.Decide(&st, &msgs[k%len(msgs)]).Interests
	}
	res.MsgsPerSecOne = float64(n) / time.Since(t0).Seconds()
	var wg sync.WaitGroup
	t0 = time.Now()
	for w := range res.Cores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st classify.State
			for k := w; k < n; k += res.Cores {
				fl.Decide(&st, &msgs[k%len(msgs)])
			}
		}()
	}
	wg.Wait()
	res.MsgsPerSecAll = float64(n) / time.Since(t0).Seconds()

	// Allocations: exact counts from the runtime over warm passes, measured as
	// testing.AllocsPerRun does (one P, so no other goroutine allocates meanwhile); the minimum of
	// three passes drops one-off runtime allocations that are not the hot path's.
	prev := runtime.GOMAXPROCS(1)
	res.AllocsPerMsg, res.BytesPerMsg = math.Inf(1), math.Inf(1)
	for range 3 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		for i := range msgs {
			sink += fl.Decide(&st, &msgs[i]).Interests
		}
		runtime.ReadMemStats(&b)
		res.AllocsPerMsg = min(res.AllocsPerMsg, float64(b.Mallocs-a.Mallocs)/float64(len(msgs)))
		res.BytesPerMsg = min(res.BytesPerMsg, float64(b.TotalAlloc-a.TotalAlloc)/float64(len(msgs)))
	}
	runtime.GOMAXPROCS(prev)
	res.PeakRSSBytes = PeakRSS()
	if sink == 42 {
		res.Note += "." // keep sink alive
	}
	return res
}

func quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// PeakRSS returns the process's peak resident set size (VmHWM on Linux), or the memory the Go
// runtime obtained from the OS where /proc is unavailable.
func PeakRSS() int64 {
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.Sys)
}
