/** Bounded capture of command output, shared by the transports. */
package dev.chatops.adapters.io;
