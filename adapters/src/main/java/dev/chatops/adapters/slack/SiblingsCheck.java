package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.DispatchListener;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.BusyException;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.sweep.SweepLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * "Check siblings": the same check on the other hosts that share the host's first tag, at most
 * {@code limits.siblings} of them, through the dispatcher like any request (a recent result comes
 * from the cache, the queue's limits hold). One message in the thread holds a compact table (host,
 * verdict, first cause, 502s), edited as hosts finish, so a busy channel gets one message, not ten.
 */
final class SiblingsCheck {

    private static final System.Logger LOG = System.getLogger(SiblingsCheck.class.getName());

    private final Dispatcher dispatcher;
    private final SlackWebApi api;
    private final Deliveries deliveries;
    private final int max;

    SiblingsCheck(Dispatcher dispatcher, SlackWebApi api, Deliveries deliveries, int max) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.api = requireNonNull(api, "api is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        this.max = max;
    }

    /** One host's line in the table. */
    record Row(String host, String verdict, String cause, String count502) {
        static Row waiting(String host) {
            return new Row(host, "⏳ checking", "", "");
        }

        static Row of(Report r) {
            String cause = ReportActions.leadingCause(r);
            return new Row(r.host(), ReportMessages.emoji(r.verdict()) + " " + r.verdict().id()
                    + (r.cached() ? " (cached)" : ""), cause.isEmpty() ? "—" : cause,
                    String.valueOf(new SweepLine(r.host(), r).gatewayErrors()));
        }

        boolean done() {
            return !verdict.startsWith("⏳");
        }
    }

    /**
     * Starts checking the siblings and posts the table in the click's thread; returns at once.
     *
     * @return why nothing was started, for the clicker alone; empty when it started
     */
    Optional<String> start(Click click, Requester who) {
        Host host;
        try {
            host = dispatcher.host(click.host());
        } catch (BotException e) {
            return Optional.of(ReportActions.refusal(e));
        }
        Optional<String> tag = host.tags().stream().findFirst();
        if (tag.isEmpty()) {
            return Optional.of("*" + BlockKit.quote(host.name()) + "* has no tag, so it has no siblings; give hosts "
                    + "that serve the same site a tag (`tags:` under `hosts:`) to check them together.");
        }
        List<Host> all = dispatcher.allowlist().tagged(tag.get()).stream().filter(h -> !h.name().equals(host.name()))
                .toList();
        if (all.isEmpty()) {
            return Optional.of("No other host is tagged `" + BlockKit.quote(tag.get()) + "`, so *"
                    + BlockKit.quote(host.name()) + "* has no siblings to check.");
        }
        List<Host> chosen = all.subList(0, Math.min(max, all.size()));
        Table table = new Table(click, tag.get(), chosen, all.size() - chosen.size());
        table.open();
        for (int i = 0; i < chosen.size(); i++) {
            int row = i;
            try {
                dispatcher.submit(new CheckRequest(click.check(), chosen.get(i).name(), false, who),
                        DispatchListener.NONE).whenComplete((run, failure) -> table.done(row, run, failure));
            } catch (BotException e) {
                table.done(row, null, e);
            }
        }
        return Optional.empty();
    }

    /** The one message; its edits happen one after another on the posting threads. */
    private final class Table {
        private final Click click;
        private final String tag;
        private final List<Row> rows = new ArrayList<>();
        private final int notChecked;
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private CompletableFuture<Void> lastStep = CompletableFuture.completedFuture(null);
        private Optional<String> ts = Optional.empty();

        Table(Click click, String tag, List<Host> hosts, int notChecked) {
            this.click = click;
            this.tag = tag;
            hosts.forEach(h -> rows.add(Row.waiting(h.name())));
            this.notChecked = notChecked;
            deliveries.track(finished);
        }

        void open() {
            then(() -> {
                try {
                    ts = Optional.of(api.post(click.channel(), click.thread(), message(snapshot())));
                } catch (SlackCallException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot post the siblings of " + click.host() + " in "
                            + click.channel() + ": " + e.getMessage());
                }
            });
        }

        void done(int row, CheckRun run, Throwable failure) {
            Row now;
            if (run != null) {
                now = Row.of(run.report());
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                now = new Row(rows.get(row).host(), cause instanceof BusyException ? "⌛ busy, not checked" : "⚠️ not checked", "—", "—");
                if (!(cause instanceof BotException)) {
                    LOG.log(System.Logger.Level.ERROR, "checking sibling " + now.host() + " failed", cause);
                }
            }
            synchronized (this) {
                rows.set(row, now);
            }
            List<Row> snapshot = snapshot();
            then(() -> ts.ifPresent(t -> {
                try {
                    api.update(click.channel(), t, message(snapshot));
                } catch (SlackCallException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot update the siblings of " + click.host() + ": "
                            + e.getMessage());
                }
            }));
            if (snapshot.stream().allMatch(Row::done)) {
                then(() -> finished.complete(null));
            }
        }

        private synchronized List<Row> snapshot() {
            return List.copyOf(rows);
        }

        private synchronized void then(Runnable step) {
            lastStep = lastStep.thenRunAsync(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "the siblings of " + click.host() + " failed", e);
                }
            }, deliveries.executor());
        }

        private SlackMessage message(List<Row> rows) {
            long done = rows.stream().filter(Row::done).count();
            String head = "👥 *" + BlockKit.quote(click.host()) + "*'s siblings tagged `" + BlockKit.quote(tag)
                    + "`, " + BlockKit.quote(click.check()) + " for <@" + click.user() + ">: "
                    + (done == rows.size() ? "all " + rows.size() + " done" : done + " of " + rows.size() + " done…");
            ThreadLayout layout = new ThreadLayout(head, 1).text(head).code("", BlockKit.codeContent(table(rows)));
            if (notChecked > 0) {
                layout.context(notChecked + " more host" + (notChecked == 1 ? "" : "s") + " tagged `"
                        + BlockKit.quote(tag) + "` not checked: at most " + max + " a click (`limits.siblings`)");
            }
            return layout.messages().get(0);
        }
    }

    /** Columns padded to their widest cell, for a code block, where an emoji takes two columns. */
    static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"host", "verdict", "first cause", "502s"});
        rows.forEach(r -> cells.add(new String[] {r.host(), r.verdict(), r.cause(), r.count502()}));
        int[] width = new int[4];
        cells.forEach(c -> {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], columns(c[i]));
            }
        });
        StringBuilder sb = new StringBuilder();
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                line.append(c[i]);
                if (i < 3) {
                    line.append(" ".repeat(width[i] - columns(c[i]) + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** How wide a cell shows in a monospace font: emoji take two columns, variation selectors none. */
    static int columns(String cell) {
        return cell.codePoints().map(cp -> cp == 0xFE0F || cp == 0x200B ? 0
                : cp >= 0x1F000 || (cp >= 0x2300 && cp <= 0x2BFF) ? 2 : 1).sum();
    }
}
