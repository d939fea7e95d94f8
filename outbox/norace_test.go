//go:build !race

package outbox

// raceEnabled: see race_test.go.
const raceEnabled = false
