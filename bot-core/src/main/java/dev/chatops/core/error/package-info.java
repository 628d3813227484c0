/** Failures users can act on, with a category that says whose move it is. */
package dev.chatops.core.error;
