package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// Availability reads, in one round trip, what listing the free slots of
// home h for child in [from, to) needs: the hours, the home's zone, the
// intervals of the home's active calls (each holds a line) and of the
// child's, straight from the indexes, without reading a call's hash.
func (s *Store) Availability(ctx context.Context, h, child int64, from, to time.Time) (homelink.Availability, error) {
	rng := &redis.ZRangeBy{Min: "(" + itoa(from.Add(-homelink.MaxSlotMinutes*time.Minute).UnixMilli()),
		Max: "(" + itoa(to.UnixMilli())}
	pipe := s.rdb.Pipeline()
	hours := pipe.HGet(ctx, s.k.hours(h), "json")
	tz := pipe.HGet(ctx, s.k.home(h), "tz")
	lines := pipe.ZRangeByScoreWithScores(ctx, s.k.lines(h), rng)
	busy := pipe.ZRangeByScoreWithScores(ctx, s.k.childCalls(h, child), rng)
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return homelink.Availability{}, fmt.Errorf("store: availability of %d: %w", h, err)
	}
	return homelink.Availability{Hours: hoursFrom(hours.Val()), Zone: s.zoneFrom(tz),
		Taken: intervals(lines.Val(), from), ChildBusy: intervals(busy.Val(), from)}, nil
}

// intervals reads index members "<call>:<minutes>" scored by start (unix
// ms), keeping those that end after from.
func intervals(zs []redis.Z, from time.Time) []homelink.Interval {
	out := make([]homelink.Interval, 0, len(zs))
	for _, z := range zs {
		m, _ := z.Member.(string)
		_, mins, _ := strings.Cut(m, ":")
		minutes, _ := strconv.Atoi(mins)
		start := time.UnixMilli(int64(z.Score)).UTC()
		end := start.Add(time.Duration(minutes) * time.Minute)
		if end.After(from) {
			out = append(out, homelink.Interval{Start: start, End: end})
		}
	}
	return out
}
