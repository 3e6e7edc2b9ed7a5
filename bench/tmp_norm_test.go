package bench

import (
	"testing"

	"github.com/leakbench/leakbench/classify"
)

func BenchmarkTmpNormalize(b *testing.B) {
	msgs := messages()
	var buf []byte
	i := 0
	for b.Loop() {
		buf = classify.Normalize(buf[:0], msgs[i%len(msgs)].Text)
		i++
	}
}

func BenchmarkTmpFeaturizeNoCtx(b *testing.B) {
	msgs := messages()
	var f classify.Features
	i := 0
	for b.Loop() {
		classify.DefaultFeatures.Featurize(&f, msgs[i%len(msgs)].Text)
		i++
	}
}
