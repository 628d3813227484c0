/**
 * The probes' output read back, step one: the {@code @@nginx502} section format every probe script writes
 * ({@link dev.chatops.checks.nginx502.parse.Sections}), and below it one package per thing a probe reports on:
 * the host, php-fpm, containers.
 */
package dev.chatops.checks.nginx502.parse;
