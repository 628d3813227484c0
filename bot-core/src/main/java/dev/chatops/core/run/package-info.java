/** Running one check on one host: one transport session, its probes, the diagnosis. */
package dev.chatops.core.run;
