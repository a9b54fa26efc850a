// Package glassboard holds the default theme, embedded in the binary so that
// any board without its own layouts works. The repository root is itself the
// example board; its layouts/, static/assets/ and i18n/ folders are the theme.
// (The example board's other static files are not part of the theme.)
package glassboard

import "embed"

// Theme is the default theme: layouts/, static/assets/ and i18n/.
//
//go:embed all:layouts static/assets i18n
var Theme embed.FS
