/**
 * Shell shared by the probes of checks that read the configuration nginx runs with: which masters root
 * runs, the binary each really runs, its own {@code -p}/{@code -c}, and {@code nginx -T} or the files read
 * one by one. Fixed text: nothing from a user or a host is ever put into it.
 */
package dev.chatops.nginx.probe;
