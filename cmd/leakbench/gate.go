package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/leakbench/leakbench/corpora"
	"github.com/leakbench/leakbench/eval/gate"
)

func runGate(stdout, stderr io.Writer, args []string) error {
	fs := newFlags("gate", stderr)
	thresholds := fs.String("thresholds", ".ci/thresholds.json", "thresholds `file`")
	reports := fs.String("report", "", "comma-separated evaluation `reports`, each name=path (a bare path is named \"report\")")
	leakage := fs.String("leakage", "", "leakage report `file` (named \"leakage\")")
	benchPath := fs.String("bench", "", "bench JSON `file` (named \"bench\")")
	if err := parse(fs, args); err != nil {
		return err
	}
	unusable := func(err error) error { return &exitError{2, err} }
	th, err := gate.LoadThresholds(*thresholds)
	if err != nil {
		return unusable(err)
	}
	paths := map[string]string{}
	for _, r := range corpora.SplitNames(*reports) {
		name, path, ok := strings.Cut(r, "=")
		if !ok {
			name, path = "report", r
		}
		if _, dup := paths[name]; dup {
			return &usageError{fmt.Sprintf("gate: report name %q given twice", name)}
		}
		paths[name] = path
	}
	if *leakage != "" {
		paths["leakage"] = *leakage
	}
	if *benchPath != "" {
		paths["bench"] = *benchPath
	}
	if len(paths) == 0 {
		return &usageError{"gate: give at least one of --report, --leakage, --bench"}
	}
	docs := map[string]any{}
	for name, p := range paths {
		if docs[name], err = gate.LoadDoc(p); err != nil {
			return unusable(err)
		}
	}
	out, err := gate.Run(th, docs)
	if err != nil {
		return unusable(err)
	}
	if err := gate.WriteTable(stdout, out); err != nil {
		return err
	}
	if n := gate.Failed(out); n > 0 {
		return &exitError{1, fmt.Errorf("gate: %d of %d checks failed", n, len(out))}
	}
	return nil
}
