package store

import "strconv"

// Key layout. Every key starts with the configured prefix (default "hl:").
// Keys about one user share the hash tag {u<id>} so that the scripts that
// touch several of them stay inside one Redis Cluster slot.
//
//	<p>{u<id>}:user          hash    lang (chosen language), blocked ("1" when the user blocked the bot)
//	<p>{u<id>}:session       hash    flow, step, nonce, version, data (JSON); TTL sessionTTL
//	<p>{u<id>}:seen          zset    update ids taken, scored by unix seconds; trimmed to seenWindow
//	<p>{u<id>}:inbox         zset    raw updates waiting to be handled, scored by update id
//	<p>{u<id>}:lock          string  token of the replica handling this user's inbox; PX lease
//	<p>inbox:pending         zset    actor ids with recent arrivals, scored by unix ms of the last one
//
// <id> is the Telegram user id, or the chat id for updates without a user.
type keys struct{ prefix string }

func (k keys) user(id int64) string    { return k.tagged(id, "user") }
func (k keys) session(id int64) string { return k.tagged(id, "session") }
func (k keys) seen(id int64) string    { return k.tagged(id, "seen") }
func (k keys) inbox(id int64) string   { return k.tagged(id, "inbox") }
func (k keys) lock(id int64) string    { return k.tagged(id, "lock") }
func (k keys) pending() string         { return k.prefix + "inbox:pending" }

func (k keys) tagged(id int64, name string) string {
	return k.prefix + "{u" + strconv.FormatInt(id, 10) + "}:" + name
}
