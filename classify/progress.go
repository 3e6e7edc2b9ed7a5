package classify

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress draws a progress bar for long work, or nothing.
type Progress struct{ bar *progressbar.ProgressBar }

// NewProgress returns a progress bar of max steps drawn on w, hidden when w is nil or not a
// terminal (CI logs stay clean).
func NewProgress(w io.Writer, max int, desc string) *Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &Progress{}
	}
	return &Progress{progressbar.NewOptions(max, progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc), progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000))}
}

// Set moves the bar to step n.
func (p *Progress) Set(n int) {
	if p.bar != nil {
		p.bar.Set(n)
	}
}

// Finish clears the bar.
func (p *Progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
