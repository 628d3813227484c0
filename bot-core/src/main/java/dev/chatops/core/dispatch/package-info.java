/**
 * From a request (Slack, command line, schedule) to a run: parsing the command text, the access
 * policy, the allowlist, and refusals that say what is allowed.
 */
package dev.chatops.core.dispatch;
