package dev.chatops.adapters.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@code max} bytes written to it and counts the rest, so a chatty command is
 * drained (it never blocks on a full pipe) yet costs bounded memory.
 */
public final class CappedOutput extends OutputStream {

    private final byte[] buf;
    private int size;
    private long dropped;

    public CappedOutput(int max) {
        this.buf = new byte[max];
    }

    @Override
    public synchronized void write(int b) {
        if (size < buf.length) {
            buf[size++] = (byte) b;
        } else {
            dropped++;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(len, buf.length - size);
        System.arraycopy(b, off, buf, size, keep);
        size += keep;
        dropped += len - keep;
    }

    /** Copies the stream into this until it ends. */
    public void drain(InputStream in) throws IOException {
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            write(chunk, 0, n);
        }
    }

    public synchronized boolean truncated() {
        return dropped > 0;
    }

    /** The kept bytes as UTF-8, without a multi-byte character cut in half at the cap. */
    public synchronized String text() {
        int end = size;
        if (dropped > 0) {
            int continuation = 0;
            while (continuation < 3 && end - continuation - 1 >= 0 && (buf[end - continuation - 1] & 0xC0) == 0x80) {
                continuation++;
            }
            int lead = end - continuation - 1;
            if (lead >= 0 && (buf[lead] & 0xC0) == 0xC0 && continuation + 1 < sequenceLength(buf[lead])) {
                end = lead;
            }
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }

    private static int sequenceLength(byte lead) {
        return (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
    }
}
