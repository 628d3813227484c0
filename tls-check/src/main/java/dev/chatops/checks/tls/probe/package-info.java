/** The tls check's probes (fixed scripts, values from the config validated and quoted) and the reading of their output. */
package dev.chatops.checks.tls.probe;
