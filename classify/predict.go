package classify

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/leakbench/leakbench/corpora"
)

// Prediction is one line of PredictJSONL's output.
type Prediction struct {
	ID     string             `json:"id"`
	Labels []string           `json:"labels"`
	Scores map[string]float64 `json:"scores"` // probability per label, 4 decimals
}

// PredictJSONL streams the records of the named sources (only those of split, unless "") through
// m and writes one Prediction per line to w. Memory is constant in the input size: records are
// not kept, duplicate ids are not tracked, and the conversation context is a window over the
// current conversation (records of a conversation are expected in order). It returns the number
// of predictions written.
func PredictJSONL(w io.Writer, m *Model, names []string, split string) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	r := corpora.NewReader(names, corpora.Options{AllowDuplicateIDs: true})
	defer r.Close()
	var f Features
	var probs []float32
	var ctx ContextWindow
	p := Prediction{Scores: make(map[string]float64, len(m.Labels))}
	n := 0
	lastConv, lastTurn := "", 0
	for r.Scan() {
		rec := r.Record()
		if rec.Conversation != "" && rec.Conversation == lastConv && rec.Turn != 0 && rec.Turn <= lastTurn {
			return n, fmt.Errorf("classify: %s:%d: field \"turn\": turn %d after turn %d of conversation %q: predict reads context in file order, so a conversation's turns must come in order", rec.File, rec.Line, rec.Turn, lastTurn, rec.Conversation)
		}
		lastConv, lastTurn = rec.Conversation, rec.Turn
		context := ctx.Next(rec.Conversation, rec.Text, m.Features.ContextTurns)
		if split != "" && rec.Split != split {
			continue
		}
		m.Featurize(&f, rec.Text, context)
		probs = m.Probabilities(m.Logits(probs, &f))
		p.ID, p.Labels = rec.ID, m.LabelSet(m.Decide(probs))
		if p.Labels == nil {
			p.Labels = []string{}
		}
		for i, l := range m.Labels {
			p.Scores[l] = math.Round(float64(probs[i])*1e4) / 1e4
		}
		if err := enc.Encode(&p); err != nil {
			return n, err
		}
		n++
	}
	if err := r.Err(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}
