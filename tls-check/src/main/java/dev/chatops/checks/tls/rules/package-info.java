/** Deciding what is wrong with each certificate, and wording it as causes with fixes. */
package dev.chatops.checks.tls.rules;
