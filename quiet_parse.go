package homelink

// ParseQuietHours reads typed quiet hours, in either language: "22:00-07:00",
// "22-7", "晚上10点到早上7点", "8:00–16:00" (a night-shift parent's day).
// "off"/"关" switches them off (QuietOff). Anything else is an error a
// person can be shown (ErrBadTime, ErrBadLine).
func ParseQuietHours(s string) (QuietHours, error) {
	return QuietHours{}, ErrBadLine // TODO(contract): implemented by the settings helper
}
