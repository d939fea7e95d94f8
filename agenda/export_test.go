package agenda

import "github.com/prometheus/client_golang/prometheus"

// DroppedCounter is the too-late counter of kind, for tests.
func (m *Metrics) DroppedCounter(kind string) prometheus.Counter {
	return m.dropped.WithLabelValues(kind, "too_late")
}
