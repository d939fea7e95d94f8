package outbox

import "strconv"

// Key layout. Everything the outbox keeps shares the hash tag {ob}: the
// claim script must see the lanes, the limiter and the pauses at once, so
// the outbox lives in one Redis Cluster slot (a few hundred messages a
// second is well within one shard).
//
//	<p>{ob}:lane:<n>       zset    message ids waiting in lane n (0 interactive, 1 reminder, 2 bulk), scored by due unix ms
//	<p>{ob}:inflight       zset    message ids a worker holds, scored by lease expiry (unix ms)
//	<p>{ob}:m:<id>         hash    lane, chat, p (payload JSON sealed with AES-256-GCM, seal.go), state, attempts, tgid, reason, batch, enq (unix ms), owner ("-" once CancelBatch withdrew it), reply ("1": a Reply), due (unix ms), prev (the id queued before it to its chat and lane, still waiting when it was queued: sent first), after (the id queued before it to its chat by the same EnqueueAll, sent first); TTL once done
//	<p>{ob}:b:<batch>      hash    total, sent, failed, why:<reason class> (failed by ReasonClass): counters of a batch; stopped (unix ms) once CancelBatch stopped it
//	<p>{ob}:bm:<batch>     set     message ids of a batch
//	<p>{ob}:once:<key>     string  "1": EnqueueAllOnce queued the messages of key; TTL the record TTL
//	<p>{ob}:dead           zset    dead-lettered message ids, scored by unix ms
//	<p>{ob}:unreachable    set     chat ids that blocked the bot; nothing is sent to them
//	<p>{ob}:tat            string  the bot-wide limiter's next free slot (unix ms, GCRA)
//	<p>{ob}:tat:paid       string  the paid-broadcast limiter's next free slot
//	<p>{ob}:ctat:<chat>    string  a chat's next free slot
//	<p>{ob}:cq:<chat>      string  how many messages wait for the chat; while any do, replies queue behind them
//	<p>{ob}:cm:<chat>      set     ids of the messages waiting for the chat, so Forget and Queued find them
//	<p>{ob}:cl:<chat>      hash    lane number → the id last queued to the chat in that lane (the next one's prev); gone with cq
//	<p>{ob}:pause          string  set while Telegram asked the whole bot to wait (PX)
//	<p>{ob}:pause:<chat>   string  set while Telegram asked us to wait for one chat (PX)
//	<p>{ob}:seq            string  message id counter
//
// Every name comes from one function below. Scripts get the fixed keys as
// KEYS; the names of a message, a batch or a chat they find while they run
// they build from the key base (ARGV[1] of every outbox script) with the
// helpers in _keys.lua, which mirror the functions here one for one
// (TestLuaKeyNamesMatchGo holds them together).
type keys struct{ p string }

// base is "<p>{ob}:", the start of every outbox key.
func (k keys) base() string                 { return k.p + "{ob}:" }
func (k keys) lane(l Lane) string           { return k.base() + "lane:" + strconv.Itoa(int(l)) }
func (k keys) inflight() string             { return k.base() + "inflight" }
func (k keys) msg(id string) string         { return k.base() + "m:" + id }
func (k keys) batch(b string) string        { return k.base() + "b:" + b }
func (k keys) batchIDs(b string) string     { return k.base() + "bm:" + b }
func (k keys) dead() string                 { return k.base() + "dead" }
func (k keys) unreachable() string          { return k.base() + "unreachable" }
func (k keys) tat() string                  { return k.base() + "tat" }
func (k keys) tatPaid() string              { return k.base() + "tat:paid" }
func (k keys) chatTat(chat int64) string    { return k.base() + "ctat:" + chatID(chat) }
func (k keys) chatQueued(chat int64) string { return k.base() + "cq:" + chatID(chat) }
func (k keys) chatMsgs(chat int64) string   { return k.base() + "cm:" + chatID(chat) }
func (k keys) chatLast(chat int64) string   { return k.base() + "cl:" + chatID(chat) }
func (k keys) pause() string                { return k.base() + "pause" }
func (k keys) chatPause(chat int64) string  { return k.base() + "pause:" + chatID(chat) }
func (k keys) seq() string                  { return k.base() + "seq" }

func chatID(chat int64) string { return strconv.FormatInt(chat, 10) }
