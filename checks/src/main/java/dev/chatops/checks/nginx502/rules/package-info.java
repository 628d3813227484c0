/**
 * The diagnosis: one rule per family of causes of nginx502-causes.md, each correlating log lines with what the
 * host shows now, ranked by confidence, with the notes an engineer would add.
 */
package dev.chatops.checks.nginx502.rules;
