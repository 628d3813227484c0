/**
 * The {@link dev.chatops.core.history.History} kept in a SQL database: an embedded SQLite file by
 * default, or a shared PostgreSQL server for several replicas. Both use the same schema, created and
 * upgraded by versioned migrations when the store is opened.
 */
package dev.chatops.store;
