/** Keeping secrets out of anything quoted to people. */
package dev.chatops.core.redact;
