package dev.chatops.checks.nginx502.explain;

import dev.chatops.checks.nginx502.parse.host.KernelEvents;
import dev.chatops.core.spi.PastedText;
import dev.chatops.nginx.log.AccessLogLine;
import dev.chatops.nginx.log.ErrorLogLine;
import java.util.Optional;

/** What one pasted line turned out to be. */
sealed interface Reading {

    PastedText.Line line();

    /** The name of the log the line comes from, as the answer counts them. */
    String kind();

    /** A line of nginx's error log, as written to its file or through syslog. */
    record NginxError(PastedText.Line line, ErrorLogLine error) implements Reading {
        @Override
        public String kind() {
            return "nginx error log";
        }
    }

    /**
     * A request from an access log.
     *
     * @param upstreamTime {@code $upstream_response_time} (else {@code $request_time}) when the line has it
     */
    record Access(PastedText.Line line, AccessLogLine access, Optional<Double> upstreamTime) implements Reading {
        @Override
        public String kind() {
            return "access log";
        }
    }

    /**
     * A line of php-fpm's own log, from its file or the journal.
     *
     * @param level   {@code WARNING}, {@code NOTICE}…
     * @param message what follows the level, e.g. {@code [pool www] server reached pm.max_children setting (5)…}
     */
    record PhpFpmLog(PastedText.Line line, String level, String message) implements Reading {
        @Override
        public String kind() {
            return "php-fpm log";
        }
    }

    /** A kernel line: an OOM kill, an AppArmor or SELinux denial. */
    record Kernel(PastedText.Line line, KernelEvents events) implements Reading {
        @Override
        public String kind() {
            return "kernel log";
        }
    }

    /** Nothing this check reads. */
    record Unmatched(PastedText.Line line) implements Reading {
        @Override
        public String kind() {
            return "not recognised";
        }
    }
}
