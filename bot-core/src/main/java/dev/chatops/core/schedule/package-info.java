/**
 * Recurring fleet checks whose summaries are posted to a channel: the schedule as configured, and
 * the five-field cron expressions that say when, read in the schedule's time zone.
 */
package dev.chatops.core.schedule;
