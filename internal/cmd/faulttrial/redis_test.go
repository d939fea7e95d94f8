package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRollBackAOFCutsEachFileToItsMeasuredSize(t *testing.T) {
	dir := t.TempDir()
	aof := filepath.Join(dir, "r", "appendonlydir")
	if err := os.MkdirAll(aof, 0o700); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(aof, "appendonly.aof.1.incr.aof")
	os.WriteFile(old, make([]byte, 100), 0o600)
	s := &redisServer{name: "r", dir: filepath.Join(dir, "r")}
	sizes, err := s.aofSizes()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(old, make([]byte, 160), 0o600)
	made := filepath.Join(aof, "appendonly.aof.2.incr.aof")
	os.WriteFile(made, make([]byte, 30), 0o600)

	dropped, err := s.rollBackAOF(sizes)
	if err != nil {
		t.Fatal(err)
	}
	if dropped != 90 {
		t.Errorf("dropped %d bytes, want 60 of the old file and 30 of the new", dropped)
	}
	for f, want := range map[string]int64{old: 100, made: 0} {
		if st, _ := os.Stat(f); st.Size() != want {
			t.Errorf("%s is %d bytes, want %d", filepath.Base(f), st.Size(), want)
		}
	}
}

func TestWriteCommandsLeaveOutTheSentinelsOwn(t *testing.T) {
	for _, c := range []string{"multi", "exec", "replicaof", "config", "client", "publish", "info", "ping"} {
		if writeCommands[c] {
			t.Errorf("%s counts as a client's write, but sentinels send it", c)
		}
	}
}
