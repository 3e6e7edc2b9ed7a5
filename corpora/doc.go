// Package corpora reads, validates and splits the multilingual conversation corpora that
// leakbench trains and evaluates on.
//
// A corpus is JSON Lines in the project's record schema (see Record and ../shared/corpora/README.md):
// one message per line with an id, a text, a language and optional labels and metadata. The pieces
// fit together as follows:
//
//  1. Reader streams records from one or more files (or the embedded built-in corpus, named
//     "builtin") and validates each one; bad lines are RecordErrors naming the file, line and field.
//  2. AssignSplits gives every record without a split a deterministic train/dev/test split that
//     keeps each group, conversation and user on one side; CheckSplits verifies that property.
//  3. Stats accumulates counts per language and split; two Stats merge into one.
//
// Labels: Sensitive and Interests are the label sets of ../shared/LABELING.md. A nil label list
// means unlabeled (nobody checked); an empty non-nil list means checked and none. Metrics treat the
// two differently, so never fill one with the other.
package corpora
