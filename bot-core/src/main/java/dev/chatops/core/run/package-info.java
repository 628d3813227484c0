/**
 * Running one check on one host: one transport session, its probes, the diagnosis. The check's
 * own code runs on threads of its own with a deadline, so a check stuck on hostile evidence, or
 * one that throws an {@link java.lang.Error}, gives an inconclusive report instead of holding the
 * host or killing the run.
 */
package dev.chatops.core.run;
