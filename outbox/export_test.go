package outbox

import "context"

// claimForTest claims one message as a worker would, and does nothing
// more with it: a worker that died.
func (o *Outbox) claimForTest(ctx context.Context, token string) (string, bool) {
	global, paid, chat, group := o.intervals()
	for i := 0; i < 100; i++ {
		res, err := o.scripts["claim"].Run(ctx, o.rdb,
			[]string{o.k.lane(0), o.k.lane(1), o.k.lane(2), o.k.inflight(), o.k.tat(), o.k.tatPaid(), o.k.pause()},
			o.k.base(), o.opt.Lease.Milliseconds(), global, paid, chat, o.opt.ChatBurst, group,
			int(o.opt.GroupPerMinute), 20, token).Slice()
		if err != nil {
			return "", false
		}
		if res[0] == "go" {
			return res[1].(string), true
		}
	}
	return "", false
}
