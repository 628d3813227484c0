/**
 * Pasted log lines, read with no host behind them: which lines are nginx's error or access log, php-fpm's
 * log or the kernel's, which causes of the catalogue they support, the fix in general form and the commands
 * that confirm it on the host.
 */
package dev.chatops.checks.nginx502.explain;
