// Package homelink holds the domain of homelink: the people, homes and rules
// that keep left-behind children in touch with their parents.
//
// It knows nothing of Telegram or Redis. Adapters (package bot for Telegram,
// package store for Redis) depend on it, never the other way round, so its
// rules are tested fast and a second messenger could be added later.
package homelink
