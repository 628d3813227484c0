/** The allowlist: the only hosts the bot contacts, and how each is reached. */
package dev.chatops.core.host;
