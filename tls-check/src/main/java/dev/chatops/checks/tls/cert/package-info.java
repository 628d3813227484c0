/** Certificates decoded from PEM text in Java: names, chains. No I/O. */
package dev.chatops.checks.tls.cert;
