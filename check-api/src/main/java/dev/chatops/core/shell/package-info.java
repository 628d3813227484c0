/** Shell quoting for values taken from a host's own data; user text never reaches a shell. */
package dev.chatops.core.shell;
