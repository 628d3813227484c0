/** The report of one request: a diagnosis and how it was obtained, the input of every renderer. */
package dev.chatops.core.report;
