package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/agenda/rule"
)

// Agenda kinds of broadcasts.
const (
	// KindBroadcastSend starts the run of a broadcast sent now or once,
	// keyed "<id>.<n>" (n: the zone group of its homes).
	KindBroadcastSend = "bc.send"
	// KindBroadcastEvery starts each run of a repeating broadcast, keyed
	// "<id>.<n>"; its payload is the agenda's recurring one, its rule read
	// in the group's zone.
	KindBroadcastEvery = "bc.every"
	// KindBroadcastChunk queues one chunk of a run's recipients, keyed
	// "<id>.<run>.<k>", payload "<home>:<user>:<role>,…" (ParseChunk).
	KindBroadcastChunk = "bc.chunk"
	// KindBroadcastHeld queues the part of a chunk held by the
	// recipients' quiet hours, keyed "<id>.<run>.<k>.<n>", payload as a
	// chunk's.
	KindBroadcastHeld = "bc.held"
)

// CountAudience counts who a broadcast to a in homes would reach now.
func (s *Store) CountAudience(ctx context.Context, by homelink.By, homes []int64, a homelink.Audience) (int, error) {
	if !a.Valid() {
		return 0, fmt.Errorf("store: count audience: %q: %w", a, homelink.ErrNotAllowed)
	}
	n, err := s.run(ctx, "bc_count", nil, by.User, joinIDs(homes), string(a), "").Int()
	if err != nil {
		return 0, fmt.Errorf("store: count audience: %w", err)
	}
	if n < 0 {
		return 0, homelink.ErrNotAllowed
	}
	return n, nil
}

// group is the homes of a broadcast that share one zone: they fire
// together.
type group struct {
	zone  *time.Location
	homes []int64
}

// groups splits homes by zone, in the order of their first home.
func (s *Store) groups(ctx context.Context, homes []int64) ([]group, error) {
	pipe := s.rdb.Pipeline()
	tz := make([]*redis.StringCmd, len(homes))
	for i, h := range homes {
		tz[i] = pipe.HGet(ctx, s.k.home(h), "tz")
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("store: zones of homes: %w", err)
	}
	var out []group
	for i, h := range homes {
		loc := s.zoneFrom(tz[i])
		j := slices.IndexFunc(out, func(g group) bool { return g.zone.String() == loc.String() })
		if j < 0 {
			out = append(out, group{zone: loc})
			j = len(out) - 1
		}
		out[j].homes = append(out[j].homes, h)
	}
	return out, nil
}

// plan is when a group fires next after now and the payload of its item.
func plan(b homelink.Broadcast, loc *time.Location, now time.Time) (time.Time, []byte, error) {
	switch {
	case b.Rule != "":
		r, err := rule.Parse(b.Rule, loc)
		if err != nil {
			return time.Time{}, nil, err
		}
		payload, err := agenda.RecurringPayload(r, nil)
		return r.Next(now), payload, err
	case b.Once != "":
		at, err := time.ParseInLocation(homelink.OnceLayout, b.Once, loc)
		if err != nil {
			return time.Time{}, nil, err
		}
		if at.Before(now) {
			at = now
		}
		return at, nil, nil
	}
	return now, nil, nil
}

// SaveBroadcast keeps b and plans its sending.
func (s *Store) SaveBroadcast(ctx context.Context, by homelink.By, b homelink.Broadcast) (homelink.Broadcast, error) {
	if !b.Audience.Valid() || len(b.Versions) == 0 || len(b.Homes) == 0 {
		return b, fmt.Errorf("store: save broadcast: incomplete: %w", homelink.ErrNotAllowed)
	}
	now := s.clock.Now()
	b.ID, b.From, b.State, b.Created = 0, by.User, homelink.BroadcastWaiting, now
	if name, err := s.rdb.HGet(ctx, s.k.user(by.User), "name").Result(); err == nil {
		b.FromName = name
	}
	kind := KindBroadcastSend
	var groups []group
	if b.Rule == "" && b.Once == "" {
		groups = []group{{zone: s.zone, homes: b.Homes}}
	} else {
		var err error
		if groups, err = s.groups(ctx, b.Homes); err != nil {
			return b, err
		}
	}
	if b.Rule != "" {
		kind = KindBroadcastEvery
	}
	def, err := json.Marshal(b)
	if err != nil {
		return b, fmt.Errorf("store: save broadcast: %w", err)
	}
	args := []any{by.User, joinIDs(b.Homes), flag(b.Urgent), now.UnixMilli(), string(def), kind}
	for _, g := range groups {
		due, payload, err := plan(b, g.zone, now)
		if err != nil {
			return b, fmt.Errorf("store: save broadcast: %w", err)
		}
		args = append(args, g.zone.String(), joinIDs(g.homes), due.UnixMilli(), string(payload))
	}
	id, err := s.run(ctx, "bc_save", nil, args...).Int64()
	if err != nil {
		return b, fmt.Errorf("store: save broadcast: %w", err)
	}
	if id == 0 {
		return b, homelink.ErrNotAllowed
	}
	b.ID = id
	return b, nil
}

// Broadcast reads one.
func (s *Store) Broadcast(ctx context.Context, id int64) (homelink.Broadcast, error) {
	m, err := s.rdb.HMGet(ctx, s.k.broadcast(id), "json", "state", "created").Result()
	if err != nil {
		return homelink.Broadcast{}, fmt.Errorf("store: broadcast %d: %w", id, err)
	}
	return broadcastFrom(id, m)
}

func broadcastFrom(id int64, m []any) (homelink.Broadcast, error) {
	raw, ok := m[0].(string)
	if !ok {
		return homelink.Broadcast{}, homelink.ErrNotFound
	}
	var b homelink.Broadcast
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		return b, fmt.Errorf("store: broadcast %d: %w", id, err)
	}
	b.ID = id
	b.State = homelink.BroadcastState(fmt.Sprint(m[1]))
	ms, _ := strconv.ParseInt(fmt.Sprint(m[2]), 10, 64)
	b.Created = time.UnixMilli(ms)
	return b, nil
}

// Broadcasts are the ones user sent, newest first, with when each is next
// due (zero: not due again).
func (s *Store) Broadcasts(ctx context.Context, user int64) ([]homelink.Broadcast, []time.Time, error) {
	members, err := s.rdb.ZRevRange(ctx, s.k.userBroadcasts(user), 0, -1).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("store: broadcasts of %d: %w", user, err)
	}
	pipe := s.rdb.Pipeline()
	defs := make([]*redis.SliceCmd, len(members))
	groups := make([]*redis.StringCmd, len(members))
	kinds := make([]*redis.StringCmd, len(members))
	for i, m := range members {
		id, _ := strconv.ParseInt(m, 10, 64)
		defs[i] = pipe.HMGet(ctx, s.k.broadcast(id), "json", "state", "created")
		groups[i] = pipe.HGet(ctx, s.k.broadcast(id), "groups")
		kinds[i] = pipe.HGet(ctx, s.k.broadcast(id), "kind")
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, nil, fmt.Errorf("store: broadcasts of %d: %w", user, err)
	}
	var out []homelink.Broadcast
	var next []time.Time
	var dues []*redis.FloatCmd
	var owner []int
	pipe = s.rdb.Pipeline()
	for i, m := range members {
		id, _ := strconv.ParseInt(m, 10, 64)
		b, err := broadcastFrom(id, defs[i].Val())
		if err != nil {
			continue
		}
		out = append(out, b)
		next = append(next, time.Time{})
		n, _ := strconv.Atoi(groups[i].Val())
		for g := 0; g < n; g++ {
			dues = append(dues, pipe.ZScore(ctx, s.k.prefix+"{agenda}:due", kinds[i].Val()+"\x1f"+itoa(id)+"."+strconv.Itoa(g)))
			owner = append(owner, len(out)-1)
		}
	}
	if len(dues) > 0 {
		if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
			return nil, nil, fmt.Errorf("store: broadcasts of %d: %w", user, err)
		}
	}
	for i, d := range dues {
		if d.Err() != nil {
			continue
		}
		t := time.UnixMilli(int64(d.Val()))
		if j := owner[i]; next[j].IsZero() || t.Before(next[j]) {
			next[j] = t
		}
	}
	return out, next, nil
}

// BroadcastRuns are a broadcast's kept runs, newest first: the final
// counts of those that ended; one still sending has only what the store
// knows (Total, Queued, Held), and the bot adds the outbox's counts.
func (s *Store) BroadcastRuns(ctx context.Context, id int64) ([]homelink.BroadcastRun, error) {
	ns, err := s.rdb.ZRevRange(ctx, s.k.broadcastRuns(id), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: runs of %d: %w", id, err)
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(ns))
	for i, n := range ns {
		r, _ := strconv.ParseInt(n, 10, 64)
		cmds[i] = pipe.HMGet(ctx, s.k.broadcastRun(id, r), runFields...)
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("store: runs of %d: %w", id, err)
	}
	var out []homelink.BroadcastRun
	for i, n := range ns {
		r, _ := strconv.ParseInt(n, 10, 64)
		if run, ok := runFrom(id, r, fieldMap(cmds[i].Val())); ok {
			out = append(out, run)
		}
	}
	return out, nil
}

// Run reads run n of broadcast id (ErrNotFound when it is gone).
func (s *Store) Run(ctx context.Context, id, n int64) (homelink.BroadcastRun, error) {
	vals, err := s.rdb.HMGet(ctx, s.k.broadcastRun(id, n), runFields...).Result()
	if err != nil {
		return homelink.BroadcastRun{}, fmt.Errorf("store: run %d.%d: %w", id, n, err)
	}
	r, ok := runFrom(id, n, fieldMap(vals))
	if !ok {
		return r, homelink.ErrNotFound
	}
	return r, nil
}

// runFields are the fields of a run's hash that make its
// homelink.BroadcastRun, read by name: the hash also holds a mark per
// chunk, which a read must not pay for (the progress job's cost stays the
// same for a hundred recipients or a hundred thousand).
var runFields = []string{"from", "homes", "state", "started", "ended", "total", "placed", "queued", "held", "skipped",
	"pid", "pc", "pm", "ps", "d", "bl", "c", "f"}

func fieldMap(vals []any) map[string]string {
	m := make(map[string]string, len(runFields))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			m[runFields[i]] = s
		}
	}
	return m
}

func runFrom(id, n int64, m map[string]string) (homelink.BroadcastRun, bool) {
	if m["state"] == "" {
		return homelink.BroadcastRun{}, false
	}
	num := func(f string) int { v, _ := strconv.Atoi(m[f]); return v }
	ms := func(f string) time.Time {
		v, _ := strconv.ParseInt(m[f], 10, 64)
		if v == 0 {
			return time.Time{}
		}
		return time.UnixMilli(v)
	}
	r := homelink.BroadcastRun{Broadcast: id, N: n, State: homelink.RunState(m["state"]),
		Started: ms("started"), Ended: ms("ended"), Total: num("total"), Queued: num("queued"), Held: num("held"),
		Delivered: num("d"), Blocked: num("bl"), Cancelled: num("c")}
	r.Homes = ids(strings.Split(m["homes"], ","))
	r.From, _ = strconv.ParseInt(m["from"], 10, 64)
	r.Placed, r.Skipped, r.ProgressID, r.Shown = num("placed"), num("skipped"), m["pid"], m["ps"]
	r.Chat, _ = strconv.ParseInt(m["pc"], 10, 64)
	r.Message = num("pm")
	if f := m["f"]; f != "" {
		_ = json.Unmarshal([]byte(f), &r.Failed)
	}
	return r, true
}

// SetRunMessage records the run's progress message: its outbox id while
// queued (msg 0), then its chat and Telegram id (msg -1: it could not be
// sent, and none is tried again). A run no longer kept is left alone.
func (s *Store) SetRunMessage(ctx context.Context, id, n int64, outboxID string, chat int64, msg int) error {
	args := []any{id, n, "pid", outboxID}
	if msg != 0 {
		args = append(args, "pc", chat, "pm", msg)
	}
	if err := s.run(ctx, "bc_note", nil, args...).Err(); err != nil {
		return fmt.Errorf("store: run %d.%d message: %w", id, n, err)
	}
	return nil
}

// RunShown records what the run's progress message shows now (a digest of
// its text), so an update that would change nothing is not sent.
func (s *Store) RunShown(ctx context.Context, id, n int64, shown string) error {
	if err := s.run(ctx, "bc_note", nil, id, n, "ps", shown).Err(); err != nil {
		return fmt.Errorf("store: run %d.%d shown: %w", id, n, err)
	}
	return nil
}

// ActiveRuns are the runs not ended yet (sending, or cancelled with
// messages still in the outbox's hands).
func (s *Store) ActiveRuns(ctx context.Context) ([]homelink.RunID, error) {
	ms, err := s.rdb.ZRange(ctx, s.k.activeRuns(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: active runs: %w", err)
	}
	out := make([]homelink.RunID, 0, len(ms))
	for _, m := range ms {
		if n, ok := homelink.BroadcastKey(m, 2); ok {
			out = append(out, homelink.RunID{Broadcast: n[0], N: n[1]})
		}
	}
	return out, nil
}

// ProgressTurn reports whether this caller may update run n's progress
// now: at most once every every across all replicas (Redis's clock, which
// paces: it decides no due work).
func (s *Store) ProgressTurn(ctx context.Context, id, n int64, every time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.k.broadcastRun(id, n)+":turn", "1", every).Result()
	if err != nil {
		return false, fmt.Errorf("store: run %d.%d turn: %w", id, n, err)
	}
	return ok, nil
}

// StartRun starts the run of group n of broadcast id fired at fire (the
// agenda item's due time): it returns the run's number and how many it
// reaches. A broadcast gone or paused meanwhile gives ErrNotFound.
func (s *Store) StartRun(ctx context.Context, id int64, n int, fire time.Time) (int64, int, error) {
	res, err := s.run(ctx, "bc_run", nil, id, n, fire.UnixMilli(), s.clock.Now().UnixMilli(),
		homelink.BroadcastChunk, homelink.MaxRunsKept).StringSlice()
	if err != nil {
		return 0, 0, fmt.Errorf("store: start run of %d.%d: %w", id, n, err)
	}
	if len(res) < 3 || res[0] != "run" {
		return 0, 0, homelink.ErrNotFound
	}
	run, _ := strconv.ParseInt(res[1], 10, 64)
	total, _ := strconv.Atoi(res[2])
	return run, total, nil
}

// RunPlaced counts, once per mark, what a chunk of run n did (see
// bc_placed.lua): queued, held, skipped (gone since) and left out (its
// batch stopped as they were queued); heldSent marks a held part sent at
// last.
func (s *Store) RunPlaced(ctx context.Context, id, n int64, mark string, queued, held, skipped, left int, heldSent bool) error {
	if err := s.run(ctx, "bc_placed", nil, id, n, mark, queued, held, skipped, flag(heldSent), left).Err(); err != nil {
		return fmt.Errorf("store: run %d.%d placed: %w", id, n, err)
	}
	return nil
}

// FinishRun ends run n with the outbox's final counts; it reports whether
// this call ended it (another replica may have).
func (s *Store) FinishRun(ctx context.Context, id, n int64, r homelink.BroadcastRun) (bool, error) {
	failed, _ := json.Marshal(r.Failed)
	ended, err := s.run(ctx, "bc_finish", nil, id, n, s.clock.Now().UnixMilli(), r.Delivered, r.Blocked,
		r.Cancelled, string(failed)).Int()
	if err != nil {
		return false, fmt.Errorf("store: finish run %d.%d: %w", id, n, err)
	}
	return ended == 1, nil
}

// verdict turns a rights script's answer into an error.
func verdict(op string, id int64, res string, err error) error {
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", op, id, err)
	}
	switch res {
	case "ok":
		return nil
	case "gone":
		return homelink.ErrNotFound
	case "denied":
		return homelink.ErrNotAllowed
	}
	return fmt.Errorf("store: %s %d: %w", op, id, ErrBroadcastState)
}

// ErrBroadcastState means a pause or resume found the broadcast not in
// the state it acts on (paused already, or done).
var ErrBroadcastState = errors.New("store: broadcast not in that state")

// PauseBroadcast withdraws a waiting broadcast's planned sending.
func (s *Store) PauseBroadcast(ctx context.Context, by homelink.By, id int64) error {
	res, err := s.run(ctx, "bc_pause", nil, by.User, id).Text()
	return verdict("pause broadcast", id, res, err)
}

// ResumeBroadcast plans a paused broadcast again from now.
func (s *Store) ResumeBroadcast(ctx context.Context, by homelink.By, id int64) error {
	b, err := s.Broadcast(ctx, id)
	if err != nil {
		return err
	}
	zones, err := s.rdb.HGetAll(ctx, s.k.broadcast(id)).Result()
	if err != nil {
		return fmt.Errorf("store: resume broadcast %d: %w", id, err)
	}
	now := s.clock.Now()
	args := []any{by.User, id}
	n, _ := strconv.Atoi(zones["groups"])
	for g := 0; g < n; g++ {
		zone, _, _ := strings.Cut(zones["g"+strconv.Itoa(g)], "|")
		loc, err := homelink.CheckTimeZone(zone)
		if err != nil {
			loc = s.zone
		}
		due, payload, err := plan(b, loc, now)
		if err != nil {
			return fmt.Errorf("store: resume broadcast %d: %w", id, err)
		}
		args = append(args, g, due.UnixMilli(), string(payload))
	}
	res, err := s.run(ctx, "bc_resume", nil, args...).Text()
	return verdict("resume broadcast", id, res, err)
}

// DeleteBroadcast withdraws and deletes a broadcast.
func (s *Store) DeleteBroadcast(ctx context.Context, by homelink.By, id int64) error {
	res, err := s.run(ctx, "bc_delete", nil, by.User, id).Text()
	return verdict("delete broadcast", id, res, err)
}

// CancelRun stops run n of broadcast id for its sender.
func (s *Store) CancelRun(ctx context.Context, by homelink.By, id, n int64) (homelink.BroadcastRun, error) {
	res, err := s.run(ctx, "bc_cancel", nil, by.User, id, n).Text()
	if err := verdict("cancel run", id, res, err); err != nil {
		return homelink.BroadcastRun{}, err
	}
	return s.Run(ctx, id, n)
}

// HoldRecipients puts refs of run n back until until, as bc.held key.
func (s *Store) HoldRecipients(ctx context.Context, id, n int64, key string, until time.Time, refs []homelink.RunRef) error {
	if err := s.run(ctx, "bc_hold", nil, id, n, key, until.UnixMilli(), homelink.FormatChunk(refs)).Err(); err != nil {
		return fmt.Errorf("store: hold run %d.%d: %w", id, n, err)
	}
	return nil
}
