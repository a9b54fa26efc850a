package load

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/BurntSushi/toml"
)

// Strings reads the UI strings of lang from i18n/LANG.toml in each of fss,
// later ones overriding earlier ones key by key (pass the theme first and
// the board last). A missing file is skipped; a broken one is an error.
func Strings(lang string, fss ...fs.FS) (map[string]string, error) {
	out := map[string]string{}
	found := false
	name := "i18n/" + lang + ".toml"
	for _, fsys := range fss {
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found = true
		var m map[string]string
		if _, err := toml.Decode(string(data), &m); err != nil {
			return nil, fmt.Errorf("%s: %s", name, plainMessage(err.Error()))
		}
		for k, v := range m {
			out[k] = v
		}
	}
	if !found {
		return nil, fmt.Errorf("no UI strings for language %q (%s)", lang, name)
	}
	return out, nil
}
