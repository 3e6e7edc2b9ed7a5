// Package bench measures leakbench's per-message hot path and compares it with the peers users
// would pick instead.
//
//   - The Go benchmarks of this package (bench_test.go) run featurize, the sensitivity decision,
//     the interest decision and the full decision, serial and with RunParallel, over the built-in
//     corpus messages, in the standard `go test -bench` format that benchstat compares.
//   - Latency measures one filter in process: per-message latency percentiles, throughput on one
//     core and on all cores, allocations per message, against a reference workload timed in the
//     same process so that gates can use ratios on noisy machines.
//   - Stream pushes a large generated JSONL stream through classify.PredictJSONL and samples the
//     heap, to show constant memory.
//   - peers/ trains and times fastText and scikit-learn on the same splits (make peers).
package bench
