package agenda

import "github.com/prometheus/client_golang/prometheus"

// DroppedCounter is the too-late counter of kind, for tests.
func (m *Metrics) DroppedCounter(kind string) prometheus.Counter {
	return m.dropped.WithLabelValues(kind, "too_late")
}

// ReleasedCounter counts kind's items given back unrun, for tests.
func (m *Metrics) ReleasedCounter(kind string) prometheus.Counter {
	return m.released.WithLabelValues(kind)
}
