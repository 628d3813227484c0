package dev.chatops.core.audit;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The audit log as a file of JSON lines ({@link AuditEntry#toJson()}), appended to and flushed after
 * every line, so a crash loses at most the line being written. Lines from several threads never
 * interleave. A new file is readable by its owner and group only.
 *
 * <p>The file is opened on the first entry (commands that run nothing do not touch it), or at once
 * by {@link #open()} for a long-running bot that should refuse to start without its audit log.
 */
public final class JsonLinesAuditLog implements AuditLog, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JsonLinesAuditLog.class.getName());

    private final Path file;
    private BufferedWriter out;
    private boolean failing;

    public JsonLinesAuditLog(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    public Path file() {
        return file;
    }

    /** Opens the file now. @throws BotException (bad input) when it cannot be created or appended to */
    public synchronized void open() {
        if (out != null) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(file) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw BotException.badInput("cannot open the audit log " + file + " (audit.file) for appending: " + e
                    + "; fix the path or its permissions");
        }
    }

    @Override
    public synchronized void record(AuditEntry entry) {
        String line = entry.toJson();
        try {
            open();
            out.write(line);
            out.write('\n');
            out.flush();
            failing = false;
        } catch (IOException | BotException e) {
            // said once per outage, not once per request
            if (!failing) {
                LOG.log(System.Logger.Level.ERROR, "cannot write to the audit log " + file + ": " + e.getMessage());
            }
            failing = true;
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the audit log " + file + ": " + e);
        }
        out = null;
    }
}
