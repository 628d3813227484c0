/**
 * nginx masters in containers, as the root helper reads them: which container each runs in, its config, and its
 * logs decoded from the runtime's log files (stderr the error log, stdout the access log).
 */
package dev.chatops.checks.nginx502.parse.container;
