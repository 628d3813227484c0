/**
 * The tls check, a plugin loaded from a plugins/ folder: {@code probe} reads nginx's configuration and
 * then only what it names, {@code target} turns the configuration into what to check, {@code cert} decodes
 * and judges certificates in Java, {@code rules} turns that into causes with fixes.
 */
package dev.chatops.checks.tls;
