package agenda

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Put schedules the work kind/key at due with payload; the same kind and
// key again replaces the item, voiding any claim on it, so a recurring
// handler re-puts its item with the next time and its own acknowledgement
// leaves the new one alone.
func (a *Agenda) Put(ctx context.Context, kind, key string, due time.Time, payload []byte) error {
	if err := checkName(kind, key); err != nil {
		return err
	}
	if err := a.run(ctx, "put", kind, key, due.UnixMilli(), payload).Err(); err != nil {
		return fmt.Errorf("agenda: put %s %s: %w", kind, key, err)
	}
	return nil
}

// PutIfAbsent puts kind/key as Put does, unless it waits or is claimed
// already: that one is left as it is. It reports whether it put the item.
// A replica makes sure of a standing job with it at start, however many
// replicas start at once.
func (a *Agenda) PutIfAbsent(ctx context.Context, kind, key string, due time.Time, payload []byte) (bool, error) {
	if err := checkName(kind, key); err != nil {
		return false, err
	}
	n, err := a.run(ctx, "put_absent", kind, key, due.UnixMilli(), payload).Int()
	if err != nil {
		return false, fmt.Errorf("agenda: put if absent %s %s: %w", kind, key, err)
	}
	return n == 1, nil
}

// Move reschedules kind/key at due, keeping its payload. It reports
// whether there was such an item.
func (a *Agenda) Move(ctx context.Context, kind, key string, due time.Time) (bool, error) {
	if err := checkName(kind, key); err != nil {
		return false, err
	}
	n, err := a.run(ctx, "move", kind, key, due.UnixMilli()).Int()
	if err != nil {
		return false, fmt.Errorf("agenda: move %s %s: %w", kind, key, err)
	}
	return n == 1, nil
}

// Withdraw removes kind/key, claimed or not. It reports whether there was
// such an item.
func (a *Agenda) Withdraw(ctx context.Context, kind, key string) (bool, error) {
	if err := checkName(kind, key); err != nil {
		return false, err
	}
	n, err := a.run(ctx, "withdraw", kind, key).Int()
	if err != nil {
		return false, fmt.Errorf("agenda: withdraw %s %s: %w", kind, key, err)
	}
	return n == 1, nil
}

// Hold puts the item a handler was handed back to wait until due, with
// payload (the handler waits for a person's quiet hours to end), only
// while its claim still holds it: an item put, moved or withdrawn during
// the run is left as it is now, and Hold reports false. The run's own
// record then leaves the item alone.
func (a *Agenda) Hold(ctx context.Context, it Item, due time.Time, payload []byte) (bool, error) {
	n, err := a.run(ctx, "hold", it.Kind, it.Key, it.token, due.UnixMilli(), payload).Int()
	if err != nil {
		return false, fmt.Errorf("agenda: hold %s %s: %w", it.Kind, it.Key, err)
	}
	return n == 1, nil
}

// Claim names the claim that handed the item out: a script that reads
// what the work needs can check, in the same step, that the item is still
// this claim's, as Current does (the record's token; see _agenda.lua).
func (it Item) Claim() string { return it.token }

// Current reports whether it is still the item its handler was handed:
// not withdrawn, replaced, moved, or claimed by another replica after the
// lease. A handler that sends calls it just before sending.
func (a *Agenda) Current(ctx context.Context, it Item) (bool, error) {
	v, err := a.rdb.HGet(ctx, a.itemsKey(it.Kind, it.Key), it.Key).Result()
	if isNil(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("agenda: current %s %s: %w", it.Kind, it.Key, err)
	}
	f := strings.SplitN(v, "|", 4)
	return len(f) == 4 && it.token != "" && f[1] == it.token, nil
}

// FailedItem is an item kept after its last attempt failed.
type FailedItem struct {
	Kind, Key string
	At        time.Time
	Attempts  int
	Reason    string
	Payload   []byte
}

// Failed lists up to limit failed items, newest first.
func (a *Agenda) Failed(ctx context.Context, limit int) ([]FailedItem, error) {
	rows, err := a.run(ctx, "failed", limit).Slice()
	if err != nil {
		return nil, fmt.Errorf("agenda: failed: %w", err)
	}
	out := make([]FailedItem, 0, len(rows))
	for _, r := range rows {
		f := r.([]any)
		kind, key, _ := strings.Cut(f[0].(string), idSep)
		ms, _ := strconv.ParseFloat(f[1].(string), 64)
		rec := strings.SplitN(f[2].(string), "|", 3)
		it := FailedItem{Kind: kind, Key: key, At: time.UnixMilli(int64(ms))}
		if len(rec) == 3 {
			it.Attempts, _ = strconv.Atoi(rec[0])
			it.Reason, it.Payload = rec[1], []byte(rec[2])
		}
		out = append(out, it)
	}
	return out, nil
}

// idSep joins kind and key in an item's id (keys.go's layout).
const idSep = "\x1f"

// itemsKey is the hash holding the record of kind/key (_agenda.lua's
// agenda_itemskey).
func (a *Agenda) itemsKey(kind, key string) string {
	sum := sha1.Sum([]byte(key))
	return a.opt.Prefix + "{agenda}:i:" + kind + ":" + hex.EncodeToString(sum[:2])
}

func (a *Agenda) key(name string) string { return a.opt.Prefix + "{agenda}:" + name }

func checkName(kind, key string) error {
	if kind == "" || key == "" || strings.ContainsAny(kind, idSep+"|") || strings.Contains(key, idSep) {
		return fmt.Errorf("%w: %q %q", ErrBadName, kind, key)
	}
	return nil
}
