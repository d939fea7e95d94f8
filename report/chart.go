// Package report draws the weekly report's chart: the trend of a home's
// (or a coordinator's homes') last weeks as grouped bars, rendered in
// memory to PNG bytes for the outbox to upload; it never writes a file.
//
// The fonts gonum.org/v1/plot embeds have no Chinese letters, so the
// chart carries only digits, dates and colours: every word is in the
// photo's caption, in the reader's language, which names each colour
// (the bot builds it from Series). The colours are the Okabe–Ito palette,
// told apart by readers with every common kind of colour blindness.
package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/homelink/homelink"
)

// Series is one kind of bar in every week's group.
type Series int

// The series, in their order within a group. Missed (vermilion) and
// FromChild (orange), the two closest colours, are never side by side.
const (
	Held Series = iota
	Missed
	ToChild
	FromChild
	NotReached
)

// AllSeries are the series in the order they are drawn and captioned.
var AllSeries = []Series{Held, Missed, ToChild, FromChild, NotReached}

// Colour is the series' colour (Okabe–Ito): blue, vermilion (the
// caption calls it orange: that is how it reads), bluish green, reddish
// purple (purple), black: none told apart only by red against green.
func (s Series) Colour() color.RGBA {
	return [...]color.RGBA{
		Held:       {0x00, 0x72, 0xB2, 0xFF},
		Missed:     {0xD5, 0x5E, 0x00, 0xFF},
		ToChild:    {0x00, 0x9E, 0x73, 0xFF},
		FromChild:  {0xCC, 0x79, 0xA7, 0xFF},
		NotReached: {0x00, 0x00, 0x00, 0xFF},
	}[s]
}

// Of is the series' value in one week's figures.
func (s Series) Of(f homelink.WeekFigures) int {
	switch s {
	case Held:
		return f.Held
	case Missed:
		return f.Missed
	case ToChild:
		return f.ToChild
	case FromChild:
		return f.FromChild
	}
	return f.NotReached()
}

// The image: 800 × 500 pixels, a phone's screen width at a size Telegram
// shows without shrinking the digits away; drawn at 144 dpi so the 12
// point tick labels are 24 pixels tall.
// vg.Length counts PostScript points.
const (
	chartWidth, chartHeight vg.Length = 400, 250
	chartDPI                          = 144
	// barWidth leaves a gap of about one bar between two weeks' groups
	// (each group is ~46 points wide on the plot's width).
	barWidth vg.Length = 7
	// chartMargin is the white border.
	chartMargin vg.Length = 8
	// tickSize is the size of the dates and the counts.
	tickSize = vg.Length(14)
)

// Chart draws weeks (oldest first), each labelled with its Monday's date
// ("11-23"), as a PNG of grouped bars: per week, one bar per series.
func Chart(weeks []homelink.WeekFigures, mondays []time.Time) ([]byte, error) {
	if len(weeks) == 0 || len(weeks) != len(mondays) {
		return nil, fmt.Errorf("report: chart of %d weeks with %d dates", len(weeks), len(mondays))
	}
	p := plot.New()
	labels := make([]string, len(mondays))
	for i, m := range mondays {
		labels[i] = m.Format("01-02")
	}
	p.NominalX(labels...)
	// Room for the first and last groups' outer bars.
	p.X.Min, p.X.Max = -0.6, float64(len(weeks))-0.4
	top := 0
	for i, s := range AllSeries {
		vals := make(plotter.Values, len(weeks))
		for w, f := range weeks {
			v := s.Of(f)
			vals[w], top = float64(v), max(top, v)
		}
		bars, err := plotter.NewBarChart(vals, barWidth)
		if err != nil {
			return nil, fmt.Errorf("report: chart: %w", err)
		}
		bars.Color, bars.LineStyle.Width = s.Colour(), 0
		bars.Offset = vg.Length(i-len(AllSeries)/2) * barWidth
		p.Add(bars)
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	p.Add(grid)
	p.Y.Min, p.Y.Max = 0, float64(ceilStep(top))
	p.Y.Tick.Marker = plot.TickerFunc(wholeTicks)
	// Digits a phone shows whole, without zooming.
	p.X.Tick.Label.Font.Size, p.Y.Tick.Label.Font.Size = tickSize, tickSize
	c := vgimg.NewWith(vgimg.UseWH(chartWidth, chartHeight), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	// A margin all round, so no digit touches the photo's edge.
	p.Draw(draw.Crop(draw.New(c), chartMargin, -chartMargin, chartMargin, -chartMargin))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("report: chart: %w", err)
	}
	return buf.Bytes(), nil
}

// ceilStep is the top of the y axis for a highest bar of n: at least 4,
// rounded up to a whole number of the tick step.
func ceilStep(n int) int {
	n = max(n, 4)
	step := tickStep(float64(n))
	return int(math.Ceil(float64(n)/step) * step)
}

// tickStep is 1, 2 or 5 times a power of ten, giving four to ten ticks up
// to top.
func tickStep(top float64) float64 {
	for mag := 1.0; ; mag *= 10 {
		for _, f := range []float64{1, 2, 5} {
			if top/(f*mag) <= 8 {
				return f * mag
			}
		}
	}
}

// wholeTicks labels the y axis at whole numbers only: the figures are
// counts.
func wholeTicks(lo, hi float64) []plot.Tick {
	step := tickStep(hi)
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return out
}
