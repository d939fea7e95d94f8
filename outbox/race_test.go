//go:build race

package outbox

// raceEnabled: the race detector slows every goroutine several times and
// unevenly, so sending rates measured under it say little about the
// outbox. Rate tests then check only for gross errors; the test command
// runs them again without it (README.md, "Tests").
const raceEnabled = true
