/**
 * The audit log: one line per request from any front end, allowed or denied, with who asked,
 * where, for what, what was decided and why, and how it went. Host names, check names and user and
 * channel ids only; never tokens, command output or evidence.
 */
package dev.chatops.core.audit;
