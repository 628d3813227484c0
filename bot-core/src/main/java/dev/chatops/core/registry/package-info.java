/**
 * Finding check plugins with {@link java.util.ServiceLoader}, on the class path and in a
 * {@code plugins/} folder, and reporting by name the ones that cannot be registered.
 */
package dev.chatops.core.registry;
