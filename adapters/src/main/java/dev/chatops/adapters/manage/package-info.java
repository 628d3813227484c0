/**
 * The management port: {@code /healthz} (is every part of the bot working) and {@code /metrics}
 * (the bot's counters in the Prometheus text format, through Micrometer).
 */
package dev.chatops.adapters.manage;
