package sandbox

import (
	"bytes"
	"encoding/binary"
	"math"
	"net/http"
	"time"
)

// The emulator keeps no media, only file ids: every voice note and video
// message on the page plays this one short sound, so a teacher playing a
// child's mailbox hears that something plays where a real phone would
// play the parent's voice.

// sound serves the sample sound, a 16-bit mono WAV of three soft notes
// (about 22 KB, rendered for each request: the page asks once).
func (s *Sandbox) sound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "max-age=3600")
	http.ServeContent(w, r, "voice.wav", time.Time{}, bytes.NewReader(sampleSound()))
}

// sampleSound renders three notes rising (C5, E5, G5), each faded in and
// out so they do not click.
func sampleSound() []byte {
	const rate, noteSeconds = 16000, 0.35
	notes := []float64{523.25, 659.25, 783.99}
	per := int(rate * noteSeconds)
	pcm := make([]int16, 0, per*len(notes))
	for _, f := range notes {
		for i := range per {
			env := math.Sin(math.Pi * float64(i) / float64(per))
			pcm = append(pcm, int16(9000*env*math.Sin(2*math.Pi*f*float64(i)/rate)))
		}
	}
	var b bytes.Buffer
	data := len(pcm) * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	// fmt: PCM, one channel, the rate, bytes a second, bytes a frame, bits.
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, pcm)
	return b.Bytes()
}
