package subword_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/leakbench/leakbench/classify/subword"
)

// Example cuts French and English messages with the test fixture, a
// vocabulary that BuildWordPiece made from a small bilingual sample.
func Example() {
	tk, err := subword.Load("testdata/tokenizer.json")
	if err != nil {
		log.Fatal(err)
	}
	var pieces []string
	for _, msg := range []string{"l'hôpital", "I can't breathe well", "İstanbul"} {
		pieces, err = tk.Tokens(pieces[:0], msg)
		if err != nil {
			fmt.Printf("%q: %v\n", msg, err)
			continue
		}
		fmt.Printf("%q: %q\n", msg, pieces)
	}
	// Output:
	// "l'hôpital": ["l" "'" "hôpital"]
	// "I can't breathe well": ["i" "can" "'" "t" "breathe" "w" "##e" "##ll"]
	// "İstanbul": subword: encode failed: library panic: runtime error: slice bounds out of range [:9] with capacity 8
}

// ExampleBuildWordPiece writes a vocabulary built from two messages and
// reads it back.
func ExampleBuildWordPiece() {
	wp := subword.BuildWordPiece([]string{"Je respire mal.", "Il respirait bien."}, 40)
	fmt.Println(len(wp.Vocab), wp.Vocab[31:]) // after the specials and 2×13 characters

	dir, err := os.MkdirTemp("", "subword")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tokenizer.json")
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := wp.WriteJSON(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	tk, err := subword.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	pieces, err := tk.Tokens(nil, "Elle respire.")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tk.VocabSize(), pieces)
	// Output:
	// 37 [bien il je mal respirait respire]
	// 37 [e ##l ##l ##e respire .]
}
