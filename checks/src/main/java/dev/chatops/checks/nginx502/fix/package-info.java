/**
 * The words of a fix: where it goes in an nginx config (the location that served the failing requests, or the
 * line of an address), and a host's values in a suggested command (validated, quoted, or a placeholder).
 */
package dev.chatops.checks.nginx502.fix;
