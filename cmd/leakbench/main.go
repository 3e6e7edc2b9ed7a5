// Command leakbench trains and evaluates ad-interest and sensitivity classifiers for French and
// English assistant messages and measures how much sensitive content leaks into ad interests.
//
// Usage:
//
//	leakbench <command> [flags]
//
// Run "leakbench help" for the list of commands. Each command is a thin layer over the packages
// corpora, classify, eval and bench of github.com/leakbench/leakbench.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/leakbench/leakbench/corpora"
)

func main() {
	err := run(os.Stdout, os.Stderr, os.Args[1:])
	os.Exit(exitCode(os.Stderr, err))
}

// usageError is a wrong invocation: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// exitError carries an explicit exit code (a failed gate exits 1 after printing its table).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "leakbench:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

type command struct {
	summary string
	run     func(stdout, stderr io.Writer, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"corpus":  {"corpus stats|validate: counts and validation of corpora", runCorpus},
		"train":   {"train a model (nb or logreg) for label, interests or sensitive", runTrain},
		"predict": {"predict labels and scores for every record (JSONL out)", runPredict},
		"run":     {"the whole job: train both models, evaluate, measure leakage, write reports", runRun},
		"eval":    {"evaluate a model: metrics with confidence intervals (json, md, html)", runEval},
		"leakage": {"measure how much sensitive content reaches ad interests under a policy", runLeakage},
		"bench":   {"latency percentiles, throughput, allocations and memory of the hot path", runBench},
		"compare": {"compare two models on the same items: paired bootstrap and McNemar", runCompare},
		"gate":    {"check reports against thresholds: exit 1 on any FAIL, 2 on unusable input", runGate},
	}
}

func run(stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		return printHelp(stdout)
	}
	c, ok := commands[args[0]]
	if !ok {
		return &usageError{fmt.Sprintf("unknown command %q (run \"leakbench help\")", args[0])}
	}
	return c.run(stdout, stderr, args[1:])
}

func printHelp(w io.Writer) error {
	fmt.Fprintln(w, `leakbench measures whether sensitive assistant conversations leak into ad targeting.

Usage: leakbench <command> [flags]   (leakbench <command> -h for its flags)

Commands:`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nData: --data takes comma-separated JSONL files; the name \"builtin\" is the embedded corpus.\nDocs: https://pkg.go.dev/github.com/leakbench/leakbench")
	return nil
}

// newFlags returns a FlagSet whose errors come back as usage errors and whose help goes to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("leakbench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args and turns a bad flag into a usageError.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// atLeast checks a numeric flag's range before any work.
func atLeast(flagName string, v, lo int) error {
	if v < lo {
		return &usageError{fmt.Sprintf("--%s must be at least %d, got %d", flagName, lo, v)}
	}
	return nil
}

// within checks a numeric flag's range before any work.
func within(flagName string, v, lo, hi int) error {
	if v < lo || v > hi {
		return &usageError{fmt.Sprintf("--%s must be in [%d, %d], got %d", flagName, lo, hi, v)}
	}
	return nil
}

func dataNames(s string) ([]string, error) {
	out := corpora.SplitNames(s)
	for i, n := range out {
		for _, m := range out[:i] {
			if m == n {
				return nil, &usageError{fmt.Sprintf("--data names %q twice", n)}
			}
		}
	}
	if len(out) == 0 {
		return nil, &usageError{"--data names no file"}
	}
	return out, nil
}
