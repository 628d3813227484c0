package dev.chatops.core.testing;

import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;

/** An audit log that keeps its entries for a test to read. */
public final class RecordingAuditLog implements AuditLog {

    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized void record(AuditEntry entry) {
        entries.add(entry);
    }

    public synchronized List<AuditEntry> entries() {
        return List.copyOf(entries);
    }
}
