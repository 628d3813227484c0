/**
 * nginx's logs: error-log lines classified by errno number and fixed phrases, access-log lines read with any
 * {@code log_format}, and the time window judged by the host's clock.
 */
package dev.chatops.nginx.log;
