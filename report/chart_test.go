package report

import (
	"bytes"
	"image"
	_ "image/png"
	"slices"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// eightWeeks are a home's figures of the eight weeks up to Monday 23
// November 2026, and those Mondays.
func eightWeeks() ([]homelink.WeekFigures, []time.Time) {
	var fs []homelink.WeekFigures
	var mondays []time.Time
	last := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for i := 7; i >= 0; i-- {
		fs = append(fs, homelink.WeekFigures{Held: 8 - i, Missed: i % 3, ToChild: 12 + i, FromChild: 3, Reached: 9 - i, Children: 10})
		mondays = append(mondays, last.AddDate(0, 0, -7*i))
	}
	return fs, mondays
}

func decode(t *testing.T, png []byte) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(png))
	if err != nil || format != "png" {
		t.Fatalf("not a PNG (%q): %v", format, err)
	}
	return img
}

// The chart is a PNG of 800 × 500 pixels whose pixels differ when the
// figures differ (one held call more in the last week is seen), and
// are the same when they do not; a home with no figures at all is drawn
// too.
func TestChartIsAPNGThatShowsItsFigures(t *testing.T) {
	fs, mondays := eightWeeks()
	a, err := Chart(fs, mondays)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, a)
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 500 {
		t.Fatalf("the chart is %v, want 800×500", b)
	}
	again, _ := Chart(fs, mondays)
	if !bytes.Equal(a, again) {
		t.Fatal("the same figures drew different pixels")
	}
	more := slices.Clone(fs)
	more[7].Held++
	b, err := Chart(more, mondays)
	if err != nil {
		t.Fatal(err)
	}
	if samePixels(img, decode(t, b)) {
		t.Fatal("one held call more drew the same pixels")
	}
	empty := make([]homelink.WeekFigures, 8)
	if z, err := Chart(empty, mondays); err != nil || samePixels(img, decode(t, z)) {
		t.Fatalf("an empty chart: %v", err)
	}
	if _, err := Chart(fs, mondays[1:]); err == nil {
		t.Fatal("a chart with a date missing was drawn")
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// Each series has its own colour, and every colour is drawn.
func TestEverySeriesIsDrawnInItsOwnColour(t *testing.T) {
	seen := map[[3]uint8]Series{}
	for _, s := range AllSeries {
		c := s.Colour()
		if prev, dup := seen[[3]uint8{c.R, c.G, c.B}]; dup {
			t.Fatalf("series %d and %d share a colour", prev, s)
		}
		seen[[3]uint8{c.R, c.G, c.B}] = s
	}
	fs, mondays := eightWeeks()
	png, err := Chart(fs, mondays)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, png)
	found := map[Series]bool{}
	for y := 0; y < 500; y++ {
		for x := 0; x < 800; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if s, ok := seen[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}]; ok {
				found[s] = true
			}
		}
	}
	for _, s := range AllSeries {
		if !found[s] {
			t.Errorf("no pixel of series %d's colour", s)
		}
	}
}

// BenchmarkChart renders one report chart; it reports the PNG's size.
func BenchmarkChart(b *testing.B) {
	fs, mondays := eightWeeks()
	var n int
	for b.Loop() {
		png, err := Chart(fs, mondays)
		if err != nil {
			b.Fatal(err)
		}
		n = len(png)
	}
	b.ReportMetric(float64(n), "bytes/chart")
}
