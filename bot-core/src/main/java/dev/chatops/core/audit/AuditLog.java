package dev.chatops.core.audit;

/**
 * Where audit entries go. Implementations must be safe to call from several threads at once and
 * must not throw: a request is never refused because its audit line could not be written.
 */
public interface AuditLog {

    /** Records one request's entry. */
    void record(AuditEntry entry);

    /** An audit log that keeps nothing, for when {@code audit.file} is not set. */
    static AuditLog none() {
        return entry -> { };
    }
}
