/**
 * The probes' output assembled: each nginx master with its arguments, config, config-test verdict and logs, and
 * the whole host as one {@link dev.chatops.checks.nginx502.evidence.HostEvidence}, built from saved evidence alone
 * so a replay sees what the live run saw; and what the follow-up looks at, chosen from the first batch
 * ({@link dev.chatops.checks.nginx502.evidence.FollowUp}).
 */
package dev.chatops.checks.nginx502.evidence;
