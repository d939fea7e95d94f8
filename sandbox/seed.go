package sandbox

import (
	"context"
	"fmt"

	"github.com/homelink/homelink"
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
func seed(ctx context.Context, st *store.Store, clock homelink.Clock) error {
	coord, teacher, mom, dad := demoPeople[0], demoPeople[1], demoPeople[2], demoPeople[3]
	join := func(by homelink.By, inv homelink.Invite, user int64, lang string) error {
		inv.MadeBy, inv.ByAdmin = by.User, by.Admin
		inv.Link, inv.Typed = homelink.NewInviteCodes()
		inv.ExpiresAt = clock.Now().Add(homelink.DefaultInviteTTL)
		inv, err := st.CreateInvite(ctx, inv)
		if err != nil {
			return err
		}
		_, err = st.RedeemInvite(ctx, inv.ID, user, lang)
		return err
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
	}
	return nil
}
