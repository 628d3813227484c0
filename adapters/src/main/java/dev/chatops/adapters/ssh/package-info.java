/**
 * Probes over SSH (JSch): one verified connection per check run, one exec channel per probe.
 *
 * <p>Host keys are checked against {@code known_hosts} before anything is sent; unknown and changed
 * keys are refused with the fingerprint that was offered and the command that adds the right one.
 * Every probe is bounded three ways: by its byte cap (per stream), by its own timeout (enforced on
 * the host with {@code timeout(1)} and again here), and by the run's timeout. Probes that need root
 * run as {@code sudo -n <program> <fixed args>}; when sudo wants a password the result names the
 * sudoers line that would allow exactly that command.
 */
package dev.chatops.adapters.ssh;
