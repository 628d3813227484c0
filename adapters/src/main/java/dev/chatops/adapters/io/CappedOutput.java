package dev.chatops.adapters.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the first {@code max} bytes written to it and counts the rest, so a chatty command is
 * drained (it never blocks on a full pipe) yet costs bounded memory. The buffer grows with what
 * arrives: caps are set for the worst case (a 24 MiB config dump), and allocating them up front for
 * every probe of every host of a sweep ran the heap out where the output was a few kilobytes.
 */
public final class CappedOutput extends OutputStream {

    private static final int FIRST_CAPACITY = 8192;

    private final int max;
    private byte[] buf;
    private int size;
    private long dropped;

    public CappedOutput(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("the cap must not be negative, not " + max);
        }
        this.max = max;
        this.buf = new byte[Math.min(max, FIRST_CAPACITY)];
    }

    @Override
    public synchronized void write(int b) {
        if (size < max) {
            ensureCapacity(size + 1);
            buf[size++] = (byte) b;
        } else {
            dropped++;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(len, max - size);
        ensureCapacity(size + keep);
        System.arraycopy(b, off, buf, size, keep);
        size += keep;
        dropped += len - keep;
    }

    /** Bytes held now: at most the cap, and no more than twice what was kept (or the first 8 KiB). */
    synchronized int capacity() {
        return buf.length;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            int doubled = (int) Math.min((long) buf.length * 2, max);
            buf = Arrays.copyOf(buf, Math.max(needed, doubled));
        }
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
