/**
 * Renderers: one report, drawn as text for terminals and as the JSON contract, with host text
 * redacted and its control and bidi characters made inert ({@link dev.chatops.adapters.render.HostText}).
 */
package dev.chatops.adapters.render;
