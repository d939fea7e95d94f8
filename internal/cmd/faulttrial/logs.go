package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
)

// logSummary tells, on the harness's log, what the replicas logged (how
// many of each message, by level) and what the balancer answered
// Telegram: the why behind a row of the table.
func (t *trial) logSummary() {
	for _, r := range t.replicas {
		counts := logCounts(r.p.log)
		keys := slices.Sorted(maps.Keys(counts))
		slices.SortStableFunc(keys, func(a, b string) int { return counts[b] - counts[a] })
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%d× %s", counts[k], k))
		}
		t.opts.log.Info("replica log", slog.String("scenario", t.sc.name), slog.String("replica", r.name),
			slog.String("lines", strings.Join(parts, "; ")))
	}
	t.opts.log.Info("balancer answers", slog.String("scenario", t.sc.name), slog.Any("by_status", t.lb.answers()))
}

// logCounts counts a JSON log's lines by level and message; lines that are
// not JSON (a panic) count under their first words.
func logCounts(path string) map[string]int {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct{ Level, Msg string }
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			text := sc.Text()
			out["(not json) "+text[:min(len(text), 60)]]++
			continue
		}
		out[line.Level+" "+line.Msg]++
	}
	return out
}
