package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // photos Telegram takes: GIF, JPEG and PNG decode
	_ "image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
)

// PhotoSize is one size of a photo, as Telegram lists them (a Message's
// Sizes, smallest first).
type PhotoSize struct {
	FileID        string
	Width, Height int
	// FileSize is the file's size in bytes; the fake keeps one file per
	// photo, so only the largest size has one.
	FileSize int
}

// storedFile is a file the fake keeps: one the bot uploaded, or a user's
// photo. A photo is found by the file id of any of its sizes.
type storedFile struct {
	data  []byte
	name  string
	kind  string
	path  string      // getFile's file_path
	sizes []PhotoSize // a photo's sizes, smallest first
}

// The sendPhoto limits of the Bot API: at most 10 MB, width and height at
// most 10000 together, a ratio of at most 20.
const (
	maxPhotoBytes = 10 << 20
	maxPhotoSides = 10000
	maxPhotoRatio = 20
	// maxDownload is the largest file getFile lets a bot download.
	maxDownload = 20 << 20
)

// photoBoxes are the longest sides of the sizes Telegram makes of a photo
// (its s, m, x, y and w sizes); the largest size it keeps is at most the
// last.
var photoBoxes = []int{90, 320, 800, 1280, 2560}

// keepPhoto checks an uploaded photo as Telegram does, keeps it under
// file id (its largest size's) and returns it. The caller holds mu.
func (s *Server) keepPhoto(id, name string, data []byte) (*storedFile, *apiError) {
	if len(data) > maxPhotoBytes {
		return nil, badRequest("PHOTO_SAVE_FILE_INVALID")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, badRequest("IMAGE_PROCESS_FAILED")
	}
	w, h := cfg.Width, cfg.Height
	if w+h > maxPhotoSides || max(w, h) > maxPhotoRatio*min(w, h) {
		return nil, badRequest("PHOTO_INVALID_DIMENSIONS")
	}
	f := &storedFile{data: data, name: name, kind: "photo", sizes: photoSizes(id, w, h, len(data))}
	s.keep(f, id)
	return f, nil
}

// keepFile keeps another kind of uploaded file under id.
func (s *Server) keepFile(id, kind, name string, data []byte) *storedFile {
	f := &storedFile{data: data, name: name, kind: kind}
	s.keep(f, id)
	return f
}

// keep files f under id, and a photo under each of its sizes' ids. The
// caller holds mu.
func (s *Server) keep(f *storedFile, id string) {
	ext := strings.ToLower(fileExt(f.name))
	f.path = fmt.Sprintf("%ss/file_%d%s", f.kind, len(s.paths), ext)
	s.paths[f.path] = f
	s.files[id] = f
	for _, size := range f.sizes {
		s.files[size.FileID] = f
	}
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.ContainsAny(name[i:], "/\\") {
		return name[i:]
	}
	return ""
}

// photoSizes are the sizes Telegram lists for a w×h photo of n bytes:
// one for each box the photo is larger than, scaled to fit it, then the
// photo itself (fit to the largest box), whose id is id.
func photoSizes(id string, w, h, n int) []PhotoSize {
	var out []PhotoSize
	long := max(w, h)
	for _, box := range photoBoxes[:len(photoBoxes)-1] {
		if long > box {
			sw, sh := fit(w, h, box)
			out = append(out, PhotoSize{FileID: fmt.Sprintf("%s~%d", id, box), Width: sw, Height: sh})
		}
	}
	lw, lh := fit(w, h, photoBoxes[len(photoBoxes)-1])
	return append(out, PhotoSize{FileID: id, Width: lw, Height: lh, FileSize: n})
}

// fit scales w×h down so that its longer side is at most box.
func fit(w, h, box int) (int, int) {
	long := max(w, h)
	if long <= box {
		return w, h
	}
	scale := float64(box) / float64(long)
	return max(1, int(math.Round(float64(w)*scale))), max(1, int(math.Round(float64(h)*scale)))
}

// wireSizes is a photo's sizes as Telegram writes them.
func wireSizes(sizes []PhotoSize) []map[string]any {
	out := make([]map[string]any, len(sizes))
	for i, p := range sizes {
		out[i] = map[string]any{"file_id": p.FileID, "file_unique_id": "u" + p.FileID, "width": p.Width, "height": p.Height}
		if p.FileSize > 0 {
			out[i]["file_size"] = p.FileSize
		}
	}
	return out
}

// getFile answers a file the fake keeps with its path to download.
func (s *Server) getFile(p params) (any, *apiError) {
	id := p.str("file_id")
	f, ok := s.files[id]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > maxDownload {
		return nil, badRequest("file is too big")
	}
	return map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(f.data), "file_path": f.path}, nil
}

// download serves GET /file/bot<token>/<file_path>, as Telegram does.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.token {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	f, ok := s.paths[path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(f.data)
}

// File returns the bytes of the file the fake keeps under fileID: one
// the bot uploaded, or a user's photo (any of its sizes' ids).
func (s *Server) File(fileID string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[fileID]
	if !ok {
		return nil, false
	}
	return f.data, true
}

// samplePhoto is the picture every user's photo shows: an evening sky
// over hills, drawn once.
var samplePhoto = sync.OnceValue(func() []byte {
	const w, h = 480, 320
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	lerp := func(a, b uint8, t float64) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*t) }
	for y := range h {
		t := float64(y) / h
		sky := color.RGBA{lerp(70, 250, t), lerp(80, 160, t), lerp(150, 90, t), 255}
		for x := range w {
			c := sky
			dx, dy := float64(x-300), float64(y-200)
			if dx*dx+dy*dy < 45*45 {
				c = color.RGBA{255, 214, 120, 255}
			}
			hill := 230 + 30*math.Sin(float64(x)/70) + 15*math.Sin(float64(x)/23)
			if float64(y) > hill {
				c = color.RGBA{lerp(60, 30, t), lerp(110, 70, t), lerp(70, 40, t), 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
})

// newFileID is a file id the fake makes up for an upload or a user's file.
func newFileID(kind string) string { return fmt.Sprintf("%s-%d", kind, rand.Int64()) }
