package scheduler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
)

func TestRunNowRecoversAPanickingJob(t *testing.T) {
	s := New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ran := 0
	if err := s.Add("boom", "@every 1h", func(context.Context) error { ran++; panic("boom") }); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("fails", "@every 1h", func(context.Context) error { ran++; return errors.New("x") }); err != nil {
		t.Fatal(err)
	}
	s.RunNow("boom")
	s.RunNow("fails")
	if ran != 2 {
		t.Fatalf("ran %d jobs", ran)
	}
	if err := s.RunNow("nope"); err == nil {
		t.Fatal("unknown job ran")
	}
}

func TestAddRejectsBadSpec(t *testing.T) {
	s := New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := s.Add("x", "every day", func(context.Context) error { return nil }); err == nil {
		t.Fatal("bad spec accepted")
	}
}
