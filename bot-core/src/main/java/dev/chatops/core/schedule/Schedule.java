package dev.chatops.core.schedule;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.List;

/**
 * A recurring fleet check whose summary is posted to a channel.
 *
 * @param cron  a five-field cron expression, e.g. {@code 0 8 * * MON-FRI} (see {@link CronExpression})
 * @param zone  the zone whose wall-clock times the expression names
 * @param hosts hosts by name; {@code tags} adds every host carrying one of the tags
 */
public record Schedule(String name, String cron, ZoneId zone, String channel, String check,
                       List<String> hosts, List<String> tags) {

    public Schedule {
        requireNonNull(name, "name is null");
        requireNonNull(cron, "cron is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(check, "check is null");
        hosts = List.copyOf(requireNonNull(hosts, "hosts is null"));
        tags = List.copyOf(requireNonNull(tags, "tags is null"));
        CronExpression.parse(cron);
    }

    /** The parsed {@link #cron()}. */
    public CronExpression cronExpression() {
        return CronExpression.parse(cron);
    }
}
