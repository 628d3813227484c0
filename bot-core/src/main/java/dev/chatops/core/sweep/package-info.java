/**
 * Fleet sweeps: one check across the hosts of a schedule, in parallel within the bot's limits,
 * summed up worst first for a morning post, and fired on time by a cron-driven scheduler. Posting
 * goes through the {@link dev.chatops.core.sweep.SweepPublisher} port, which the Slack adapter
 * implements.
 */
package dev.chatops.core.sweep;
