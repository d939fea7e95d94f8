package store

import (
	"context"
	"time"

	"github.com/homelink/homelink"
)

func (s *Store) WeekFigures(ctx context.Context, h int64, week string) (homelink.WeekFigures, error) {
	return homelink.WeekFigures{}, errTODO
}

func (s *Store) ContactGaps(ctx context.Context, h int64, now time.Time, days int) ([]homelink.Gap, error) {
	return nil, errTODO
}

func (s *Store) GapNudged(ctx context.Context, h, c, g int64, at time.Time) (bool, error) {
	return false, errTODO
}
