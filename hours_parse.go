package homelink

// ParseWindows reads typed call hours, one window per line or several
// separated by ";" or "，": "Sat 09:00-11:30", "周六 9:00-11:30",
// "Sat, Sun 14:00-17:00", "周一至周五 18:00-20:00". Full-width digits and
// punctuation, 点/分/半 and the dashes people type (-, –, —, ~, 到, 至) are
// understood. An error is a *HoursError naming the first refused line.
// TODO(hours_parse.go): implemented by the domain work.
func ParseWindows(text string) ([]Window, error) { return nil, ErrBadLine }

// AddWindows returns existing with added merged in, sorted by day and
// start; a window overlapping another, ending before it starts, or more
// than MaxWindows in all is refused (the error names the added line).
func AddWindows(existing, added []Window) ([]Window, error) { return nil, ErrBadLine }

// ParseClosed reads typed closed dates, one per line: "2027-02-10",
// "2027-02-10 - 2027-02-17 Spring Festival", "2月10日-2月17日 春节",
// "10.2-17.2"; a date without a year is its next occurrence on or after
// today. Ranges ending before today are refused.
func ParseClosed(text string, today Date) ([]DateRange, error) { return nil, ErrBadLine }

// Validate checks hours as a whole: slot length, lines, windows, closed
// dates (the store refuses hours that fail it).
func (h Hours) Validate() error { return nil }
