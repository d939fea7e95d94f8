package emulator

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// pngOf is a w×h PNG: encoded for real when small, else a 1×1 PNG whose
// header claims w×h (all Telegram reads to check the dimensions).
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if w*h <= 1_000_000 {
		if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func uploaded(name string, data []byte) models.InputFile {
	return &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)}
}

// A photo uploaded with sendPhoto, as the real client sends it
// (multipart): Telegram's sizes of it come back, the person sees it with
// its caption, getFile and the download link give back its bytes, and
// sending it on by its file id shows the same picture.
func TestUploadedPhotoIsKeptAndServed(t *testing.T) {
	s := New()
	defer s.Close()
	mei, lan := s.NewUser(42, "Mei", "zh-hans"), s.NewUser(43, "Lan", "en")
	b := client(t, s)
	ctx := context.Background()
	chart := pngOf(t, 1000, 600)
	sent, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: mei.ID, Photo: uploaded("week.png", chart),
		Caption: "<b>This week</b>: 12 calls", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	var dims []string
	for _, p := range sent.Photo {
		dims = append(dims, itoa(int64(p.Width))+"x"+itoa(int64(p.Height)))
	}
	if got := strings.Join(dims, " "); got != "90x54 320x192 800x480 1000x600" {
		t.Fatalf("photo sizes %s", got)
	}
	largest := sent.Photo[len(sent.Photo)-1]
	if largest.FileSize != len(chart) || sent.Caption != "This week: 12 calls" {
		t.Fatalf("largest size %+v, caption %q", largest, sent.Caption)
	}
	m := mei.Last()
	if m.Kind != "photo" || m.FileID != largest.FileID || !bytes.Equal(m.File, chart) || m.Text != "This week: 12 calls" || m.Raw != "<b>This week</b>: 12 calls" {
		t.Fatalf("Mei sees %+v", m)
	}

	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: largest.FileID})
	if err != nil || f.FileSize != int64(len(chart)) || f.FilePath == "" {
		t.Fatalf("getFile = %+v, %v", f, err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, chart) {
		t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(got))
	}
	if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "no-such-file"}); err == nil || !strings.Contains(err.Error(), "invalid file_id") {
		t.Fatalf("getFile of an unknown id: %v", err)
	}

	// On to Lan by its smallest size's id: the same picture.
	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: lan.ID, Photo: &models.InputFileString{Data: sent.Photo[0].FileID}}); err != nil {
		t.Fatal(err)
	}
	if m := lan.Last(); !bytes.Equal(m.File, chart) || len(m.Sizes) != 4 {
		t.Fatalf("Lan sees %+v", m)
	}
	// A photo the fake never saw still goes, without bytes.
	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: lan.ID, Photo: &models.InputFileString{Data: "AgACAgUAAx-unknown"}}); err != nil {
		t.Fatal(err)
	}
	if m := lan.Last(); m.File != nil || m.FileID != "AgACAgUAAx-unknown" {
		t.Fatalf("Lan sees %+v", m)
	}
}

// An upload Telegram would refuse is refused with its words, and leaves
// nothing in the chat.
func TestUploadedPhotoLimits(t *testing.T) {
	s := New(WithLimits(Limits{Off: true}))
	defer s.Close()
	mei := s.NewUser(42, "Mei", "en")
	b := client(t, s)
	ctx := context.Background()
	cases := []struct {
		name    string
		data    []byte
		caption string
		want    string
	}{
		{"over 10 MB", append(pngOf(t, 10, 10), make([]byte, 10<<20)...), "", "PHOTO_SAVE_FILE_INVALID"},
		{"not an image", []byte("%PDF-1.4 not a photo"), "", "IMAGE_PROCESS_FAILED"},
		{"sides over 10000", pngOf(t, 6000, 4001), "", "PHOTO_INVALID_DIMENSIONS"},
		{"ratio over 20", pngOf(t, 21, 1), "", "PHOTO_INVALID_DIMENSIONS"},
		{"caption over 1024", pngOf(t, 10, 10), strings.Repeat("字", 1025), "message caption is too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: mei.ID, Photo: uploaded("p.png", c.data), Caption: c.caption})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if n := len(mei.Messages()); n != 0 {
		t.Fatalf("refused photos left %d messages", n)
	}
	// At the limits: 6000+4000 sides, a ratio of 20, 1024 characters after
	// the markup is parsed.
	for _, data := range [][]byte{pngOf(t, 6000, 4000), pngOf(t, 20, 1)} {
		if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: mei.ID, Photo: uploaded("p.png", data)}); err != nil {
			t.Fatalf("a photo at the limits refused: %v", err)
		}
	}
	caption := "<b>" + strings.Repeat("字", 1024) + "</b>"
	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: mei.ID, Photo: uploaded("p.png", pngOf(t, 10, 10)), Caption: caption, ParseMode: models.ParseModeHTML}); err != nil {
		t.Fatalf("a caption of 1024 characters refused: %v", err)
	}
	if sizes := mei.Messages()[0].Sizes; sizes[len(sizes)-1].Width != 2560 || sizes[len(sizes)-1].Height != 1707 {
		t.Fatalf("a 6000×4000 photo's largest size is %+v, want 2560 on its longer side", sizes[len(sizes)-1])
	}
}

// A user's photo is a real picture the fake keeps: the bot may send it on
// by the file id it got, and whoever gets it sees it.
func TestUsersPhotoCanBeSentOn(t *testing.T) {
	s := New()
	defer s.Close()
	mom, teacher := s.NewUser(42, "Mom", "en"), s.NewUser(43, "Teacher", "en")
	mom.SendsPhoto("sunset at the site")
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/getUpdates", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Result []models.Update }
	json.NewDecoder(resp.Body).Decode(&r)
	resp.Body.Close()
	if len(r.Result) != 1 || r.Result[0].Message == nil || len(r.Result[0].Message.Photo) < 2 {
		t.Fatalf("updates %+v", r.Result)
	}
	sizes := r.Result[0].Message.Photo
	id := sizes[len(sizes)-1].FileID
	if id != s.Transcript(mom.ID)[0].FileID {
		t.Fatalf("the update's largest size %q is not the message's file id", id)
	}
	photo, ok := s.File(id)
	if !ok {
		t.Fatal("the fake keeps no bytes of the user's photo")
	}
	if _, err := png.Decode(bytes.NewReader(photo)); err != nil {
		t.Fatalf("the user's photo is no picture: %v", err)
	}
	b := client(t, s)
	if _, err := b.SendPhoto(context.Background(), &bot.SendPhotoParams{ChatID: teacher.ID, Photo: &models.InputFileString{Data: id}, Caption: "From Mom"}); err != nil {
		t.Fatal(err)
	}
	if m := teacher.Last(); !bytes.Equal(m.File, photo) || m.Text != "From Mom" {
		t.Fatalf("the teacher sees %+v", m)
	}
}
