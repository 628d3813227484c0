/**
 * One nginx instance's window digested for the rules: its upstream errors grouped into failures mapped to the
 * config, what clients got, errors from before the window, and what the host shows about each backend address.
 */
package dev.chatops.checks.nginx502.incident;
