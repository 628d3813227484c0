/**
 * From a request (Slack, command line, schedule) to an answer: parsing the command text, the access
 * policy, the allowlist, refusals that say what is allowed, and then the cache, the host run limits
 * and the audit log, all behind {@link dev.chatops.core.dispatch.Dispatcher}.
 */
package dev.chatops.core.dispatch;
