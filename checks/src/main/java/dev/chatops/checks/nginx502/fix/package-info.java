/** Where a fix goes in an nginx config: the location that served the failing requests, or the line of an address. */
package dev.chatops.checks.nginx502.fix;
