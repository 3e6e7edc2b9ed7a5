package classify

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leakbench/leakbench/corpora"
)

// Policy says which messages may feed ad targeting: none from users in excluded regions, none
// from before Start, and none about an excluded sensitive category. It is data: the built-in
// policies are in Policies, and users write their own as JSON files of the same shape.
type Policy struct {
	Name               string    `json:"name"`
	ExcludedCategories []string  `json:"excluded_categories"`
	ExcludedRegions    []string  `json:"excluded_regions"`
	Start              time.Time `json:"start"`
	// Granularity is "message" (a sensitive message is removed) or "conversation" (one sensitive
	// turn removes the whole conversation).
	Granularity string `json:"granularity"`
}

// EURegions are the 27 EU member states.
var EURegions = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

// Policies are the built-in policies by name.
var Policies = map[string]Policy{
	// The platform's announced policy: from 16 Dec 2025, outside the EU, the UK and South Korea,
	// with six categories excluded (genetic and biometric are not among them).
	"meta-2025-12": {
		Name:               "meta-2025-12",
		ExcludedCategories: []string{"health", "religion", "political", "sexual_orientation", "racial_ethnic_origin", "trade_union"},
		ExcludedRegions:    append(slices.Clone(EURegions), "GB", "KR"),
		Start:              time.Date(2025, 12, 16, 0, 0, 0, 0, time.UTC),
		Granularity:        "message",
	},
	// Every GDPR Article 9 category excluded, everywhere, always.
	"gdpr-art9": {
		Name:               "gdpr-art9",
		ExcludedCategories: slices.Clone(corpora.Sensitive),
		Granularity:        "message",
	},
}

// PolicyNames returns the built-in policy names, sorted.
func PolicyNames() []string {
	var names []string
	for n := range Policies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LoadPolicy returns the built-in policy of that name, or reads a policy JSON file.
func LoadPolicy(nameOrPath string) (Policy, error) {
	if p, ok := Policies[nameOrPath]; ok {
		return p, nil
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return Policy{}, fmt.Errorf("classify: policy %q is not built in (%s) and not a readable file: %w", nameOrPath, strings.Join(PolicyNames(), ", "), err)
	}
	var p Policy
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Policy{}, fmt.Errorf("classify: policy %s: %w", nameOrPath, err)
	}
	if dec.More() {
		return Policy{}, fmt.Errorf("classify: policy %s: data after the policy object", nameOrPath)
	}
	if len(p.ExcludedCategories) == 0 {
		return Policy{}, fmt.Errorf("classify: policy %s: field \"excluded_categories\": empty (a policy that excludes nothing measures nothing)", nameOrPath)
	}
	if p.Name == "" {
		p.Name = nameOrPath
	}
	return p, p.Validate()
}

// Validate checks category ids, region codes and granularity.
func (p Policy) Validate() error {
	for _, c := range p.ExcludedCategories {
		if !corpora.IsSensitive(c) {
			return fmt.Errorf("classify: policy %s: field \"excluded_categories\": unknown id %q", p.Name, c)
		}
	}
	for _, r := range p.ExcludedRegions {
		if err := corpora.CheckRegion(r); err != nil {
			return fmt.Errorf("classify: policy %s: field \"excluded_regions\": %v", p.Name, err)
		}
	}
	switch p.Granularity {
	case "", "message", "conversation":
	default:
		return fmt.Errorf("classify: policy %s: field \"granularity\": %q (want message or conversation)", p.Name, p.Granularity)
	}
	return nil
}

// regionIndex maps an upper-case alpha-2 code to 0..675, or -1.
func regionIndex(r string) int {
	if len(r) != 2 || r[0] < 'A' || r[0] > 'Z' || r[1] < 'A' || r[1] > 'Z' {
		return -1
	}
	return int(r[0]-'A')*26 + int(r[1]-'A')
}
