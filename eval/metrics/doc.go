// Package metrics holds mergeable accumulators and confidence intervals for
// evaluating classifiers.
//
// # Overview
//
// Each accumulator collects raw counts (or raw pairs) and computes metrics on
// demand:
//
//   - [Confusion] for single-label predictions (accuracy, per-class and
//     macro/weighted F1),
//   - [MultiLabel] for per-label binary decisions (micro and macro F1),
//   - [Ranking] for scores of one binary label (ROC-AUC, average precision,
//     operating thresholds, the full curve),
//   - [Calibration] for predicted probability against observed frequency
//     (expected calibration error, reliability table).
//
// Every accumulator has a Merge method, so shards of an evaluation can be
// scored in parallel and combined: merging the accumulators of two shards
// gives the same metrics as accumulating the union of their items. Counts
// merge exactly; Calibration's float sums merge up to rounding.
//
// Accumulators are not safe for concurrent use while they are being written.
// Metric methods only read the receiver, so they may run concurrently with
// each other.
//
// The interval functions, [Bootstrap], [Wilson], [PairedBootstrap] and
// [McNemar], work on per-item results and do not keep or mutate their inputs.
//
// # Undefined metrics
//
// A metric whose denominator is zero is NaN, never 0: precision of a class
// that was never predicted, recall of a class with no gold items, ROC-AUC
// when one class is absent, and any metric of an empty accumulator. Reports
// must print NaN as something visibly different from a number.
//
// # Formulas
//
// With TP, FP, FN the true positives, false positives and false negatives of
// one class (or label):
//
//	precision = TP / (TP + FP)
//	recall    = TP / (TP + FN)
//	F1        = 2TP / (2TP + FP + FN)
//
// F1 is written in the count form so that it is defined (and 0) when the
// class was predicted or present but never hit, as in scikit-learn's
// sklearn.metrics.f1_score. Macro F1 is the unweighted mean of F1 over the
// classes that appear in the gold labels or the predictions (scikit-learn's
// choice when labels=None); classes with neither have a NaN F1 and are
// skipped. Weighted F1 weights each class's F1 by its support. Micro F1 pools
// TP, FP and FN over all labels before applying the F1 formula.
//
// ROC-AUC is the Mann–Whitney U statistic divided by P·N, with tied scores
// given their average rank, which equals the trapezoidal area under the ROC
// curve:
//
//	AUC = (Σ rank(positive) − P(P+1)/2) / (P·N)
//
// Average precision follows sklearn.metrics.average_precision_score: with
// thresholds at the distinct scores in descending order,
//
//	AP = Σ_k (R_k − R_{k−1}) · P_k,   R_0 = 0,
//
// a step-wise sum without interpolation.
//
// Expected calibration error over B equal-width bins (Naeini et al. 2015;
// Guo et al. 2017):
//
//	ECE = Σ_b (n_b / N) · |acc_b − conf_b| = Σ_b |hits_b − Σconf_b| / N
//
// # Intervals and tests
//
// [Bootstrap] gives the percentile interval of a statistic over resamples of
// the items (Efron & Tibshirani 1993, ch. 13), with quantiles by linear
// interpolation between order statistics (Hyndman & Fan type 7, numpy's
// default). [PairedBootstrap] resamples per-item score differences; its
// p-value uses the bootstrap distribution shifted to the null (Efron &
// Tibshirani 1993, §16.4) with the add-one correction of Davison & Hinkley
// (1997, eq. 4.11). [Wilson] is the Wilson (1927) score interval for a
// proportion. [McNemar] is McNemar's (1947) test for paired correct/wrong
// outcomes, exact binomial for few discordant pairs and chi-square with
// continuity correction otherwise, matching statsmodels'
// statsmodels.stats.contingency_tables.mcnemar.
//
// # Determinism
//
// Randomness is passed in as a uint64 seed, which seeds a math/rand/v2 PCG
// source; the same seed gives the same interval on every run and platform.
//
// # Sources
//
//   - scikit-learn, sklearn.metrics: precision_recall_fscore_support,
//     f1_score, roc_auc_score, average_precision_score.
//   - H. B. Mann and D. R. Whitney (1947), On a test of whether one of two
//     random variables is stochastically larger than the other.
//   - M. P. Naeini, G. Cooper and M. Hauskrecht (2015), Obtaining well
//     calibrated probabilities using Bayesian binning.
//   - C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger (2017), On calibration
//     of modern neural networks.
//   - B. Efron and R. J. Tibshirani (1993), An Introduction to the Bootstrap.
//   - A. C. Davison and D. V. Hinkley (1997), Bootstrap Methods and their
//     Application.
//   - E. B. Wilson (1927), Probable inference, the law of succession, and
//     statistical inference.
//   - Q. McNemar (1947), Note on the sampling error of the difference between
//     correlated proportions or percentages.
//   - R. J. Hyndman and Y. Fan (1996), Sample quantiles in statistical
//     packages.
package metrics
