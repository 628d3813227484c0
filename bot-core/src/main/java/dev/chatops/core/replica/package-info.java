/**
 * Several bot processes (replicas) serving one configuration through one shared store: a scheduled
 * sweep is posted once per slot ({@link dev.chatops.core.replica.SweepSlots}), and a check on a host
 * runs once across replicas within the cache's time to live ({@link dev.chatops.core.replica.RunSharing}).
 * Both rest on leases ({@link dev.chatops.core.replica.ReplicaStore}): a named row one replica holds
 * until a time it keeps pushing back while it works, which another takes over once it has passed.
 */
package dev.chatops.core.replica;
