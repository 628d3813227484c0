/**
 * JSON text a host wrote (docker's json-file lines, nginx's {@code escape=json} logs, the journal's JSON), read
 * strictly: the one place that decides what a backslash in such a string means.
 */
package dev.chatops.checks.nginx502.parse.json;
