/** What nginx's configuration says to check: served certificates and HTTPS upstreams. */
package dev.chatops.checks.tls.target;
