/**
 * The counters the bot keeps about its own work (checks run, cache use, transport failures),
 * behind one interface with a no-op default; the adapters publish them.
 */
package dev.chatops.core.metrics;
