/**
 * The probes of the nginx502 check: fixed, read-only shell scripts shipped as resources (the first batch)
 * and the follow-up built from what the first batch found, with every host value validated and quoted.
 */
package dev.chatops.checks.nginx502.probe;
