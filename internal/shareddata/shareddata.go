// Package shareddata locates the data every developer and CI share (../shared beside the
// repository: corpora, taxonomies, labeling guide), for tests and tools. Nothing from there is
// copied into the repository.
package shareddata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// EnvVar overrides the location of the shared folder.
const EnvVar = "LEAKBENCH_SHARED"

// Dir returns the shared folder: $LEAKBENCH_SHARED, else ../shared next to the module root found
// by walking up from the working directory.
func Dir() (string, error) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			s := filepath.Join(filepath.Dir(d), "shared")
			if _, err := os.Stat(filepath.Join(s, "corpora")); err != nil {
				return "", errors.New("shareddata: no shared folder at " + s + " (set " + EnvVar + ")")
			}
			return s, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("shareddata: no go.mod above " + wd)
		}
	}
}

// Corpus returns the path of a file of shared/corpora, skipping the test with a clear message
// when the shared folder or the file is absent (a user's machine). In CI it is present.
func Corpus(t testing.TB, name string) string {
	t.Helper()
	d, err := Dir()
	if err != nil {
		t.Skipf("skipping: shared corpora absent (%v); CI runs this test", err)
	}
	p := filepath.Join(d, "corpora", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s absent; CI runs this test", p)
	}
	return p
}
