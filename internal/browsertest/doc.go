// Package browsertest holds the real-browser tests of the default theme: it
// builds the example board (in English and in Chinese), opens it in headless
// Chromium through chromedp, over HTTP and from file://, and checks
// accessibility with axe-core, the page structure, phone layouts, pages
// without JavaScript, and console errors. TestServeLive runs `glassboard
// serve` (the binary, built by the test) over a sample board and checks in the
// browser that edits on disk reach an open page by themselves: a new title, the
// error overlay and its removal, a stylesheet change without a reload. It has
// no non-test code; chromedp is a test-only dependency.
//
// When the CI environment variable is set, a missing browser fails the tests;
// otherwise they are skipped. GLASSBOARD_SCREENSHOTS names a folder for the
// screenshots the tests take (default: a temporary folder).
package browsertest
