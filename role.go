package homelink

// Role is what a person is to homelink. One account may hold several: a
// teacher may also be a parent.
type Role string

// The roles an invitation can give.
const (
	RoleCoordinator Role = "coordinator"
	RoleTeacher     Role = "teacher"
	RoleGuardian    Role = "guardian"
)

// Valid reports whether r is a role an invitation can carry.
func (r Role) Valid() bool {
	return r == RoleCoordinator || r == RoleTeacher || r == RoleGuardian
}

// Relationship is how a guardian is related to a child.
type Relationship string

// The relationships a guardian chooses from after linking.
const (
	Mother        Relationship = "mother"
	Father        Relationship = "father"
	Grandparent   Relationship = "grandparent"
	OtherGuardian Relationship = "guardian"
)

// Relationships lists the choices in the order they are offered.
var Relationships = []Relationship{Mother, Father, Grandparent, OtherGuardian}

// Valid reports whether r is one of Relationships.
func (r Relationship) Valid() bool {
	for _, x := range Relationships {
		if r == x {
			return true
		}
	}
	return false
}

// Guardianship links a guardian to one child.
type Guardianship struct {
	HomeID       int64
	Relationship Relationship // empty until the guardian chose one
}

// Roles is everything one account may do, by home and by child. It is the
// single source for authorization decisions.
type Roles struct {
	// Admin is set for the accounts the deployment lists in ADMIN_IDS.
	Admin bool
	// Coordinator is set once an account accepted a coordinator invitation,
	// even before it manages any home.
	Coordinator bool
	// Coordinates holds the homes the account manages.
	Coordinates map[int64]bool
	// Teaches holds the homes the account teaches at.
	Teaches map[int64]bool
	// Guards holds the children the account is a guardian of, by child id.
	Guards map[int64]Guardianship
}

// ManagesHome reports whether the account may manage home h.
func (r Roles) ManagesHome(h int64) bool { return r.Coordinates[h] }

// TeachesAt reports whether the account teaches at home h.
func (r Roles) TeachesAt(h int64) bool { return r.Teaches[h] }

// GuardianOf reports whether the account is a guardian of child c.
func (r Roles) GuardianOf(c int64) bool {
	_, ok := r.Guards[c]
	return ok
}

// IsCoordinator reports whether the account is a coordinator.
func (r Roles) IsCoordinator() bool { return r.Coordinator || len(r.Coordinates) > 0 }

// IsTeacher reports whether the account teaches at any home.
func (r Roles) IsTeacher() bool { return len(r.Teaches) > 0 }

// IsGuardian reports whether the account is linked to any child.
func (r Roles) IsGuardian() bool { return len(r.Guards) > 0 }

// Any reports whether the account holds any role at all (or is an admin):
// false for someone who has not joined, or who has left.
func (r Roles) Any() bool { return r.Admin || r.IsStaff() || r.IsGuardian() }

// IsStaff reports whether the account works for a home in any role.
func (r Roles) IsStaff() bool { return r.IsCoordinator() || r.IsTeacher() }

// Departure is a guardian's link that forgetting them removed, so the
// home's teachers can be told, with the calls still ahead that it
// cancelled.
type Departure struct {
	HomeID, ChildID int64
	Relationship    Relationship
	// Cancelled are the guardian's active calls with the child that had
	// not ended, cancelled by forgetting them (their record is deleted:
	// these copies are all that is left).
	Cancelled []Booking
}

// JoinNotice is the notice to a home's teachers that a guardian joined:
// which link (the invitation that made it) to whom.
type JoinNotice struct {
	HomeID, ChildID, UserID, Invite int64
}
