package store

import "strconv"

// Key layout. Every key starts with the configured prefix (default "hl:").
// Keys about one user share the hash tag {u<id>}, keys about one home the
// tag {h<id>}, so the scripts that touch one of them stay inside one Redis
// Cluster slot.
//
//	<p>{u<id>}:user          hash    lang (chosen language), coord ("1": a coordinator), c:<home> ("1": manages it),
//	                                 t:<home> ("1": teaches there), g:<child> ("<home>:<relationship>": a guardian of the child)
//	<p>{u<id>}:session       hash    flow, step, nonce, version, data (JSON); TTL sessionTTL
//	<p>{u<id>}:seen          zset    update ids taken, scored by unix seconds; trimmed to seenWindow
//	<p>{u<id>}:inbox         zset    raw updates waiting to be handled, scored by update id
//	<p>{u<id>}:lock          string  token of the replica handling this user's inbox; PX lease
//	<p>{u<id>}:codefail      string  wrong invitation codes typed in the current window; TTL the window (kept by /forget)
//	<p>{u<id>}:made          zset    ids of the invitations the user made, scored by expiry (unix ms): revoked when
//	                                 the user loses the right that let them make them
//	<p>users                 zset    known users: every person who wrote to the bot, scored by their id (so a walk
//	                                 resumes exactly after the last id it did); added by the inbox take script,
//	                                 removed by forget. People of older releases: Upgrade adds every id with a
//	                                 user hash, once (marked in upgrades)
//	<p>users:seen            zset    known users scored by when they last wrote (unix seconds, the app's clock); those
//	                                 with no role who have been silent for FORGET_STRANGERS_AFTER are forgotten
//	<p>menus:version         string  the menu version (bot.MenuVersion) every known user's chat menu was set to;
//	                                 written only when a walk over all of them completes
//	<p>menus:walk            hash    version (being walked to), after (last user id done): the walk's progress
//	<p>menus:lease           string  token of the replica walking; PX lease, extended after each batch
//	<p>upgrades              set     names of the one-time upgrades done (Upgrade)
//	<p>sandbox               string  set by the sandbox on data it made (never by serve): it refuses a prefix without it
//	<p>inbox:pending         zset    actor ids whose inbox holds updates, scored by when it needs rescue: its lease's end (unix ms, Redis's clock)
//	<p>homes                 set     ids of every home; kept by the scripts that create homes (none deletes one).
//	                                 Data older than the index: Upgrade builds it from seq:home and the home
//	                                 hashes when it is missing, in one script, on every start (a no-op once built)
//	<p>{h<id>}:home          hash    name, tz (IANA), instr (calling instructions)
//	<p>{h<id>}:coordinators  set     user ids managing the home
//	<p>{h<id>}:teachers      set     user ids teaching at the home
//	<p>{h<id>}:children      zset    child ids, scored by when they were registered (unix ms)
//	<p>{h<id>}:child:<c>     hash    name, year (birth year, optional)
//	<p>{h<id>}:guardians:<c> hash    guardian user id → relationship ("" until chosen)
//	<p>{h<id>}:acted:<thing> hash    by (user), at (unix ms), link (the invitation that made the link): who acted first
//	                                 on a thing (unlink:<child>:<user>), to tell a later tap of the same standing
//	                                 button; TTL actedTTL
//	<p>{h<id>}:links:<c>     hash    guardian user id → id of the invitation that made their link to child c
//	<p>{h<id>}:invites       zset    ids of the home's open invitations, scored by expiry (unix ms)
//	<p>invite:<id>           hash    role, home, child, homes (comma list), exp (unix ms), link and typed (code digests),
//	                                 by (maker), admin ("1": made by an admin), used ("1" once redeemed); TTL until it expires
//	<p>invite:<id>:revoked   hash    by, at, and the invitation's role, home, child, homes, made (its maker): who revoked it, to tell
//	                                 (and check the rights of) a later tap; TTL actedTTL
//	<p>{u<id>}:acted         set     keys of the acted records that name the user, deleted with them by /forget
//	<p>code:<digest>         string  invitation id of a code (HMAC-SHA-256 hex under INVITE_KEY, which Redis never holds); TTL until it expires
//	<p>joins:pending         zset    "<home>.<child>.<user>.<invite>": join notices waiting, scored by when due (unix ms)
//	<p>joins:inflight        zset    the same, claimed by a replica, scored by when its lease ends (unix ms)
//	<p>{u<id>}:user (more)   hash    tz (IANA zone chosen in /settings; absent: the home's), shifts (JSON of homelink.Shifts)
//	<p>{h<id>}:hours         hash    json (homelink.Hours, Set true), v (version, bumped by every SetHours: Book
//	                                 refuses to write against hours it did not check), rd, rs, rn (the reminder
//	                                 offsets, ms, written with the JSON, for the scripts: remind_plan, remind_read)
//	<p>{h<id>}:call:<call>   hash    id, home, child, g (the guardian who booked it), start (unix ms), min (minutes),
//	                                 kind, note, state, series ("0": none), created, by, at (unix ms), reason,
//	                                 props (comma list of proposed starts, unix ms), exp (a request's expiry, unix ms),
//	                                 tmsgs (JSON: teacher id → outbox id of the request shown to them),
//	                                 cf ("1" once its confirmation was counted, or its standing call's)
//	<p>{h<id>}:calls         zset    every call id of the home, scored by start (unix ms): HomeCalls, history
//	<p>{h<id>}:lines         zset    "<call>:<minutes>" of the home's active calls, scored by start: each holds a line,
//	                                 read as intervals without the hashes (Availability, the capacity check)
//	<p>{h<id>}:childcalls:<c> zset   "<call>:<minutes>" of child c's active calls, scored by start
//	<p>{h<id>}:week:<week>   hash    state → calls that reached it in that ISO week (homelink.WeekOf, the home's zone)
//	                                 of the change; TTL weekTTL. The rule: requested, confirmed, declined and expired
//	                                 count requests, once each: requested when a call or a standing call is asked for
//	                                 (a standing call is ONE request; its renewals, a reschedule and a move of a
//	                                 standing call add none), confirmed the first time a call or standing call is
//	                                 confirmed (cf; confirmed again after a move: none), declined or expired once
//	                                 per request (the other occurrences a standing call's decline or expiry takes
//	                                 along: none). held, missed and cancelled count calls that would have been held:
//	                                 held and missed per occurrence, cancelled per call cancelled before its end
//	                                 (one that ended unmarked and is then removed by /forget or with its child: none;
//	                                 the occurrences a move replaces: none)
//	<p>{h<id>}:series:<s>    hash    id, home, child, g, day (weekday), minute (local start), min, kind, note, state,
//	                                 created, by, at, reason, last (local date of the last occurrence tried),
//	                                 cf ("1" once its confirmation was counted); state requested or confirmed
//	                                 while it lives, then cancelled, declined or expired; TTL the history
//	                                 retention once ended
//	<p>{h<id>}:seriescalls:<s> zset  call ids of the series's occurrences, scored by start
//	<p>{u<id>}:calls         zset    "<home>.<call>" of every call the guardian booked, scored by start: /calls,
//	                                 /mydata, /forget
//	<p>{u<id>}:series        zset    "<home>.<series>" of the guardian's standing calls, scored by creation (unix ms)
//	<p>{u<id>}:touched       zset    "<home>.<call>" and "<home>.s<series>" whose by or tmsgs name this staff member
//	                                 (written whenever one who is not the call's guardian changes a call or standing
//	                                 call, and by NoteRequestMessages for each teacher shown a request), scored by when
//	                                 the record goes (a call's end + the history retention; +inf while a standing call
//	                                 lives); members past their score are dropped as it is written. Forgetting the
//	                                 person (forget, strangers_forget) blanks by and drops their tmsgs entry there,
//	                                 then deletes it
//	<p>{agenda}:…            (package agenda) call.expire, call.ended, call.unmarked, call.forget keyed
//	                                 "<home>.<call>", series.renew keyed "<home>.<series>": put, moved and withdrawn
//	                                 by the scripts that change the call
//	<p>{h<id>}:mail:<c>      hash    child c's mailbox: item id → JSON record (_mail.lua: kind, file id, text or caption,
//	                                 sender, relationship, arrival, heard; a reply's guardians), every number a string
//	<p>{h<id>}:unread:<c>    zset    ids of child c's items waiting to be heard (left by guardians), scored by id
//	<p>{h<id>}:mailexp       zset    "<c>.<id>" of every item at the home, scored by when it goes (homelink.MailExpiry, ms):
//	                                 the daily mail.expire job deletes those past
//	<p>{h<id>}:mailday:<c>:<u>:<day>  string  items user u left for child c on day (their homelink.MailDay); TTL 2 days
//	                                 (kept by /forget, like the wrong-code counter: a limit is not reset by forgetting)
//	<p>{h<id>}:mailnoticed   hash    teacher id → when they were last told of new messages (ms): the next notice waits
//	                                 homelink.MailNoticeEvery
//	<p>{h<id>}:week:<week> (more)    mail.in, mail.out, mail.heard: items parents left, items of children's replies,
//	                                 items heard, in that week
//	<p>{u<id>}:mail          zset    "<home>.<c>.<id>" of the items the person left, replies sent to them or recorded
//	                                 by them, scored by arrival: /mydata, /forget
//	<p>{agenda}:… (more)             mail.notice "<home>.<teacher>", mail.heard and mail.reply "<home>.<c>.<id>",
//	                                 mail.expire "daily", put by the mailbox scripts (KindMail* in mailbox.go)
//	<p>{h<id>}:contact       hash    <c> → child c's last contact (unix ms: a call marked held, an item a guardian left,
//	                                 a reply of the child's; report.go), <c>:w → the home's week (WeekOf) of it; kept by
//	                                 call_mark, mail_leave and mail_reply (contact_note in _mail.lua), dropped with the child
//	<p>{h<id>}:week:<week> (more)    reached: children with a contact in that week, each counted at their first contact of
//	                                 the week (contact_note)
//	<p>{u<id>}:user (more)   hash    nudge:<c> (unix ms): when the guardian was last nudged about child c, who had no contact
//	                                 for a while (GapNudge); goes with the user hash (/forget), and with the child
//	<p>{agenda}:… (more)             rep.home "<home>", rep.to "<home>.<teacher>", rep.nudge "<home>.<guardian>",
//	                                 rep.coord and rep.sum "<coordinator>": the weekly reports (KindReport* in report.go)
//	<p>seq:home, seq:child, seq:invite, seq:call, seq:series, seq:mail  string  id counters
//
// <id> is the Telegram user id, or the chat id for updates without a user.
//
// Membership changes (redeeming an invitation, removing a child, forgetting
// a user) touch a home's keys and its members' user hashes in one script,
// so they need one Redis primary rather than a Cluster; see README.
type keys struct{ prefix string }

func (k keys) user(id int64) string     { return k.tagged(id, "user") }
func (k keys) session(id int64) string  { return k.tagged(id, "session") }
func (k keys) seen(id int64) string     { return k.tagged(id, "seen") }
func (k keys) inbox(id int64) string    { return k.tagged(id, "inbox") }
func (k keys) lock(id int64) string     { return k.tagged(id, "lock") }
func (k keys) codeFail(id int64) string { return k.tagged(id, "codefail") }
func (k keys) made(id int64) string     { return k.tagged(id, "made") }
func (k keys) pending() string          { return k.prefix + "inbox:pending" }
func (k keys) users() string            { return k.prefix + "users" }
func (k keys) lastSeen() string         { return k.prefix + "users:seen" }
func (k keys) upgrades() string         { return k.prefix + "upgrades" }
func (k keys) menuVersion() string      { return k.prefix + "menus:version" }
func (k keys) menuWalk() string         { return k.prefix + "menus:walk" }
func (k keys) menuLease() string        { return k.prefix + "menus:lease" }

func (k keys) homes() string               { return k.prefix + "homes" }
func (k keys) home(h int64) string         { return k.homeTagged(h, "home") }
func (k keys) coordinators(h int64) string { return k.homeTagged(h, "coordinators") }
func (k keys) teachers(h int64) string     { return k.homeTagged(h, "teachers") }
func (k keys) children(h int64) string     { return k.homeTagged(h, "children") }
func (k keys) homeInvites(h int64) string  { return k.homeTagged(h, "invites") }
func (k keys) child(h, c int64) string     { return k.homeTagged(h, "child:"+strconv.FormatInt(c, 10)) }
func (k keys) guardians(h, c int64) string {
	return k.homeTagged(h, "guardians:"+strconv.FormatInt(c, 10))
}
func (k keys) joinsPending() string               { return k.prefix + "joins:pending" }
func (k keys) joinsInFlight() string              { return k.prefix + "joins:inflight" }
func (k keys) acted(h int64, thing string) string { return k.homeTagged(h, "acted:"+thing) }
func (k keys) links(h, c int64) string            { return k.homeTagged(h, "links:"+strconv.FormatInt(c, 10)) }
func (k keys) inviteRevoked(id int64) string {
	return k.prefix + "invite:" + strconv.FormatInt(id, 10) + ":revoked"
}
func (k keys) invite(id int64) string    { return k.prefix + "invite:" + strconv.FormatInt(id, 10) }
func (k keys) code(digest string) string { return k.prefix + "code:" + digest }
func (k keys) seq(name string) string    { return k.prefix + "seq:" + name }

func (k keys) hours(h int64) string          { return k.homeTagged(h, "hours") }
func (k keys) call(h, id int64) string       { return k.homeTagged(h, "call:"+strconv.FormatInt(id, 10)) }
func (k keys) homeCalls(h int64) string      { return k.homeTagged(h, "calls") }
func (k keys) lines(h int64) string          { return k.homeTagged(h, "lines") }
func (k keys) week(h int64, w string) string { return k.homeTagged(h, "week:"+w) }
func (k keys) childCalls(h, c int64) string {
	return k.homeTagged(h, "childcalls:"+strconv.FormatInt(c, 10))
}
func (k keys) mailbox(h, c int64) string  { return k.homeTagged(h, "mail:"+strconv.FormatInt(c, 10)) }
func (k keys) unread(h, c int64) string   { return k.homeTagged(h, "unread:"+strconv.FormatInt(c, 10)) }
func (k keys) mailExp(h int64) string     { return k.homeTagged(h, "mailexp") }
func (k keys) mailNoticed(h int64) string { return k.homeTagged(h, "mailnoticed") }
func (k keys) contact(h int64) string     { return k.homeTagged(h, "contact") }
func (k keys) userMail(id int64) string   { return k.tagged(id, "mail") }

func (k keys) series(h, id int64) string { return k.homeTagged(h, "series:"+strconv.FormatInt(id, 10)) }
func (k keys) seriesCalls(h, id int64) string {
	return k.homeTagged(h, "seriescalls:"+strconv.FormatInt(id, 10))
}
func (k keys) userCalls(id int64) string  { return k.tagged(id, "calls") }
func (k keys) userSeries(id int64) string { return k.tagged(id, "series") }
func (k keys) touched(id int64) string    { return k.tagged(id, "touched") }

func (k keys) tagged(id int64, name string) string {
	return k.prefix + "{u" + strconv.FormatInt(id, 10) + "}:" + name
}

func (k keys) homeTagged(id int64, name string) string {
	return k.prefix + "{h" + strconv.FormatInt(id, 10) + "}:" + name
}

// Broadcasts (broadcast.go, _bc.lua):
//
//	<p>{b<id>}:bc            hash    json (homelink.Broadcast as composed), from (sender), created (ms), state (waiting,
//	                                 paused, done), kind (bc.send or bc.every), groups (how many zone groups),
//	                                 g<n> ("<zone>|<home>,…": group n's homes, which fire together), f<n> ("1" once
//	                                 group n of a once-only broadcast fired), left (groups of a once-only broadcast
//	                                 not fired yet), runs (the run counter)
//	<p>{b<id>}:fired         hash    "<group>:<due ms>" → run: the firing that started each run, so a retried agenda
//	                                 item finds its run instead of starting another
//	<p>{b<id>}:runs          zset    run numbers, scored by start (ms); the oldest beyond homelink.MaxRunsKept go
//	<p>{b<id>}:run:<n>       hash    from, homes, state (sending, cancelled, done), started, ended (ms), total (recipients
//	                                 found), placed (dealt with by chunks), queued, held (waiting for quiet hours),
//	                                 skipped (gone since), chunks, k:<mark> ("1": a chunk or held part counted), pid
//	                                 (outbox id of the progress message until sent), pc, pm (its chat and Telegram id),
//	                                 d, bl, c, f (the outbox's final counts: delivered, blocked, cancelled, failed by
//	                                 reason as JSON)
//	<p>{b<id>}:run:<n>:turn  string  "1" while a progress edit is not due again; PX homelink.ProgressEvery (Redis's clock),
//	                                 2 s when the run starts
//	<p>{u<id>}:bcs           zset    ids of the broadcasts the person sent, scored by creation (ms): /broadcasts,
//	                                 /mydata, /forget
//	<p>bc:active             zset    "<id>.<run>" of the runs the progress job follows, scored by start
//	<p>seq:bc                string  broadcast id counter
//	<p>{agenda}:… (more)             bc.send and bc.every "<id>.<group>", bc.chunk "<id>.<run>.<k>", bc.held
//	                                 "<id>.<run>.<k>.<n>"
func (k keys) broadcast(id int64) string     { return k.bcTagged(id, "bc") }
func (k keys) broadcastRuns(id int64) string { return k.bcTagged(id, "runs") }
func (k keys) broadcastRun(id, n int64) string {
	return k.bcTagged(id, "run:"+strconv.FormatInt(n, 10))
}
func (k keys) userBroadcasts(u int64) string { return k.tagged(u, "bcs") }
func (k keys) activeRuns() string            { return k.prefix + "bc:active" }
func (k keys) bcTagged(id int64, name string) string {
	return k.prefix + "{b" + strconv.FormatInt(id, 10) + "}:" + name
}
