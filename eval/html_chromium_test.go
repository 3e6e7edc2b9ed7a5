package eval

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTMLReportInChromium renders the HTML report in headless Chromium and checks that it loads
// without console errors and shows the headline table. It skips when Chromium is absent (a
// user's machine); .ci/run installs Debian's chromium.
func TestHTMLReportInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("skipping: no chromium on PATH (apt-get install -y chromium); CI runs this test")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	rep := &Report{Title: "leakbench report", Split: "test", Leakage: synthetic("message").Report(1, nil)}
	f, err := os.Create(page)
	require.NoError(t, err)
	rep.WriteHTML(f)
	require.NoError(t, f.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--enable-logging=stderr", "--v=0", "--dump-dom", "file://"+page)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", stderr.String())
	assert.Contains(t, string(dom), `<table id="headline">`)
	assert.Contains(t, string(dom), "direct leakage")
	assert.Contains(t, string(dom), `<svg id="curve"`)
	for _, line := range strings.Split(stderr.String(), "\n") {
		assert.NotContains(t, line, "CONSOLE", "console message while loading the report")
	}
}
