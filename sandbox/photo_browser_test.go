package sandbox

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/homelink/homelink/outbox"
)

// barChart is a picture like a weekly report's chart: bars of two colours.
func barChart(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 360))
	for y := range 360 {
		for x := range 640 {
			img.Set(x, y, color.White)
		}
	}
	for week := range 8 {
		for i, c := range []color.RGBA{{60, 110, 200, 255}, {230, 140, 40, 255}} {
			top := 320 - 25*(week+1) + 60*i
			for x := 40 + week*72 + i*28; x < 40+week*72+i*28+24; x++ {
				for y := top; y < 320; y++ {
					img.Set(x, y, c)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A photo shows as the picture itself, with its caption: the chart the bot
// uploads (a weekly report) on the teacher's phone; the photo a parent
// sends on hers, and on the teacher's when the mailbox plays it (sent on by
// its file id). SANDBOX_SCREENSHOTS=dir keeps the screenshot.
func TestPhotosShowAsPictures(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	ctx := context.Background()
	teacher, mom := demoPeople[1].ID, demoPeople[2].ID
	zh := func(id string, kv ...any) string { return sb.app.Bot.Renderer.Text("zh-Hans", id, kv...) }
	if code := c.post("/api/people/"+itoa(mom)+"/photo", nil); code != http.StatusNoContent {
		t.Fatalf("sending a photo: %d", code)
	}
	offer := c.sees(mom, "照片")
	c.taps(mom, offer.Keyboard[0][0].Text)
	// 09:00 tomorrow at the home: outside everyone's quiet hours.
	now := sb.Clock.Now().In(sb.cfg.DefaultTimezone)
	morning := time.Date(now.Year(), now.Month(), now.Day()+1, 9, 0, 0, 0, now.Location())
	if code := c.post("/api/clock", map[string]string{"set": morning.Format("2006-01-02T15:04")}); code != http.StatusNoContent {
		t.Fatalf("clock: %d", code)
	}
	c.sees(teacher, "小明 1 条")
	c.taps(teacher, zh("MailOpenButton"))
	c.taps(teacher, zh("MailboxChildNew", "Name", "小明", "Count", 2))
	c.sees(teacher, "已播到第 2 条，共 2 条")
	if _, err := sb.app.Outbox.Enqueue(ctx, outbox.Message{Lane: outbox.Bulk, ChatID: teacher, Kind: outbox.Photo,
		FileName: "week.png", FileData: barChart(t), Text: "<b>青溪村儿童之家 · 本周</b>\n蓝色：已通话　橙色：未联系"}); err != nil {
		t.Fatal(err)
	}
	c.sees(teacher, "蓝色：已通话")
	b := browser(t)
	const pictures = `[...document.querySelectorAll('article[data-person="1002"] a.photo img, article[data-person="1003"] a.photo img')]`
	err := chromedp.Do(b,
		chromedp.Navigate(c.url),
		chromedp.WaitVisible(chromedp.CSS(`article[data-person="1002"] a.photo img`)),
		chromedp.WaitVisible(chromedp.CSS(`article[data-person="1003"] a.photo img`)),
		chromedp.Poll[chromedp.Void](pictures+`.every((i) => i.complete && i.naturalWidth > 0)`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if err != nil {
		t.Fatalf("in the browser: %v; the teacher's phone shows %+v", err, c.phone(1002).Messages)
	}
	widths, err := chromedp.Run(b, chromedp.Evaluate[[]int](pictures+`.map((i) => i.naturalWidth)`))
	if err != nil || len(widths) != 3 || widths[0] != 480 || widths[1] != 640 || widths[2] != 480 {
		t.Fatalf("the pictures are %v wide (%v), want the mother's photo (480) and the chart (640) on the teacher's phone, the photo on the mother's", widths, err)
	}
	caption, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelectorAll('article[data-person="1002"] a.photo')[1].closest("li").innerText`))
	if err != nil || !bytes.Contains([]byte(caption), []byte("蓝色：已通话")) {
		t.Fatalf("the chart's caption reads %q (%v)", caption, err)
	}
	screenshot(t, b, "photos.jpg")
}
