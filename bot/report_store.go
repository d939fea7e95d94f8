package bot

import (
	"context"
	"time"

	"github.com/homelink/homelink"
)

// ReportStore reads what the weekly report and the contact-gap alert
// need, and plans their weekly work. The figures are kept by the scripts
// that change calls and mailboxes, in the same step: each child's last
// contact, and each week's count of children reached.
type ReportStore interface {
	// WeekFigures are home h's figures of the weeks that hold each of
	// days (each read in its own Location, the home's zone), in one
	// round trip.
	WeekFigures(ctx context.Context, h int64, days ...time.Time) ([]homelink.WeekFigures, error)
	// HomesWeekFigures is WeekFigures for several homes in one round trip.
	HomesWeekFigures(ctx context.Context, days map[int64][]time.Time) (map[int64][]homelink.WeekFigures, error)
	// ContactGaps are home h's children with no contact for days or more
	// at now, longest first.
	ContactGaps(ctx context.Context, h int64, now time.Time, days int) ([]homelink.Gap, error)
	// GapNudge records that guardian g of home h is nudged at at about
	// those of children they were not nudged about within
	// homelink.GapNudgeEvery, and returns those.
	GapNudge(ctx context.Context, h, g int64, children []int64, at time.Time) ([]int64, error)
	// PlanHomeReport plans one run of home h's weekly report, in one
	// step with the job's next run (next): the report of the week of
	// monday (YYYY-MM-DD) to each of teachers and a nudge to each
	// guardian of nudge about their children there, each due at now.
	// False when nothing was planned: the job is no longer claim's, or
	// that week was reported already (then only next is put).
	PlanHomeReport(ctx context.Context, h int64, claim, monday string, next, now time.Time, teachers []int64,
		nudge map[int64][]int64) (bool, error)
	// PlanCoordinatorReport is PlanHomeReport for coordinator c's
	// weekly summary.
	PlanCoordinatorReport(ctx context.Context, c int64, claim, monday string, next, now time.Time) (bool, error)
}
