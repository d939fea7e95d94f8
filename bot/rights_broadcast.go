package bot

import (
	"context"
	"fmt"
	"time"
)

// What /mydata says of broadcasts: those the person sent that are kept,
// with what they wrote, to whom, when, and how each run went (counts
// only: never who received it). /forget deletes them all, and stops a run
// still sending.

type broadcastDoc struct {
	Audience string   `json:"audience"`
	Homes    []string `json:"homes"`
	Texts    []string `json:"your_texts"`
	Photo    bool     `json:"with_photo,omitempty"`
	Urgent   bool     `json:"urgent,omitempty"`
	Schedule string   `json:"schedule"`
	State    string   `json:"state"`
	Created  string   `json:"created_at"`
	Runs     []runDoc `json:"runs,omitempty"`
}

type runDoc struct {
	Started   string `json:"started_at"`
	State     string `json:"state"`
	Recipient int    `json:"recipients"`
	Delivered int    `json:"delivered"`
	Blocked   int    `json:"blocked_the_bot"`
	Failed    int    `json:"not_delivered"`
}

// broadcastDocs are the broadcasts the person sent, for /mydata.
func (b *Bot) broadcastDocs(ctx context.Context, r *request) ([]broadcastDoc, error) {
	list, _, err := b.Store.Broadcasts(ctx, r.user.ID)
	if err != nil {
		return nil, fmt.Errorf("bot: broadcasts of %d: %w", r.user.ID, err)
	}
	zone := b.zoneOf(ctx, r.user)
	var out []broadcastDoc
	for _, bc := range list {
		d := broadcastDoc{Audience: string(bc.Audience), Urgent: bc.Urgent, State: string(bc.State),
			Created: bc.Created.In(zone).Format(time.RFC3339), Schedule: "now"}
		switch {
		case bc.Rule != "":
			d.Schedule = bc.Rule
		case bc.Once != "":
			d.Schedule = "once at " + bc.Once
		}
		homes, err := b.Store.Homes(ctx, bc.Homes)
		if err != nil {
			return nil, err
		}
		for _, h := range homes {
			d.Homes = append(d.Homes, h.Name)
		}
		for _, v := range bc.Versions {
			d.Texts = append(d.Texts, plainText(v.Text))
			d.Photo = d.Photo || v.Photo != ""
		}
		runs, err := b.Store.BroadcastRuns(ctx, bc.ID)
		if err != nil {
			return nil, err
		}
		for _, run := range runs {
			d.Runs = append(d.Runs, runDoc{Started: run.Started.In(zone).Format(time.RFC3339), State: string(run.State),
				Recipient: run.Total, Delivered: run.Delivered, Blocked: run.Blocked, Failed: run.FailedTotal()})
		}
		out = append(out, d)
	}
	return out, nil
}
