/**
 * What a rule says: the catalogue of cause ids ({@link dev.chatops.checks.nginx502.finding.CauseId}), the named
 * confidence levels causes are ranked by, and the finding a rule builds (a cause with its headline).
 */
package dev.chatops.checks.nginx502.finding;
