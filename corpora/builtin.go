package corpora

import (
	"embed"
	"io/fs"
)

// builtinFS holds the built-in bilingual corpus: realistic messages to an AI assistant written
// for this project and labeled by ../shared/LABELING.md. See builtin/README.md.
//
//go:embed builtin/*.jsonl
var builtinFS embed.FS

// builtinFiles returns the embedded corpus files in lexical order.
func builtinFiles() []string {
	names, err := fs.Glob(builtinFS, "builtin/*.jsonl")
	if err != nil {
		panic("corpora: " + err.Error()) // the pattern is constant: cannot fail
	}
	return names
}
