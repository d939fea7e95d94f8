package outbox

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"
)

// chartPNG is a small chart-like picture.
func chartPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 360))
	for x := 40; x < 600; x++ {
		img.Set(x, 300-x/3, color.RGBA{200, 60, 40, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A weekly report's chart is uploaded as a photo, queued (sealed in
// Redis with its bytes) and sent, its caption HTML; the teacher sees the
// picture itself.
func TestPhotoIsUploaded(t *testing.T) {
	o, tg := newOutbox(t)
	teacher, head := tg.NewUser(1, "Teacher", "en"), tg.NewUser(2, "Head", "zh-hans")
	ctx := context.Background()
	chart := chartPNG(t)
	if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: teacher.ID, Kind: Photo, FileName: "week.png", FileData: chart,
		Text: "<b>This week</b>: 12 calls held", Batch: "rep"}); err != nil {
		t.Fatal(err)
	}
	run(t, o)
	waitBatch(t, tg, o, "rep", 1, 5*time.Second)
	m := teacher.Last()
	if m.Kind != "photo" || !bytes.Equal(m.File, chart) || m.Text != "This week: 12 calls held" || len(m.Sizes) == 0 {
		t.Fatalf("the teacher sees %+v", m)
	}
	// Sent at once as a reply too.
	id, err := o.Send(ctx, Message{ChatID: head.ID, Kind: Photo, FileName: "week.png", FileData: chart, Text: "本周：<b>12</b> 次通话", Reply: true})
	if err != nil || id == 0 {
		t.Fatalf("sent %d, %v", id, err)
	}
	if m := head.Last(); !bytes.Equal(m.File, chart) || m.Text != "本周：12 次通话" {
		t.Fatalf("the head sees %+v", m)
	}
}
