/**
 * How many host runs may happen at once: a global limit on simultaneous runs, one run per host at a
 * time, and a bounded queue for the rest. No lock is held while a run is in flight, so a slow or dead
 * host holds one slot (until its transport deadline) and nothing else.
 */
package dev.chatops.core.limit;
