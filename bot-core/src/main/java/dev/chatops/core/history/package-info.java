/**
 * What the bot remembers between runs: every report it gave, every sweep, and every answer an
 * engineer gave to "was this the cause?". One small interface, with an embedded store by default and
 * a shared one for several replicas. Reports are kept as redacted JSON only.
 */
package dev.chatops.core.history;
