package outbox

import "context"

// claimForTest claims one message as a worker would, and does nothing
// more with it: a worker that died.
func (o *Outbox) claimForTest(ctx context.Context, token string) (string, bool) {
	for i := 0; i < 100; i++ {
		res, err := o.claim(ctx, token)
		if err != nil {
			return "", false
		}
		if res[0] == "go" {
			return res[1].(string), true
		}
	}
	return "", false
}
