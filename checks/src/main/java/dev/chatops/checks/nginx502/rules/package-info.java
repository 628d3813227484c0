/**
 * The rules: one per family of causes of nginx502-causes.md, each correlating an incident's log lines with what the
 * host shows now and declaring the cause ids it can name; {@link dev.chatops.checks.nginx502.rules.Rules} lists them.
 */
package dev.chatops.checks.nginx502.rules;
