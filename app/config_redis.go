package app

import (
	"net/url"

	"github.com/redis/go-redis/v9"
)

// isSentinelURL reports whether a REDIS_URL names Sentinels (the URL form
// of a failover client: a master_name parameter).
func isSentinelURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && u.Query().Has("master_name")
}

// RedisClient makes the Redis client REDIS_URL and the Sentinel settings
// describe: a failover client following the primary the Sentinels name,
// or a plain one. Commands time out with their context; the pool holds
// at least poolSize connections.
func (c Config) RedisClient(poolSize int) (*redis.Client, error) {
	var fo *redis.FailoverOptions
	switch {
	case isSentinelURL(c.RedisURL):
		var err error
		if fo, err = redis.ParseFailoverURL(c.RedisURL); err != nil {
			return nil, err
		}
	case len(c.RedisSentinelAddrs) > 0:
		opt, err := redis.ParseURL(c.RedisURL)
		if err != nil {
			return nil, err
		}
		fo = &redis.FailoverOptions{MasterName: c.RedisSentinelMaster, SentinelAddrs: c.RedisSentinelAddrs,
			SentinelPassword: c.RedisSentinelPassword, Username: opt.Username, Password: opt.Password,
			DB: opt.DB, TLSConfig: opt.TLSConfig}
	default:
		opt, err := redis.ParseURL(c.RedisURL)
		if err != nil {
			return nil, err
		}
		opt.ContextTimeoutEnabled = true
		opt.PoolSize = max(opt.PoolSize, poolSize)
		return redis.NewClient(opt), nil
	}
	fo.ContextTimeoutEnabled = true
	fo.PoolSize = max(fo.PoolSize, poolSize)
	return redis.NewFailoverClient(fo), nil
}

// RedactedRedisURL is REDIS_URL with every password hidden (the user's,
// and a Sentinel URL's password parameter), for messages.
func (c Config) RedactedRedisURL() string {
	u, err := url.Parse(c.RedisURL)
	if err != nil {
		return "(unparseable REDIS_URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
