package opendata

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/glassboard/glassboard/internal/board"
)

// SitemapLimit is the most URLs one sitemap file may list (sitemaps.org).
const SitemapLimit = 50000

// SitemapURL is one public page for the sitemap.
type SitemapURL struct {
	Path    string     // the page's file, like "notices/x/index.html"
	LastMod board.Date // zero: no lastmod
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// PageURL returns the absolute URL of an output page in directory form:
// "notices/x/index.html" → base_url + "notices/x/", "index.html" →
// base_url; a path that is not an index.html is appended as it is.
func PageURL(baseURL, path string) string {
	base := normalBase(baseURL)
	switch {
	case path == "index.html":
		return base
	case strings.HasSuffix(path, "/index.html"):
		return base + strings.TrimSuffix(path, "index.html")
	}
	return base + path
}

// Sitemap returns sitemap.xml listing urls (absolute URLs from base_url,
// in the directory form "https://…/notices/x/"; the root page is base_url
// itself), in the given order. It does not split: for more than
// SitemapLimit URLs use SitemapFiles.
func Sitemap(baseURL string, urls []SitemapURL) []byte {
	return sitemapBytes(baseURL, urls)
}

// SitemapFiles returns sitemap.xml, or, for more than SitemapLimit URLs,
// sitemap.xml as a sitemap index of sitemap-1.xml, sitemap-2.xml… with at
// most SitemapLimit URLs each (their lastmod is the latest of theirs).
func SitemapFiles(baseURL string, urls []SitemapURL) []File {
	if len(urls) <= SitemapLimit {
		return []File{{Path: "sitemap.xml", Data: sitemapBytes(baseURL, urls)}}
	}
	base := normalBase(baseURL)
	var idx sitemapIndex
	var files []File
	for i := 0; i < len(urls); i += SitemapLimit {
		part := urls[i:min(i+SitemapLimit, len(urls))]
		name := "sitemap-" + strconv.Itoa(i/SitemapLimit+1) + ".xml"
		files = append(files, File{Path: name, Data: sitemapBytes(baseURL, part)})
		var latest board.Date
		for _, u := range part {
			if u.LastMod.After(latest) {
				latest = u.LastMod
			}
		}
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: base + name, LastMod: latest.String()})
	}
	return append([]File{{Path: "sitemap.xml", Data: marshalXML(&idx, 256*len(idx.Sitemaps))}}, files...)
}

func sitemapBytes(baseURL string, urls []SitemapURL) []byte {
	set := urlset{URLs: make([]sitemapURL, len(urls))}
	for i, u := range urls {
		set.URLs[i] = sitemapURL{Loc: PageURL(baseURL, u.Path), LastMod: u.LastMod.String()}
	}
	return marshalXML(&set, 256+100*len(urls))
}

func marshalXML(v any, size int) []byte {
	var buf bytes.Buffer
	buf.Grow(size)
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		// Only strings and fixed structs are encoded: this cannot fail.
		panic(err)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
