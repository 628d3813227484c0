package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.bolt.App;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.DividerBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.view.View;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.error.BotException;
import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryWriter;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.sweep.Sweep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The bot's App Home tab, published when a user opens it: the hosts this user may check, the last
 * reports in the channels they are in (from the history store), and the next scheduled posts. It
 * shows what the user could see anyway: the hosts the command's help lists, reports from their own
 * channels, and schedules' channels as links.
 */
final class AppHome {

    static final int REPORTS = 10;
    /** Enough channels for anyone on call; one page of users.conversations. */
    static final int CHANNELS = 200;
    private static final int HOSTS_LISTED = 40;
    private static final Pattern USER = Pattern.compile("[A-Z0-9]{2,30}");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final System.Logger LOG = System.getLogger(AppHome.class.getName());

    private final Allowlist hosts;
    private final AccessPolicy access;
    private final SlackWebApi api;
    private final Deliveries deliveries;
    private final Optional<HistoryWriter> history;
    private final List<Schedule> schedules;
    private final Map<String, String> commands;
    private final Clock clock;

    AppHome(Allowlist hosts, AccessPolicy access, SlackWebApi api, Deliveries deliveries, Optional<History> history,
            List<Schedule> schedules, Map<String, String> commands, Clock clock) {
        this.hosts = requireNonNull(hosts, "hosts is null");
        this.access = requireNonNull(access, "access is null");
        this.api = requireNonNull(api, "api is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.history = requireNonNull(history, "history is null").map(HistoryWriter::new);
        this.schedules = List.copyOf(requireNonNull(schedules, "schedules is null"));
        this.commands = Map.copyOf(requireNonNull(commands, "commands is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    void register(App app) {
        app.event(AppHomeOpenedEvent.class, (payload, ctx) -> {
            AppHomeOpenedEvent e = payload.getEvent();
            // the Messages tab opens the same event; only the Home tab has anything to show
            if (e != null && "home".equals(e.getTab()) && e.getUser() != null && USER.matcher(e.getUser()).matches()) {
                String user = e.getUser();
                CompletableFuture<Void> done = CompletableFuture.runAsync(() -> publish(user), deliveries.executor());
                deliveries.track(done);
            }
            return ctx.ack();
        });
    }

    private void publish(String user) {
        try {
            api.publishHome(user, view(user));
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish the home tab of " + user + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the home tab of " + user + " failed", e);
        }
    }

    View view(String user) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder().text(PlainTextObject.builder().text("🩺 Your hosts, reports and schedules")
                .emoji(true).build()).build());
        section(blocks, hostsText(user));
        blocks.add(DividerBlock.builder().build());
        section(blocks, "*Last reports in your channels*\n" + reportsText(user));
        blocks.add(DividerBlock.builder().build());
        section(blocks, "*Next scheduled posts*\n" + schedulesText());
        blocks.add(ContextBlock.builder().elements(List.of(MarkdownTextObject.builder()
                .text("Updated " + WHEN.format(clock.instant()) + " · open this tab again to refresh").build())).build());
        return View.builder().type("home").blocks(blocks).build();
    }

    private static void section(List<LayoutBlock> blocks, String mrkdwn) {
        blocks.add(SectionBlock.builder().text(MarkdownTextObject.builder()
                .text(BlockKit.clip(mrkdwn, BlockKit.MAX_SECTION_TEXT)).build()).build());
    }

    private String hostsText(String user) {
        StringBuilder sb = new StringBuilder("*Hosts you may check*\n");
        if (!access.users().isEmpty() && !access.users().contains(user)) {
            return sb.append("You are not on the list of users who may run checks (access.users); ask an admin to "
                    + "add you.").toString();
        }
        List<Host> all = hosts.all();
        if (all.isEmpty()) {
            return sb.append("None: the bot's configuration lists no hosts.").toString();
        }
        List<String> shown = all.stream().limit(HOSTS_LISTED).map(h -> "`" + BlockKit.quote(h.name()) + "`"
                + (h.tags().isEmpty() ? "" : " (" + BlockKit.quote(String.join(", ", h.tags())) + ")")).toList();
        sb.append(String.join(", ", shown));
        if (all.size() > shown.size()) {
            sb.append(" and ").append(all.size() - shown.size()).append(" more");
        }
        String command = commands.keySet().stream().sorted().findFirst().orElse("");
        if (!command.isEmpty()) {
            sb.append("\nType `").append(BlockKit.quote(command)).append(" &lt;host&gt;` ");
            sb.append(access.channels().isEmpty() ? "in any channel the bot is in."
                    : "in " + String.join(", ", access.channels().stream().sorted().map(c -> "<#" + c + ">").toList())
                    + ".");
        }
        return sb.toString();
    }

    private String reportsText(String user) {
        if (history.isEmpty()) {
            return "This bot keeps no report history, so there is nothing to list.";
        }
        List<String> channels;
        try {
            channels = api.channelsOf(user, CHANNELS);
        } catch (SlackCallException e) {
            return "⚠️ I could not list the channels you are in (Slack says `" + BlockKit.escape(e.error())
                    + "`); the app needs the channels:read and groups:read scopes.";
        }
        if (channels.isEmpty()) {
            return "You are in no channel the bot can see.";
        }
        Optional<List<StoredReport>> found = history.get().attempt("read recent reports",
                () -> history.get().history().recentReports(channels, REPORTS));
        if (found.isEmpty()) {
            return "⚠️ The history store cannot be read right now; the bot's log says why.";
        }
        List<StoredReport> reports = found.get();
        if (reports.isEmpty()) {
            return "No reports yet in the channels you are in.";
        }
        StringBuilder sb = new StringBuilder();
        for (StoredReport r : reports.subList(0, Math.min(REPORTS, reports.size()))) {
            sb.append(ReportMessages.emoji(r.verdict())).append(" *").append(BlockKit.quote(r.host())).append("* · ")
                    .append(BlockKit.quote(r.causeId().isEmpty() ? r.verdict().id() : r.causeId())).append(" · ")
                    .append(WHEN.format(r.at())).append(" (").append(ago(r.at())).append(")");
            if (!r.channel().isEmpty() && USER.matcher(r.channel()).matches()) {
                sb.append(" · <#").append(r.channel()).append(">");
            }
            if (USER.matcher(r.requester()).matches()) {
                sb.append(" · <@").append(r.requester()).append(">");
            }
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private String schedulesText() {
        if (schedules.isEmpty()) {
            return "None: the configuration has no schedules.";
        }
        Instant now = clock.instant();
        record Next(Schedule schedule, Instant at) {
        }
        List<Next> next = new ArrayList<>();
        for (Schedule s : schedules) {
            try {
                next.add(new Next(s, s.cronExpression().next(now, s.zone())));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "schedule " + s.name() + " has no next time: " + e.getMessage());
            }
        }
        next.sort(Comparator.comparing(Next::at));
        StringBuilder sb = new StringBuilder();
        for (Next n : next) {
            Schedule s = n.schedule();
            int count = hostCount(s);
            sb.append("• `").append(BlockKit.quote(s.name())).append("` · ").append(BlockKit.quote(s.check()))
                    .append(" on ").append(count).append(count == 1 ? " host" : " hosts").append(" · ")
                    .append(USER.matcher(s.channel()).matches() ? "<#" + s.channel() + ">" : BlockKit.quote(s.channel()))
                    .append(" · ").append(n.at().atZone(s.zone()).format(DateTimeFormatter.ofPattern("EEE d MMM HH:mm")))
                    .append(' ').append(BlockKit.quote(s.zone().getId())).append(" (in ").append(ago(now, n.at()))
                    .append(")\n");
        }
        return sb.toString().stripTrailing();
    }

    private int hostCount(Schedule s) {
        try {
            return Sweep.hosts(s, hosts).size();
        } catch (BotException e) {
            return 0;
        }
    }

    private String ago(Instant at) {
        return ago(at, clock.instant()) + " ago";
    }

    private static String ago(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toMinutes() < 1) {
            return "under a minute";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toDays() + " d " + d.toHoursPart() + " h";
    }
}
