/** Recurring fleet checks whose summaries are posted to a channel. */
package dev.chatops.core.schedule;
