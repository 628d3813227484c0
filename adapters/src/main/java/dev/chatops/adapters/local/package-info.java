/** Probes run as processes on the bot's own machine, for {@code transport: local} hosts. */
package dev.chatops.adapters.local;
