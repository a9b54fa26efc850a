//go:build !unix

package build

// lockDest does nothing where flock(2) is missing: two builds into the same
// folder at once are then the user's to avoid.
func lockDest(dest string) (unlock func(), err error) { return func() {}, nil }
