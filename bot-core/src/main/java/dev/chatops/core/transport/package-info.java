/**
 * The port through which probes reach a host. Adapters implement it (SSH, local processes);
 * tests use a fake. One {@link dev.chatops.core.transport.TransportSession} serves one check run.
 */
package dev.chatops.core.transport;
