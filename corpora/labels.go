package corpora

import "slices"

// Sensitive lists the sensitive category ids of LABELING.md, in its table order.
var Sensitive = []string{
	"health", "religion", "political", "sexual_orientation",
	"racial_ethnic_origin", "trade_union", "genetic", "biometric",
}

// Interests lists the ad-interest ids of LABELING.md, in its table order.
var Interests = []string{
	"automotive", "books", "finance", "careers_education", "entertainment", "events",
	"fashion_beauty", "fitness", "food_drink", "gaming", "hobbies", "home_garden", "music",
	"outdoor", "parenting", "pets", "real_estate", "shopping", "sports", "technology", "travel",
}

// Surfaces lists the assistant surfaces a message can come from.
var Surfaces = []string{"chat", "voice", "glasses", "imagine", "vibes"}

// Langs lists the supported languages.
var Langs = []string{"en", "fr"}

// Splits lists the split names in their canonical order.
var Splits = []string{"train", "dev", "test"}

// IsSensitive reports whether id is a sensitive category id.
func IsSensitive(id string) bool { return slices.Contains(Sensitive, id) }

// IsInterest reports whether id is an ad-interest id.
func IsInterest(id string) bool { return slices.Contains(Interests, id) }
