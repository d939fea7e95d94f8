package homelink

import "time"

// Calendar arithmetic on Date without zones, and typed dates: ISO
// "2027-02-10", "2027/2/10", "2/10" (month/day), "2月10日",
// "2027年2月10日", "Feb 10", "10 Feb", "February 10th, 2027".

// valid reports whether d is a real date of years 1 to 9999.
func (d Date) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// daysIn is the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// dayNumber is d's days since 1970-01-01 (Howard Hinnant's
// days_from_civil), so walking dates costs no time.Date calls.
func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDay is the date n days after 1970-01-01.
func dateOfDay(n int) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

// weekdayOfDay is the weekday of day number n (1970-01-01 was a Thursday).
func weekdayOfDay(n int) time.Weekday { return time.Weekday(floorMod(n+4, 7)) }

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// dateText is a typed date; year 0 when none was typed, month 0 for a
// bare day ("17日" ending "2月10日-17日").
type dateText struct{ y, m, d int }

// scanDate reads a date at rs[i:] and returns the index after it.
func scanDate(rs []rune, i int) (dateText, int, bool) {
	if i >= len(rs) {
		return dateText{}, i, false
	}
	if isLetter(rs[i]) {
		return scanMonthFirst(rs, i)
	}
	v, n := digitsAt(rs, i)
	j := i + n
	switch {
	case n == 4 && j < len(rs) && (rs[j] == '-' || rs[j] == '/' || rs[j] == '.'):
		return scanYMD(rs, j, v)
	case n == 4 && j < len(rs) && rs[j] == '年':
		dt, k, ok := scanChineseMD(rs, j+1)
		dt.y = v
		return dt, k, ok
	case n == 1 || n == 2:
		if j < len(rs) && rs[j] == '月' {
			return scanChineseMD(rs, i)
		}
		if j < len(rs) && rs[j] == '/' {
			d, dn := digitsAt(rs, j+1)
			k := j + 1 + dn
			if dn == 0 || dn > 2 || (k < len(rs) && (rs[k] == '/' || isDigit(rs[k]))) {
				return dateText{}, i, false // "2/10/2027": day and month order unknown
			}
			return dateText{0, v, d}, k, true
		}
		return scanDayFirst(rs, i, v, j)
	}
	return dateText{}, i, false
}

// scanYMD reads "-02-10" after a year, with the same separator twice.
func scanYMD(rs []rune, j, y int) (dateText, int, bool) {
	sep := rs[j]
	m, mn := digitsAt(rs, j+1)
	k := j + 1 + mn
	if mn == 0 || mn > 2 || k >= len(rs) || rs[k] != sep {
		return dateText{}, j, false
	}
	d, dn := digitsAt(rs, k+1)
	if dn == 0 || dn > 2 {
		return dateText{}, j, false
	}
	return dateText{y, m, d}, k + 1 + dn, true
}

// scanChineseMD reads "2月10日" (日 or 号 optional).
func scanChineseMD(rs []rune, i int) (dateText, int, bool) {
	m, mn := digitsAt(rs, i)
	j := i + mn
	if mn == 0 || mn > 2 || j >= len(rs) || rs[j] != '月' {
		return dateText{}, i, false
	}
	d, dn := digitsAt(rs, j+1)
	if dn == 0 || dn > 2 {
		return dateText{}, i, false
	}
	k := j + 1 + dn
	if k < len(rs) && (rs[k] == '日' || rs[k] == '号' || rs[k] == '號') {
		k++
	}
	return dateText{0, m, d}, k, true
}

// scanMonthFirst reads "feb 10", "february 10th, 2027".
func scanMonthFirst(rs []rune, i int) (dateText, int, bool) {
	w := wordAt(rs, i)
	m, ok := englishMonth(w)
	if !ok {
		return dateText{}, i, false
	}
	j := i + len(w)
	if j < len(rs) && rs[j] == '.' {
		j++
	}
	j = skipSpaces(rs, j)
	d, dn := digitsAt(rs, j)
	if dn == 0 || dn > 2 {
		return dateText{}, i, false
	}
	j = skipOrdinal(rs, j+dn)
	y, j := scanYearAfter(rs, j)
	return dateText{y, m, d}, j, true
}

// scanDayFirst reads "10 feb", "10th february 2027" once the day's digits
// (v, ending at j) are read.
func scanDayFirst(rs []rune, i, v, j int) (dateText, int, bool) {
	j = skipSpaces(rs, skipOrdinal(rs, j))
	w := wordAt(rs, j)
	m, ok := englishMonth(w)
	if !ok {
		return dateText{}, i, false
	}
	j += len(w)
	if j < len(rs) && rs[j] == '.' {
		j++
	}
	y, j := scanYearAfter(rs, j)
	return dateText{y, m, v}, j, true
}

// scanYearAfter reads an optional ", 2027" or " 2027".
func scanYearAfter(rs []rune, j int) (int, int) {
	k := j
	if k < len(rs) && rs[k] == ',' {
		k++
	}
	k = skipSpaces(rs, k)
	y, n := digitsAt(rs, k)
	if n == 4 && (k+n == len(rs) || !isDigit(rs[k+n])) {
		return y, k + n
	}
	return 0, j
}

func skipOrdinal(rs []rune, j int) int {
	for _, s := range [...]string{"st", "nd", "rd", "th"} {
		if hasPrefixAt(rs, j, s) && (j+2 == len(rs) || !isLetter(rs[j+2])) {
			return j + 2
		}
	}
	return j
}

// scanBareDay reads "17", "17日", "17号": the end of "2月10日-17日".
func scanBareDay(rs []rune, i int) (dateText, int, bool) {
	d, n := digitsAt(rs, i)
	if n == 0 || n > 2 {
		return dateText{}, i, false
	}
	j := i + n
	if j < len(rs) && (rs[j] == '日' || rs[j] == '号' || rs[j] == '號') {
		j++
	}
	return dateText{d: d}, j, true
}

// englishMonth reads a month's name or abbreviation.
func englishMonth(w string) (int, bool) {
	switch w {
	case "jan", "january":
		return 1, true
	case "feb", "february":
		return 2, true
	case "mar", "march":
		return 3, true
	case "apr", "april":
		return 4, true
	case "may":
		return 5, true
	case "jun", "june":
		return 6, true
	case "jul", "july":
		return 7, true
	case "aug", "august":
		return 8, true
	case "sep", "sept", "september":
		return 9, true
	case "oct", "october":
		return 10, true
	case "nov", "november":
		return 11, true
	case "dec", "december":
		return 12, true
	}
	return 0, false
}

func timeMonth(m int) time.Month { return time.Month(m) }
