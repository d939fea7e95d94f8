package bot

import (
	"context"
	"time"

	"github.com/homelink/homelink"
)

// ReportStore reads what the weekly report and the contact-gap alert
// need. The figures are kept by the scripts that change calls and
// mailboxes, in the same step: each child's last contact, and each week's
// count of children reached.
type ReportStore interface {
	// WeekFigures are home h's figures of week (homelink.WeekOf in the
	// home's zone), in one round trip.
	WeekFigures(ctx context.Context, h int64, week string) (homelink.WeekFigures, error)
	// ContactGaps are home h's children with no contact for days or more
	// at now, longest first.
	ContactGaps(ctx context.Context, h int64, now time.Time, days int) ([]homelink.Gap, error)
	// GapNudged records that guardian g was nudged about child c of home h
	// at at, unless they were within homelink.GapNudgeEvery before: it
	// reports whether this one may go.
	GapNudged(ctx context.Context, h, c, g int64, at time.Time) (bool, error)
}
