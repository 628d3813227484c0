package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.render.JsonRenderer;
import dev.chatops.core.dispatch.AnswerSink;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.history.HistoryWriter;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Cause;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps every report the bot gives in the history, as the JSON renderer writes it (redacted), with
 * who asked and where. Rendering and saving happen on a thread of its own, so neither they nor a slow
 * or unreachable store hold up an answer; when the store falls behind by more than {@value #BACKLOG}
 * reports the newest are not kept, and that is logged once.
 */
final class ReportArchive implements AnswerSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReportArchive.class.getName());
    static final int BACKLOG = 1000;

    private final HistoryWriter writer;
    private final JsonRenderer json = new JsonRenderer();
    private final ExecutorService saving;
    private final AtomicBoolean saidFull = new AtomicBoolean();

    ReportArchive(HistoryWriter writer) {
        this.writer = requireNonNull(writer, "writer is null");
        this.saving = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
            Thread t = new Thread(r, "chatops-history");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void answered(CheckRequest request, CheckRun run) {
        Report report = run.report();
        try {
            // rendered on the saving thread too: the answer is handed on without waiting for it
            saving.execute(() -> save(request, report));
            saidFull.set(false);
        } catch (RejectedExecutionException e) {
            if (saidFull.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.ERROR, "the history store is " + BACKLOG + " reports behind, so new "
                        + "reports are not kept until it catches up; answers are still given");
            }
        }
    }

    private void save(CheckRequest request, Report report) {
        StoredReport stored;
        try {
            stored = stored(request, report);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not render report " + request.id() + " for the history; it is "
                    + "not kept", e);
            return;
        }
        writer.saveReport(stored);
    }

    /**
     * The report as kept, under the request's id (which Slack's buttons name it by): the JSON
     * renderer's redacted output, who asked and in which channel.
     */
    StoredReport stored(CheckRequest request, Report report) {
        Requester requester = request.requester();
        return new StoredReport(request.id(), report.check(), report.host(), report.collectedAt(),
                report.verdict(), report.causes().stream().findFirst().map(Cause::id).orElse(""), who(requester),
                requester.channel(), json.render(report));
    }

    /** A Slack user id as is; {@code cli:<local user>} and {@code schedule:<name>} otherwise. */
    static String who(Requester requester) {
        return requester.isSlack() ? requester.user() : requester.via() + ":" + requester.user();
    }

    /** Saves what is still waiting, for a few seconds at most, so a command-line check is kept before exit. */
    @Override
    public void close() {
        saving.shutdown();
        try {
            if (!saving.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the history store did not take the last reports within 10 s; "
                        + "they are not kept");
                saving.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            saving.shutdownNow();
        }
    }
}
