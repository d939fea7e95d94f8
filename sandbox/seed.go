package sandbox

import (
	"context"
	"fmt"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// The demonstration's people: their Telegram ids, names and the language
// their Telegram app reports. The seed makes them a coordinator, a teacher
// and two parents; their phones are labelled with what the store says they
// are, so without the seed they are nobody yet.
var demoPeople = []struct {
	ID         int64
	Name, Lang string
}{
	{1001, "周主任", "zh-hans"},
	{1002, "王老师", "zh-hans"},
	{1003, "李秀兰", "zh-hans"},
	{1004, "Zhang Jian", "en"},
}

// DemoHome is the home seeded on first start.
const DemoHome = "Qingxi Village Children's Home"

// seed creates the demonstration through the store's own operations, as
// the users' taps would: a coordinator redeems a coordinator invitation
// and creates the home; a teacher redeems a teacher invitation; two
// children are registered; their parents redeem guardian invitations and
// say how they are related. The English-speaking father joins in English.
// Then the home gets its call hours, 小明's mother a confirmed call on the
// coming Saturday and Zhang Jian a request the teacher has yet to answer,
// and a voice note from 小明's mother waits in the child's mailbox.
func seed(ctx context.Context, st *store.Store, b *bot.Bot, clock homelink.Clock) error {
	coord, teacher, mom, dad := demoPeople[0], demoPeople[1], demoPeople[2], demoPeople[3]
	join := func(by homelink.By, inv homelink.Invite, user int64, lang string) error {
		inv.MadeBy, inv.ByAdmin = by.User, by.Admin
		inv.Link, inv.Typed = homelink.NewInviteCodes()
		inv.ExpiresAt = clock.Now().Add(homelink.DefaultInviteTTL)
		inv, err := st.CreateInvite(ctx, inv)
		if err != nil {
			return err
		}
		if _, err = st.RedeemInvite(ctx, inv.ID, user, lang); err != nil {
			return err
		}
		// Their Telegram first name, as the bot keeps it when they write.
		for _, p := range demoPeople {
			if p.ID == user {
				return st.NameIfNone(ctx, user, p.Name)
			}
		}
		return nil
	}
	byCoord, byTeacher := homelink.By{User: coord.ID}, homelink.By{User: teacher.ID}
	if err := join(homelink.By{Admin: true}, homelink.Invite{Role: homelink.RoleCoordinator}, coord.ID, "zh-Hans"); err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	home, err := st.CreateHome(ctx, byCoord, homelink.Home{Name: DemoHome, TimeZone: "Asia/Shanghai",
		Instructions: "电话 / Phone 0851-8888-6666（周六、周日 9:00–17:00）"})
	if err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	if err := join(byCoord, homelink.Invite{Role: homelink.RoleTeacher, HomeID: home.ID}, teacher.ID, "zh-Hans"); err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	var kids []int64
	for _, c := range []struct {
		name     string
		year     int
		guardian int64
		rel      homelink.Relationship
		lang     string
	}{
		{"小明", 2016, mom.ID, homelink.Mother, "zh-Hans"},
		{"丽丽", 2017, dad.ID, homelink.Father, "en"},
	} {
		child, err := st.AddChild(ctx, byTeacher, homelink.Child{HomeID: home.ID, Name: c.name, BirthYear: c.year})
		if err != nil {
			return fmt.Errorf("sandbox: seed: %w", err)
		}
		if err := join(byTeacher, homelink.Invite{Role: homelink.RoleGuardian, HomeID: home.ID, ChildID: child.ID}, c.guardian, c.lang); err != nil {
			return fmt.Errorf("sandbox: seed: %w", err)
		}
		if err := st.SetRelationship(ctx, home.ID, child.ID, c.guardian, c.rel); err != nil {
			return fmt.Errorf("sandbox: seed: %w", err)
		}
		kids = append(kids, child.ID)
	}
	if err := seedCalls(ctx, st, b, clock, home, kids); err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	if err := seedMail(ctx, st, clock, home, kids[0]); err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	return nil
}

// DemoVoiceNote is the file id of the voice note 小明's mother left; the
// sandbox's page plays a sound for it as for every voice note.
const DemoVoiceNote = "sandbox-voice-from-mother"

// seedMail leaves a voice note from 小明's mother in the child's mailbox,
// as her /message would: the store plans the teacher's notice with it.
func seedMail(ctx context.Context, st *store.Store, clock homelink.Clock, home homelink.Home, child int64) error {
	loc, err := time.LoadLocation(home.TimeZone)
	if err != nil {
		return err
	}
	mom := demoPeople[2].ID
	_, _, err = st.LeaveMessage(ctx, homelink.By{User: mom}, home.ID, child,
		homelink.MailItem{Kind: homelink.MailVoice, FileID: DemoVoiceNote}, homelink.MailDay(clock.Now(), loc), homelink.DefaultMailDailyLimit)
	return err
}

// DemoHours are the demonstration home's call hours: Saturday 09:00–11:30
// and Sunday 14:00–17:00, 15-minute slots, two lines.
var DemoHours = homelink.Hours{
	Windows: []homelink.Window{
		{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30},
		{Day: time.Sunday, Start: 14 * 60, End: 17 * 60},
	},
	SlotMinutes: 15, Lines: 2,
}

// seedCalls sets the home's hours as its teacher would, books 小明's
// mother a call at 10:00 on the coming Saturday that the teacher confirms,
// and has Zhang Jian ask for 15:00 on the Sunday after it: each through
// the store's operations, the people told as their taps would tell them.
func seedCalls(ctx context.Context, st *store.Store, b *bot.Bot, clock homelink.Clock, home homelink.Home, kids []int64) error {
	teacher, mom, dad := demoPeople[1].ID, demoPeople[2].ID, demoPeople[3].ID
	if err := st.SetHours(ctx, homelink.By{User: teacher}, home.ID, DemoHours); err != nil {
		return err
	}
	loc, err := time.LoadLocation(home.TimeZone)
	if err != nil {
		return err
	}
	saturday := comingSaturday(clock.Now().In(loc))
	call, err := st.Book(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: home.ID, ChildID: kids[0],
		Start: saturday.Add(10 * time.Hour), Kind: homelink.VideoCall, MaxUpcoming: homelink.DefaultMaxUpcoming})
	if err != nil {
		return err
	}
	if call, err = st.Decide(ctx, homelink.By{User: teacher}, home.ID, call.ID, homelink.Confirmed); err != nil {
		return err
	}
	if err := b.Confirmed(ctx, call); err != nil {
		return err
	}
	request, err := st.Book(ctx, homelink.By{User: dad}, homelink.BookingRequest{HomeID: home.ID, ChildID: kids[1],
		Start: saturday.AddDate(0, 0, 1).Add(15 * time.Hour), Kind: homelink.VoiceCall,
		Note: "Lili's birthday is on Monday", MaxUpcoming: homelink.DefaultMaxUpcoming})
	if err != nil {
		return err
	}
	return b.Requested(ctx, request)
}

// comingSaturday is local midnight of the next Saturday whose calls still
// lie more than a day ahead of now, so the demonstration's request is not
// about to expire.
func comingSaturday(now time.Time) time.Time {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for day.Weekday() != time.Saturday || day.Add(10*time.Hour).Sub(now) < 26*time.Hour {
		day = day.AddDate(0, 0, 1)
	}
	return day
}
