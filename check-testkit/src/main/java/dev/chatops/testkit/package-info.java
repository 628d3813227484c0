/**
 * Testing a check plugin: replay recorded evidence through its diagnosis, run its probes on this
 * machine, or answer them from a script. Every way applies the {@link dev.chatops.core.shell.SudoRule},
 * so a probe that could not run under sudo fails the plugin's own tests, not a real host.
 */
package dev.chatops.testkit;
