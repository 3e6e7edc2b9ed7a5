package classify_test

import (
	"fmt"

	"github.com/leakbench/leakbench/classify"
)

func ExampleNormalize() {
	for _, s := range []string{"l’hôpital", "L'HÔPITAL", "J'aimerais 2 billets, stp 😊 https://x.fr"} {
		fmt.Printf("%q\n", classify.Normalize(nil, s))
	}
	// Output:
	// "hopital"
	// "hopital"
	// "aimerais 0 billets stp 😊 _url_"
}

func ExampleFeatureConfig_Featurize() {
	var f classify.Features                                           // reuse one per goroutine: no allocation once warm
	classify.DefaultFeatures.Featurize(&f, "cheap flights to Lisbon") // 4 words, 3 bigrams, 16 char 4-grams
	fmt.Println(len(f.Idx), "features over", classify.DefaultFeatures.Dim(), "rows:", string(f.Norm))
	// Output: 23 features over 65536 rows: cheap flights to lisbon
}
