package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// sentinelDownAfter is how long the sentinels wait before they hold the
// primary down.
const sentinelDownAfter = time.Second

// startSentinelRedis starts a primary, two replicas of it and three
// sentinels (quorum 2), and waits until the sentinels know them all.
func (t *trial) startSentinelRedis(ctx context.Context) error {
	var err error
	if t.redis, err = newRedis(t.ps, "redis-primary"); err != nil {
		return err
	}
	if err := t.redis.start(ctx); err != nil {
		return err
	}
	for i := range 2 {
		s, err := newRedis(t.ps, "redis-standby-"+strconv.Itoa(i+1), "--replicaof", "127.0.0.1", strconv.Itoa(t.redis.port))
		if err != nil {
			return err
		}
		if err := s.start(ctx); err != nil {
			return err
		}
		t.standbys = append(t.standbys, s)
	}
	for i := range 3 {
		s, err := startSentinel(ctx, t.ps, "sentinel-"+strconv.Itoa(i+1), t.redis, 2, sentinelDownAfter)
		if err != nil {
			return err
		}
		t.sentinels = append(t.sentinels, s)
	}
	return t.waitSentinelsReady(ctx)
}

// waitSentinelsReady waits until both replicas are in sync and every
// sentinel sees two replicas and two other sentinels: before that, a
// failover would fail for want of a quorum.
func (t *trial) waitSentinelsReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		ready, why := t.sentinelsReady(ctx)
		if ready {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sentinels not ready within 30 s: %s", why)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

func (t *trial) sentinelsReady(ctx context.Context) (bool, string) {
	for _, s := range t.standbys {
		info, err := s.info(ctx, "replication")
		if err != nil || info["master_link_status"] != "up" {
			return false, fmt.Sprintf("%s not in sync (%v)", s.name, err)
		}
	}
	for _, s := range t.sentinels {
		v, err := (&redisServer{name: "sentinel", port: s.port}).do(ctx, "SENTINEL", "MASTER", sentinelName)
		if err != nil {
			return false, err.Error()
		}
		f := fields(v)
		if f["num-slaves"] != "2" || f["num-other-sentinels"] != "2" {
			return false, fmt.Sprintf("sentinel %s sees %s replicas, %s other sentinels", s.addr(), f["num-slaves"], f["num-other-sentinels"])
		}
	}
	return true, ""
}

// fields reads a flat reply of alternating names and values (RESP2) or a
// map (RESP3).
func fields(v any) map[string]string {
	out := map[string]string{}
	switch v := v.(type) {
	case []any:
		for i := 0; i+1 < len(v); i += 2 {
			out[fmt.Sprint(v[i])] = fmt.Sprint(v[i+1])
		}
	case map[any]any:
		for k, val := range v {
			out[fmt.Sprint(k)] = fmt.Sprint(val)
		}
	}
	return out
}

func (t *trial) sentinelAddrs() string {
	var addrs []string
	for _, s := range t.sentinels {
		addrs = append(addrs, s.addr())
	}
	return strings.Join(addrs, ",")
}

// failover SIGKILLs the primary 1 s into the burst and times two things
// from its death: a replica's promotion, and the first write homelink
// makes on it.
func failover(ctx context.Context, t *trial) (string, error) {
	if err := t.at(ctx, time.Second); err != nil {
		return "", err
	}
	t.redis.kill()
	died := time.Now()
	killed := t.since()
	// Replication stopped with the primary: from here, a write counted on a
	// replica is a client's.
	base := map[*redisServer]int64{}
	for _, s := range t.standbys {
		n, err := writesDone(ctx, s)
		if err != nil {
			return "", err
		}
		base[s] = n
	}
	var promoted, wrote time.Duration
	var who string
	for time.Since(died) < 60*time.Second && wrote == 0 {
		for _, s := range t.standbys {
			info, err := s.info(ctx, "replication")
			if err != nil || info["role"] != "master" {
				continue
			}
			if promoted == 0 {
				promoted, who = time.Since(died), s.name
			}
			if n, err := writesDone(ctx, s); err == nil && n > base[s] {
				wrote = time.Since(died)
				break
			}
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return "", err
		}
	}
	note := fmt.Sprintf("primary SIGKILLed at %s", killed)
	switch {
	case promoted == 0:
		note += "; no replica promoted within 60 s"
	case wrote == 0:
		note += fmt.Sprintf("; %s promoted after %.1f s; no write from homelink on it within 60 s", who, promoted.Seconds())
	default:
		note += fmt.Sprintf("; %s promoted after %.1f s; first write from homelink on it %.2f s after the primary's death", who, promoted.Seconds(), wrote.Seconds())
	}
	return note, nil
}

// writeCommands are the data-changing commands a client may send; the
// sentinels' own (MULTI, REPLICAOF, CONFIG, CLIENT, PUBLISH) and reads are
// left out.
var writeCommands = map[string]bool{
	"evalsha": true, "eval": true, "fcall": true, "set": true, "setex": true, "psetex": true, "setnx": true,
	"getset": true, "getdel": true, "del": true, "unlink": true, "expire": true, "pexpire": true,
	"expireat": true, "pexpireat": true, "persist": true, "incr": true, "incrby": true, "decr": true,
	"decrby": true, "hset": true, "hsetnx": true, "hmset": true, "hdel": true, "hincrby": true,
	"lpush": true, "rpush": true, "lpop": true, "rpop": true, "lrem": true, "ltrim": true, "lmove": true,
	"sadd": true, "srem": true, "spop": true, "zadd": true, "zrem": true, "zincrby": true, "zpopmin": true,
	"zremrangebyscore": true, "zremrangebyrank": true, "xadd": true, "xack": true, "xdel": true,
	"xtrim": true, "xclaim": true, "xautoclaim": true, "rename": true,
}

// writesDone counts the successful data-changing commands s has run
// (INFO commandstats: calls less failed calls).
func writesDone(ctx context.Context, s *redisServer) (int64, error) {
	stats, err := s.info(ctx, "commandstats")
	if err != nil {
		return 0, err
	}
	var n int64
	for k, v := range stats {
		name, ok := strings.CutPrefix(k, "cmdstat_")
		if !ok || !writeCommands[name] {
			continue
		}
		f := map[string]int64{}
		for _, kv := range strings.Split(v, ",") {
			if key, val, ok := strings.Cut(kv, "="); ok {
				f[key], _ = strconv.ParseInt(val, 10, 64)
			}
		}
		n += f["calls"] - f["failed_calls"]
	}
	return n, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
