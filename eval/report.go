package eval

import (
	"fmt"

	"github.com/leakbench/leakbench/classify"
	"html"
	"io"
	"math"
	"sort"
	"strings"
)

// Report is what `leakbench run` (make run) writes: both models' evaluations and the leakage
// report, with the models' provenance.
type Report struct {
	Title       string         `json:"title"`
	Data        []string       `json:"data"`
	Split       string         `json:"split"`
	Sensitivity *Result        `json:"sensitivity"`
	Interests   *Result        `json:"interests"`
	Leakage     *LeakageReport `json:"leakage"`
	ShowText    bool           `json:"-"`
}

// Headline is the short table make run prints and the Markdown report starts with.
func (r *Report) Headline() [][3]string {
	l := r.Leakage
	rows := [][3]string{
		{"direct leakage (excluded-category messages that yield an ad interest)", rateCell(l.Leakage), "lower is better"},
		{"passed (excluded-category messages the filter lets through)", rateCell(l.Passed), "lower is better"},
		{"over-blocking (clean, interest-bearing messages blocked)", rateCell(l.OverBlock), "lower is better"},
	}
	if r.Sensitivity != nil {
		rows = append(rows, [3]string{"sensitivity model micro-F1 / macro-F1", fmt.Sprintf("%s %s / %s %s", r.Sensitivity.MicroF1, ciCell(r.Sensitivity.MicroF1CI), r.Sensitivity.MacroF1, ciCell(r.Sensitivity.MacroF1CI)), fmt.Sprintf("n=%d", r.Sensitivity.N)})
	}
	if r.Interests != nil {
		rows = append(rows, [3]string{"interest model micro-F1 / macro-F1", fmt.Sprintf("%s %s / %s %s", r.Interests.MicroF1, ciCell(r.Interests.MicroF1CI), r.Interests.MacroF1, ciCell(r.Interests.MacroF1CI)), fmt.Sprintf("n=%d", r.Interests.N)})
	}
	return rows
}

func rateCell(r Rate) string { return fmt.Sprintf("%s %s (%d/%d)", r.Rate, ciCell(r.CI), r.K, r.N) }
func ciCell(c CI) string     { return fmt.Sprintf("[%s, %s]", c[0], c[1]) }

// WriteText writes the headline as aligned text.
func (r *Report) WriteText(w io.Writer) {
	width := 0
	for _, row := range r.Headline() {
		width = max(width, len(row[0]))
	}
	fmt.Fprintf(w, "%s — policy %s, %s split\n", r.Title, r.Leakage.Policy.Name, r.Split)
	for _, row := range r.Headline() {
		fmt.Fprintf(w, "  %-*s  %s  %s\n", width, row[0], row[1], row[2])
	}
}

// WriteMarkdown writes the report for a pull-request comment: headline table, leakage by
// category, language and surface, top proxies, per-label model metrics, and top leaks (ids, or
// texts with ShowText).
func (r *Report) WriteMarkdown(w io.Writer) {
	l := r.Leakage
	fmt.Fprintf(w, "# %s\n\nPolicy `%s` (granularity %s), data %s, split `%s`: %d messages, %d in scope.\n\n",
		r.Title, l.Policy.Name, granularity(l.Policy), strings.Join(r.Data, ", "), r.Split, l.Messages, l.InScope)
	fmt.Fprintf(w, "| metric | value [95%% CI] | note |\n|---|---|---|\n")
	for _, row := range r.Headline() {
		fmt.Fprintf(w, "| %s | %s | %s |\n", row[0], row[1], row[2])
	}
	fmt.Fprintf(w, "\n## Trade-off as the sensitivity thresholds move (x1 = the operating point)\n\n| thresholds | direct leakage | over-blocking |\n|---|---:|---:|\n")
	for i, p := range l.Curve {
		if i%3 == 1 || p.Chosen { // every third point of the sweep, and the operating point
			mark := ""
			if p.Chosen {
				mark = " (operating point)"
			}
			fmt.Fprintf(w, "| x%.2g%s | %s | %s |\n", float64(p.Scale), mark, p.Leakage, p.OverBlock)
		}
	}
	writeRates(w, "Direct leakage by category", l.ByCategory)
	writeRates(w, "Direct leakage by language", l.ByLang)
	writeRates(w, "Direct leakage by surface", l.BySurface)
	if len(l.UnexcludedReach) > 0 {
		writeRates(w, "Categories the policy does not exclude that reach ads", l.UnexcludedReach)
	}
	fmt.Fprintf(w, "\n## Proxy leakage (top 10 by lift, among messages that passed)\n\n| interest | category | both | lift | PMI |\n|---|---|---:|---:|---:|\n")
	for i, p := range l.Proxies {
		if i == 10 {
			break
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s |\n", p.Interest, p.Category, p.Both, p.Lift, p.PMI)
	}
	fmt.Fprintf(w, "\n## Profile-level leakage (attacker ROC-AUC on held-out users; 0.5 = nothing leaks)\n\n| category | users | positives | ROC-AUC |\n|---|---:|---:|---:|\n")
	for _, p := range l.Profile {
		fmt.Fprintf(w, "| %s | %d | %d | %s |\n", p.Category, p.Users, p.Positives, p.ROCAUC)
	}
	if c := l.CrossLingual; c != nil {
		fmt.Fprintf(w, "\n## Cross-lingual consistency\n\n%d translation pairs: blocking agrees on %s, interests on %s.\n", c.Pairs, c.BlockAgreement, c.InterestAgreement)
	}
	if s := l.SensitiveIAB; s != nil {
		fmt.Fprintf(w, "\n## Sensitive interests (IAB)\n\n%d of %d interests emitted on passed messages fall on special-category IAB nodes (%s).\n", s.EmittedFlagged, s.Emitted, s.Rule)
	}
	for _, m := range []struct {
		name string
		res  *Result
	}{{"Sensitivity model", r.Sensitivity}, {"Interest model", r.Interests}} {
		if m.res != nil {
			fmt.Fprintf(w, "\n## %s\n\n", m.name)
			m.res.WriteMarkdown(w)
		}
	}
	fmt.Fprintf(w, "\n## Leaked messages (first %d)\n\n", len(l.TopLeaks))
	for _, e := range l.TopLeaks {
		fmt.Fprintf(w, "- `%s` (%s, %s): %s -> %s", e.ID, e.Lang, e.Surface, strings.Join(e.Categories, ", "), strings.Join(e.Interests, ", "))
		if r.ShowText && e.Text != "" {
			fmt.Fprintf(w, " — %q", e.Text)
		}
		fmt.Fprintln(w)
	}
}

func granularity(p classify.Policy) string {
	if p.Granularity == "" {
		return "message"
	}
	return p.Granularity
}

func writeRates(w io.Writer, title string, m map[string]Rate) {
	fmt.Fprintf(w, "\n## %s\n\n| | leaked | n | rate | 95%% CI |\n|---|---:|---:|---:|---|\n", title)
	for _, k := range sortedKeys(m) {
		r := m[k]
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s |\n", k, r.K, r.N, r.Rate, ciCell(r.CI))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WriteMarkdown writes the headline and per-class table of an evaluation.
func (r *Result) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "n=%d · accuracy %s %s · micro-F1 %s %s · macro-F1 %s %s · weighted-F1 %s · ECE %s\n\n",
		r.N, r.Accuracy, ciCell(r.AccuracyCI), r.MicroF1, ciCell(r.MicroF1CI), r.MacroF1, ciCell(r.MacroF1CI), r.WeightedF1, r.ECE)
	fmt.Fprintf(w, "| label | precision | recall | F1 | support | PR-AUC | ROC-AUC | precision at recall 0.9 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range r.Labels {
		c := r.PerClass[l]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %s | %s | %s |\n", l, c.Precision, c.Recall, c.F1, c.Support, c.PRAUC, c.ROCAUC, c.PrecisionAtRecall90)
	}
	for _, key := range sortedKeys(r.Slices) {
		fmt.Fprintf(w, "\nBy %s: ", key)
		var parts []string
		for _, s := range r.Slices[key] {
			v := s.Value
			if v == "" {
				v = "(none)"
			}
			parts = append(parts, fmt.Sprintf("%s n=%d micro-F1 %s", v, s.N, s.MicroF1))
		}
		fmt.Fprintln(w, strings.Join(parts, "; "))
	}
}

// WriteHTML writes the report as one self-contained HTML page: no external assets, inline SVG
// charts (leakage/over-blocking curve, per-category leakage bars with CIs, confusion heatmap of
// the sensitivity model by label co-occurrence, proxy table).
func (r *Report) WriteHTML(w io.Writer) {
	var md strings.Builder
	r.WriteMarkdown(&md)
	l := r.Leakage
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
svg text{font:11px system-ui,sans-serif}
</style></head><body>
<h1>%s</h1>
<p>Policy <code>%s</code> (granularity %s), data %s, split <code>%s</code>: %d messages, %d in scope.</p>
<table id="headline"><tr><th>metric</th><th>value [95%% CI]</th><th>note</th></tr>
`, esc(r.Title), esc(r.Title), esc(l.Policy.Name), esc(granularity(l.Policy)), esc(strings.Join(r.Data, ", ")), esc(r.Split), l.Messages, l.InScope)
	for _, row := range r.Headline() {
		fmt.Fprintf(w, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", esc(row[0]), esc(row[1]), esc(row[2]))
	}
	fmt.Fprintln(w, "</table>")
	fmt.Fprintln(w, "<h2>Leakage against over-blocking as the sensitivity thresholds move</h2>")
	writeCurveSVG(w, l.Curve)
	fmt.Fprintln(w, "<h2>Direct leakage by category (95% CI)</h2>")
	writeBarsSVG(w, l.ByCategory)
	fmt.Fprintln(w, "<h2>Direct leakage by language and surface</h2>")
	writeRateTable(w, l.ByLang)
	writeRateTable(w, l.BySurface)
	if r.Sensitivity != nil {
		fmt.Fprintln(w, "<h2>Sensitivity model: gold (rows) against predicted (columns) categories</h2>")
		writeHeatmapSVG(w, r.Sensitivity)
	}
	fmt.Fprintln(w, `<h2>Proxy leakage (top 15 by lift, among messages that passed)</h2>
<table id="proxies"><tr><th>interest</th><th>category</th><th>both</th><th>with interest</th><th>with category</th><th>lift</th><th>PMI</th></tr>`)
	for i, p := range l.Proxies {
		if i == 15 {
			break
		}
		fmt.Fprintf(w, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>\n", esc(p.Interest), esc(p.Category), p.Both, p.Interest_, p.Category_, p.Lift, p.PMI)
	}
	fmt.Fprintln(w, "</table>")
	fmt.Fprintf(w, "<h2>Full report</h2>\n<pre style=\"white-space:pre-wrap\">%s</pre>\n</body></html>\n", esc(md.String()))
}

func esc(s string) string { return html.EscapeString(s) }

func writeRateTable(w io.Writer, m map[string]Rate) {
	fmt.Fprintln(w, "<table><tr><th></th><th>leaked</th><th>n</th><th>rate</th><th>95% CI</th></tr>")
	for _, k := range sortedKeys(m) {
		r := m[k]
		fmt.Fprintf(w, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>\n", esc(k), r.K, r.N, r.Rate, ciCell(r.CI))
	}
	fmt.Fprintln(w, "</table>")
}

const svgW, svgH, pad = 640, 300, 45

func writeCurveSVG(w io.Writer, pts []CurvePoint) {
	fmt.Fprintf(w, `<svg id="curve" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="leakage against over-blocking">`, svgW, svgH, svgW, svgH)
	axes(w, "over-blocking", "leakage")
	var path []string
	for _, p := range pts {
		if p.Leakage.IsNaN() || p.OverBlock.IsNaN() {
			continue
		}
		x, y := sx(float64(p.OverBlock)), sy(float64(p.Leakage))
		path = append(path, fmt.Sprintf("%.1f,%.1f", x, y))
		if p.Chosen {
			anchor, dx := "start", 8.0
			if x > svgW/2 {
				anchor, dx = "end", -8
			}
			fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="6" fill="#d33"/><text x="%.1f" y="%.1f" text-anchor="%s">operating point (%s, %s)</text>`, x, y, x+dx, y-8, anchor, p.OverBlock, p.Leakage)
		}
	}
	fmt.Fprintf(w, `<polyline fill="none" stroke="#36c" stroke-width="2" points="%s"/></svg>`+"\n", strings.Join(path, " "))
}

func sx(v float64) float64 { return pad + v*(svgW-2*pad) }
func sy(v float64) float64 { return svgH - pad - v*(svgH-2*pad) }

func axes(w io.Writer, xl, yl string) {
	fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`,
		pad, svgH-pad, svgW-pad, svgH-pad, pad, pad, pad, svgH-pad)
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		fmt.Fprintf(w, `<text x="%.1f" y="%d" text-anchor="middle">%.2f</text><text x="%d" y="%.1f" text-anchor="end">%.2f</text>`,
			sx(t), svgH-pad+15, t, pad-5, sy(t)+4, t)
	}
	fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle">%s</text><text x="12" y="%d" transform="rotate(-90 12 %d)" text-anchor="middle">%s</text>`,
		svgW/2, svgH-8, esc(xl), svgH/2, svgH/2, esc(yl))
}

func writeBarsSVG(w io.Writer, m map[string]Rate) {
	keys := sortedKeys(m)
	fmt.Fprintf(w, `<svg id="bars" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="leakage by category">`, svgW, svgH, svgW, svgH)
	axes(w, "", "leakage")
	if len(keys) > 0 {
		bw := float64(svgW-2*pad) / float64(len(keys))
		for i, k := range keys {
			r := m[k]
			x := pad + float64(i)*bw
			v := 0.0
			if !r.Rate.IsNaN() {
				v = float64(r.Rate)
			}
			fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#e8913a"><title>%s: %s (%d/%d)</title></rect>`,
				x+bw*0.15, sy(v), bw*0.7, sy(0)-sy(v), esc(k), r.Rate, r.K, r.N)
			if !r.CI[0].IsNaN() {
				cx := x + bw/2
				fmt.Fprintf(w, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#333"/>`, cx, cx, sy(float64(r.CI[0])), sy(float64(r.CI[1])))
			}
			fmt.Fprintf(w, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+bw/2, svgH-pad+28, esc(shortLabel(k)))
		}
	}
	fmt.Fprintln(w, "</svg>")
}

func shortLabel(s string) string {
	if len(s) > 12 {
		return s[:11] + "…"
	}
	return s
}

// writeHeatmapSVG draws the sensitivity model's confusion as a label co-occurrence heatmap:
// cell (g, p) counts items with gold label g and predicted label p (single-label models: the
// confusion matrix).
func writeHeatmapSVG(w io.Writer, res *Result) {
	L := len(res.Labels)
	cells := res.Confusion
	if cells == nil {
		cells = res.Cooccurrence
	}
	if cells == nil || L == 0 {
		return
	}
	const cell, left, top = 40, 150, 110
	size := left + L*cell + 10
	fmt.Fprintf(w, `<svg id="heatmap" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="confusion heatmap">`, size, top+L*cell+10, size, top+L*cell+10)
	var mx int64 = 1
	for _, row := range cells {
		for _, v := range row {
			mx = max(mx, v)
		}
	}
	for g := range L {
		fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-5, top+g*cell+cell/2+4, esc(res.Labels[g]))
		fmt.Fprintf(w, `<text x="%d" y="%d" transform="rotate(-60 %d %d)">%s</text>`, left+g*cell+cell/2, top-5, left+g*cell+cell/2, top-5, esc(res.Labels[g]))
		for p := range L {
			v := cells[g][p]
			a := math.Sqrt(float64(v) / float64(mx))
			fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="rgba(40,90,200,%.3f)" stroke="#fff"><title>%s → %s: %d</title></rect><text x="%d" y="%d" text-anchor="middle">%d</text>`,
				left+p*cell, top+g*cell, cell, cell, a, esc(res.Labels[g]), esc(res.Labels[p]), v, left+p*cell+cell/2, top+g*cell+cell/2+4, v)
		}
	}
	fmt.Fprintln(w, "</svg>")
}

// WriteHTML writes one evaluation as a self-contained HTML page with its confusion heatmap.
func (r *Result) WriteHTML(w io.Writer, title string) error {
	var md strings.Builder
	r.WriteMarkdown(&md)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title></head><body style=\"font:14px system-ui,sans-serif;max-width:1000px;margin:2em auto\">\n<h1>%s</h1>\n", esc(title), esc(title))
	fmt.Fprintf(w, "<table id=\"headline\" border=\"1\" cellpadding=\"4\"><tr><th>n</th><th>accuracy</th><th>micro-F1</th><th>macro-F1</th></tr><tr><td>%d</td><td>%s %s</td><td>%s %s</td><td>%s %s</td></tr></table>\n",
		r.N, r.Accuracy, ciCell(r.AccuracyCI), r.MicroF1, ciCell(r.MicroF1CI), r.MacroF1, ciCell(r.MacroF1CI))
	writeHeatmapSVG(w, r)
	fmt.Fprintf(w, "<pre style=\"white-space:pre-wrap\">%s</pre></body></html>\n", esc(md.String()))
	return nil
}
