package dev.chatops.checks.nginx502.parse.phpfpm;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Location;
import java.util.Map;
import java.util.Optional;

/**
 * One php-fpm pool ({@code [www]}) as its configuration file defines it; every setting keeps its line.
 *
 * @param config the php-fpm.conf this pool belongs to
 */
public record PhpFpmPool(String name, String file, int line, String config, Map<String, Setting> settings) {

    /** A {@code key = value} line of a pool. */
    public record Setting(String value, String file, int line) {
        public Location at() {
            return new Location(file, line);
        }
    }

    public PhpFpmPool {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(config, "config is null");
        settings = Map.copyOf(settings);
    }

    public Optional<Setting> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    public Optional<String> value(String key) {
        return setting(key).map(Setting::value);
    }

    /** {@code listen}: a unix path or {@code [addr:]port}. */
    public Optional<String> listen() {
        return value("listen");
    }

    public boolean listensOnUnix() {
        return listen().map(l -> l.startsWith("/")).orElse(false);
    }

    public String listenOwner() {
        return value("listen.owner").orElse(value("user").orElse("nobody"));
    }

    public String listenGroup() {
        return value("listen.group").orElse(value("group").orElse(listenOwner()));
    }

    public String listenMode() {
        return value("listen.mode").orElse("0660");
    }

    public Optional<Integer> maxChildren() {
        return value("pm.max_children").filter(v -> v.matches("\\d+")).map(Integer::parseInt);
    }

    public Location at() {
        return new Location(file, Math.max(1, line));
    }

    /** The service name a distribution gives this php-fpm: {@code php8.2-fpm} for /etc/php/8.2/fpm/php-fpm.conf. */
    public String serviceName() {
        return PhpFpm.serviceFor(config);
    }
}
