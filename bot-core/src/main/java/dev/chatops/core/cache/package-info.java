/**
 * Reusing reports: a result per (check, host) kept for {@code cache.ttl}, unreachable results only
 * briefly, and one shared run for requests that arrive while the same run is in flight. Time comes
 * from an injected Caffeine {@link com.github.benmanes.caffeine.cache.Ticker}.
 */
package dev.chatops.core.cache;
