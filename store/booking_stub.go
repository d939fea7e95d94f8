package store

// Stubs of the booking contract (bot.BookingStore, HoursStore,
// SettingsStore) so the tree builds while the store work is under way.
// TODO(store): replaced by hours.go, bookings.go, settings.go.

import (
	"context"
	"errors"
	"time"

	"github.com/homelink/homelink"
)

var errTodo = errors.New("store: not built yet")

func (s *Store) SetTimeZone(ctx context.Context, user int64, zone string) error      { return errTodo }
func (s *Store) SetShifts(ctx context.Context, user int64, sh homelink.Shifts) error { return errTodo }
func (s *Store) Hours(ctx context.Context, h int64) (homelink.Hours, error) {
	return homelink.Hours{}, errTodo
}
func (s *Store) SetHours(ctx context.Context, by homelink.By, h int64, hrs homelink.Hours) error {
	return errTodo
}
func (s *Store) Availability(ctx context.Context, h, child int64, from, to time.Time) (homelink.Availability, error) {
	return homelink.Availability{}, errTodo
}
func (s *Store) Book(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) BookSeries(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Series, []homelink.Booking, []time.Time, error) {
	return homelink.Series{}, nil, nil, errTodo
}
func (s *Store) Booking(ctx context.Context, h, id int64) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) Series(ctx context.Context, h, id int64) (homelink.Series, error) {
	return homelink.Series{}, errTodo
}
func (s *Store) Decide(ctx context.Context, by homelink.By, h, id int64, to homelink.BookingState) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) Propose(ctx context.Context, by homelink.By, h, id int64, times []time.Time) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) Reschedule(ctx context.Context, by homelink.By, h, id int64, start time.Time, to homelink.BookingState) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) Cancel(ctx context.Context, by homelink.By, h, id int64, reason string) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) CancelSeries(ctx context.Context, by homelink.By, h, id int64, reason string) (homelink.Series, []homelink.Booking, error) {
	return homelink.Series{}, nil, errTodo
}
func (s *Store) Mark(ctx context.Context, by homelink.By, h, id int64, to homelink.BookingState) (homelink.Booking, error) {
	return homelink.Booking{}, errTodo
}
func (s *Store) Expire(ctx context.Context, h, id int64) (homelink.Booking, bool, error) {
	return homelink.Booking{}, false, errTodo
}
func (s *Store) RenewSeries(ctx context.Context, h, id int64) ([]homelink.Booking, []time.Time, error) {
	return nil, nil, errTodo
}
func (s *Store) GuardianCalls(ctx context.Context, user int64) ([]homelink.Booking, error) {
	return nil, errTodo
}
func (s *Store) HomeCalls(ctx context.Context, h int64, from, to time.Time) ([]homelink.Booking, error) {
	return nil, errTodo
}
func (s *Store) NoteRequestMessages(ctx context.Context, h, id int64, msgs map[int64]string) error {
	return errTodo
}
func (s *Store) RequestMessages(ctx context.Context, h, id int64) (map[int64]string, error) {
	return nil, errTodo
}
func (s *Store) WeekCounts(ctx context.Context, h int64, week string) (map[homelink.BookingState]int, error) {
	return nil, errTodo
}
