// Package classify holds the text features, the trainable models and the per-message decision
// that leakbench measures.
//
// The pieces, in the order a message meets them:
//
//  1. Normalize folds French and English text to one form (case, accents, apostrophes, elision,
//     digits, URLs, emoji).
//  2. FeatureConfig.Featurize hashes word n-grams and per-word character n-grams into a fixed
//     space with signed hashing, into caller-owned buffers (no allocation). The optional
//     subpackage subword adds Hugging Face tokenizer pieces for batch work.
//  3. Model is a linear classifier over those features: multinomial naive Bayes or logistic
//     regression (softmax for one label, one sigmoid per label for label sets), trained by Train
//     (L-BFGS from gonum/optimize) with per-label thresholds chosen on a dev split, and saved in a
//     versioned, checksummed binary file (Save, Load).
//  4. Filter is the production decision: policy gates (excluded regions, start date), the
//     sensitivity model (any excluded category at its threshold blocks), then the interest model.
//     It is safe for concurrent use; each goroutine owns a State.
//
// Models are immutable after training or loading. Training is deterministic: the same data and
// configuration give the same model, byte for byte.
package classify
