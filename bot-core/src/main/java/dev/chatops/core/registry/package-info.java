/**
 * Finding check plugins with {@link java.util.ServiceLoader}, on the class path and in the
 * absolute folders a configuration names under {@code plugins:} (only those owned by root or the
 * bot's user and writable by nobody else), and reporting by name the ones that cannot be registered.
 */
package dev.chatops.core.registry;
