/**
 * From evidence to the diagnosis: {@link dev.chatops.checks.nginx502.report.Diagnoser} runs every rule over every
 * running nginx instance, drops fixes that are already in effect, ranks the causes and adds the notes an engineer
 * would (what clients got, servers that are fine, past incidents, what could not be read).
 */
package dev.chatops.checks.nginx502.report;
