/**
 * The host around nginx: listening sockets, processes, systemd units, limits, disks, memory, kernel and audit
 * logs, and how each upstream address answered the follow-up.
 */
package dev.chatops.checks.nginx502.parse.host;
