/** The nginx502 check: why nginx answers 502 Bad Gateway, and the exact fix. */
package dev.chatops.checks.nginx502;
