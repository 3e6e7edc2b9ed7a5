package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/leakbench/leakbench/corpora"
)

func runCorpus(stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		return &usageError{"corpus: want a subcommand: stats or validate"}
	}
	fs := newFlags("corpus "+args[0], stderr)
	data := fs.String("data", corpora.BuiltinName, "comma-separated `files` (JSONL; \"builtin\" is the embedded corpus)")
	lenient := fs.Bool("lenient", false, "report and skip bad lines instead of stopping at the first")
	var asJSON *bool
	switch args[0] {
	case "stats":
		asJSON = fs.Bool("json", false, "print JSON instead of tables")
	case "validate":
	default:
		return &usageError{fmt.Sprintf("corpus: unknown subcommand %q (want stats or validate)", args[0])}
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	names, err := dataNames(*data)
	if err != nil {
		return err
	}
	r := corpora.NewReader(names, corpora.Options{Lenient: *lenient})
	defer r.Close()
	var st corpora.Stats
	var recs []corpora.Record
	for r.Scan() {
		rec := r.Record()
		st.Add(&rec)
		if args[0] == "validate" {
			recs = append(recs, rec)
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	nskip, skipped := r.Skipped()
	for _, e := range skipped {
		fmt.Fprintln(stderr, e)
	}
	if nskip > len(skipped) {
		fmt.Fprintf(stderr, "... and %d more\n", nskip-len(skipped))
	}
	if args[0] == "validate" {
		if err := corpora.CheckSplits(recs); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d records valid, %d skipped\n", len(recs), nskip)
		if nskip > 0 {
			return &exitError{1, fmt.Errorf("%d bad lines", nskip)}
		}
		return nil
	}
	if nskip > 0 {
		fmt.Fprintf(stderr, "skipped %d bad lines\n", nskip)
	}
	sum := st.Summary()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	return sum.WriteText(stdout)
}
