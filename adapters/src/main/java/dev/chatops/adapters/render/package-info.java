/** Renderers: one report, drawn as text for terminals and as the JSON contract. */
package dev.chatops.adapters.render;
