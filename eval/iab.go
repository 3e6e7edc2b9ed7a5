package eval

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// InterestIAB maps each interest of LABELING.md to IAB Content Taxonomy 3.1 node ids, as
// suggested in ../shared/taxonomy/README.md (not normative).
var InterestIAB = map[string][]string{
	"automotive": {"1"}, "books": {"42"}, "finance": {"391"}, "careers_education": {"123", "132"},
	"entertainment": {"JLBCU7", "324", "640", "432"}, "events": {"8VZQHL", "150", "163"},
	"fashion_beauty": {"552"}, "fitness": {"225"}, "food_drink": {"210"}, "gaming": {"680"},
	"hobbies": {"239"}, "home_garden": {"274"}, "music": {"338"}, "outdoor": {"159", "677", "500"},
	"parenting": {"192"}, "pets": {"422"}, "real_estate": {"441"}, "shopping": {"473"},
	"sports": {"483"}, "technology": {"596"}, "travel": {"653"},
}

// Taxonomy holds the IAB content taxonomy nodes and their special-category (SCD) flags.
//
// Note: the SCD flags of Content Taxonomy 3.0/3.1 are offset from the nodes they mean (see
// ../shared/taxonomy/README.md), so sensitivity is judged by the 2.2 flags of the node with the
// same id; the 3.1 flag is reported beside it to show the defect.
type Taxonomy struct {
	Names  map[string]string // 3.1 id -> tiered name
	SCD22  map[string]bool
	SCD31  map[string]bool
	Source string
}

// LoadTaxonomy reads content_taxonomy_2.2.tsv and content_taxonomy_3.1.tsv from dir.
func LoadTaxonomy(dir string) (*Taxonomy, error) {
	t := &Taxonomy{Names: map[string]string{}, SCD22: map[string]bool{}, SCD31: map[string]bool{}, Source: dir}
	if err := readTaxonomy(filepath.Join(dir, "content_taxonomy_2.2.tsv"), nil, t.SCD22); err != nil {
		return nil, err
	}
	if err := readTaxonomy(filepath.Join(dir, "content_taxonomy_3.1.tsv"), t.Names, t.SCD31); err != nil {
		return nil, err
	}
	return t, nil
}

func readTaxonomy(path string, names map[string]string, scd map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eval: taxonomy: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line <= 2 {
			continue // two header rows
		}
		cols := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if len(cols) < 8 {
			return fmt.Errorf("eval: taxonomy %s:%d: %d columns, want 8", path, line, len(cols))
		}
		id := strings.TrimSpace(cols[0])
		if names != nil {
			var tiers []string
			for _, c := range cols[3:7] {
				if c = strings.TrimSpace(c); c != "" {
					tiers = append(tiers, c)
				}
			}
			names[id] = strings.Join(tiers, " > ")
		}
		if strings.TrimSpace(cols[7]) == "SCD" {
			scd[id] = true
		}
	}
	return sc.Err()
}

// SensitiveInterest reports the interests whose IAB nodes are flagged as special-category data,
// and how many emitted interests (on messages that passed the filter) fall on such nodes.
type SensitiveInterest struct {
	Interests      []InterestNodes `json:"interests"`
	Emitted        int64           `json:"emitted"`
	EmittedFlagged int64           `json:"emitted_flagged"`
	Rule           string          `json:"rule"`
}

// InterestNodes is one interest with its IAB nodes and flags.
type InterestNodes struct {
	Interest string   `json:"interest"`
	Nodes    []string `json:"nodes"`
	SCD22    bool     `json:"scd_2_2"`
	SCD31    bool     `json:"scd_3_1"`
}

func (t *Taxonomy) sensitiveInterests(a *LeakageAccumulator) *SensitiveInterest {
	si := &SensitiveInterest{Rule: "an interest is special-category when one of its 3.1 nodes has the same id as a node flagged SCD in Content Taxonomy 2.2 (the 3.1 flags are offset)"}
	flagged := make([]bool, len(a.IntLabels))
	for l, in := range a.IntLabels {
		row := InterestNodes{Interest: in}
		for _, id := range InterestIAB[in] {
			row.Nodes = append(row.Nodes, id+": "+t.Names[id])
			row.SCD22 = row.SCD22 || t.SCD22[id]
			row.SCD31 = row.SCD31 || t.SCD31[id]
		}
		flagged[l] = row.SCD22
		si.Interests = append(si.Interests, row)
	}
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		if !o.InScope || o.Blocked {
			continue
		}
		for l := range a.IntLabels {
			if o.PredInterests&(1<<l) != 0 {
				si.Emitted++
				if flagged[l] {
					si.EmittedFlagged++
				}
			}
		}
	}
	slices.SortFunc(si.Interests, func(x, y InterestNodes) int { return strings.Compare(x.Interest, y.Interest) })
	return si
}
