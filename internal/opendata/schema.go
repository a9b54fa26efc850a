package opendata

import "embed"

// schemaFS holds the JSON Schemas (draft 2020-12) of the JSON files,
// published beside them as data/<name>.schema.json.
//
//go:embed schema/*.schema.json
var schemaFS embed.FS

// schemaNames are the JSON files that have a schema.
var schemaNames = []string{"commitments", "notices", "ratings", "units", "schedule"}

// Schema returns the JSON Schema of data/<name>.json, or nil.
func Schema(name string) []byte {
	b, err := schemaFS.ReadFile("schema/" + name + ".schema.json")
	if err != nil {
		return nil
	}
	return b
}
