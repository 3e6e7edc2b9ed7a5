// Package eval scores leakbench's classifiers and measures leakage.
//
// The pieces:
//
//  1. Accumulator collects per-item outcomes (gold and predicted label sets, probabilities, slice
//     keys) of one model on one data set. Accumulators of shards Merge into the accumulator of the
//     union, so evaluation can run sharded.
//  2. Accumulator.Result computes the metrics: accuracy, per-class precision/recall/F1/support,
//     macro, micro and weighted F1, PR-AUC and ROC-AUC per label, calibration (ECE and a
//     reliability table), the confusion matrix, 95% bootstrap confidence intervals for every
//     headline number (seeded), and per-slice breakdowns (language, surface, region, any --by
//     field).
//  3. Compare pairs two models on the same items: paired bootstrap and McNemar's test.
//  4. CrossValidate runs grouped k-fold cross-validation.
//  5. Leakage (leakage.go) measures how much sensitive content still reaches ad interests under a
//     policy; report.go renders results as JSON (stable keys), Markdown and self-contained HTML.
//
// The metric accumulators themselves live in eval/metrics.
package eval
