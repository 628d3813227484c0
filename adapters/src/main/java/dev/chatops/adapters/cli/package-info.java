/** The command line: check, replay, serve, checks. */
package dev.chatops.adapters.cli;
