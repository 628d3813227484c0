/** The saved-evidence file: what {@code --save-evidence} writes and {@code replay} reads. */
package dev.chatops.core.evidence;
