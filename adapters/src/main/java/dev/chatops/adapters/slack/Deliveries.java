package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads conversations talk to Slack on, and the conversations still under way. Runs wait
 * in the dispatcher's queue, not here: a conversation holds a thread only while it posts, so a
 * few threads serve any number of requests waiting for their runs. Stopping waits a while for the
 * conversations under way to post their reports.
 */
final class Deliveries implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Deliveries.class.getName());

    private final ExecutorService threads;
    private final Set<CompletableFuture<Void>> underWay = ConcurrentHashMap.newKeySet();

    Deliveries(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "slack-post-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                // once stopped, a conversation's next post is dropped quietly; close() has said how many were cut
                new ThreadPoolExecutor.DiscardPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
    }

    Executor executor() {
        return threads;
    }

    /** Counts the conversation as under way until {@code done} completes. */
    void track(CompletableFuture<Void> done) {
        requireNonNull(done, "done is null");
        underWay.add(done);
        done.whenComplete((x, e) -> underWay.remove(done));
    }

    int underWay() {
        return underWay.size();
    }

    /** Waits up to {@code patience} for the conversations under way to finish; true when they all did. */
    boolean drain(Duration patience) throws InterruptedException {
        CompletableFuture<Void> all = CompletableFuture.allOf(underWay.toArray(CompletableFuture[]::new));
        try {
            all.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // a conversation that failed is over too; it logged why
            return true;
        }
    }

    /** Stops the threads; posts still waiting are dropped, and said so in the log. */
    @Override
    public void close() {
        int dropped = threads.shutdownNow().size();
        if (dropped > 0 || !underWay.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "stopping with " + underWay.size() + " conversations under way ("
                    + dropped + " Slack posts not made)");
        }
    }
}
