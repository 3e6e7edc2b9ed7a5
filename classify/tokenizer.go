package classify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakbench/leakbench/classify/subword"
)

// Tokenizer is a Hugging Face tokenizer.json loaded for subword features, with the path and
// checksum a model records.
type Tokenizer struct {
	Path   string
	SHA256 string
	tok    *subword.Tokenizer
}

// LoadTokenizer loads a tokenizer.json for TrainConfig.Tokenizer.
func LoadTokenizer(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("classify: tokenizer: %w", err)
	}
	tok, err := subword.Load(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	return &Tokenizer{Path: path, SHA256: hex.EncodeToString(sum[:]), tok: tok}, nil
}

// attachTokenizer loads the tokenizer a model was trained with: its recorded path, tried as
// given and then next to the model file, and it must match the recorded checksum.
func (m *Model) attachTokenizer(modelPath string) error {
	if m.Features.Tokenizer == "" {
		return nil
	}
	candidates := []string{m.Features.Tokenizer}
	if !filepath.IsAbs(m.Features.Tokenizer) {
		candidates = append(candidates, filepath.Join(filepath.Dir(modelPath), filepath.Base(m.Features.Tokenizer)))
	}
	var lastErr error
	for _, p := range candidates {
		t, err := LoadTokenizer(p)
		if err != nil {
			lastErr = err
			continue
		}
		if t.SHA256 != m.Features.TokenizerSHA256 {
			return fmt.Errorf("classify: tokenizer %s has checksum %s, the model was trained with %s", p, t.SHA256, m.Features.TokenizerSHA256)
		}
		m.tok = t.tok
		return nil
	}
	return fmt.Errorf("classify: the model needs its tokenizer %s: %w", m.Features.Tokenizer, lastErr)
}
