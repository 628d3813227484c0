/**
 * The nginx configuration as {@code nginx -T} prints it, parsed into a tree that keeps the file and
 * line of every directive: server and location lookup for a request, {@code *_pass} targets resolved
 * through variables and upstream blocks, inherited timeouts and buffers, and the logs each server
 * writes.
 */
package dev.chatops.nginx.config;
