package dev.chatops.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private final FakeTransport transport = new FakeTransport().answer("uptime", "up 3 days");
    private final Check uptime = new Check() {
        public String name() {
            return "uptime";
        }

        public String help() {
            return "Says how long the host is up.";
        }

        public List<Probe> probes(CheckOptions options) {
            return List.of(Probe.of("uptime", "uptime"));
        }

        public Diagnosis diagnose(Evidence e) {
            return Diagnosis.healthy(e.stdout("uptime"), List.of());
        }
    };
    private final Dispatcher dispatcher = new Dispatcher(CheckRegistry.of(uptime),
            new Allowlist(List.of(Host.ssh("web-01", "10.0.0.1", 22, Set.of()),
                    Host.ssh("web-02", "10.0.0.2", 22, Set.of()))),
            new AccessPolicy(Set.of("C0123ABCD"), Set.of()),
            new CheckRunner(transport, new MutableClock(Instant.parse("2026-11-21T10:00:00Z"))),
            CheckOptions.defaults());

    @Test
    void handle_allowedRequest_runsTheCheck() {
        var run = dispatcher.handle(new CheckRequest("uptime", "web-01", false, Requester.slack("U1", "C0123ABCD")));

        assertEquals(Verdict.HEALTHY, run.report().verdict());
        assertEquals("up 3 days", run.report().summary());
    }

    @Test
    void handle_unknownHost_listsAllowedHostsAndRunsNothing() {
        BotException e = assertThrows(BotException.class, () -> dispatcher.handle(
                new CheckRequest("uptime", "web-3", false, Requester.cli())));

        assertEquals(BotException.Category.NOT_ALLOWED, e.category());
        assertEquals("unknown host `web-3`; hosts that may be checked: web-01, web-02", e.getMessage());
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void handle_hostWithShellCharacters_isRefusedBeforeAnyConnection() {
        BotException e = assertThrows(BotException.class, () -> dispatcher.handle(
                new CheckRequest("uptime", "web-01;rm -rf /", false, Requester.cli())));

        assertEquals(BotException.Category.BAD_INPUT, e.category());
        assertTrue(e.getMessage().contains("is not a host name"), e.getMessage());
        assertEquals(0, transport.sessionsOpened());
        assertTrue(transport.commands().isEmpty());
    }

    @Test
    void handle_forbiddenChannel_isRefusedSayingWhereChecksMayRun() {
        BotException e = assertThrows(BotException.class, () -> dispatcher.handle(
                new CheckRequest("uptime", "web-01", false, Requester.slack("U1", "C999"))));

        assertEquals(BotException.Category.NOT_ALLOWED, e.category());
        assertTrue(e.getMessage().contains("<#C0123ABCD>"), e.getMessage());
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void handle_unknownCheck_listsLoadedChecks() {
        BotException e = assertThrows(BotException.class, () -> dispatcher.handle(
                new CheckRequest("disk", "web-01", false, Requester.cli())));

        assertEquals("unknown check `disk`; loaded checks: uptime", e.getMessage());
    }

    @Test
    void parse_hostAndFresh_givesTarget() {
        CommandText.Target t = assertInstanceOf(CommandText.Target.class, CommandText.parse("/nginx502", " web-03  fresh "));

        assertEquals("web-03", t.host());
        assertTrue(t.fresh());
    }

    @Test
    void parse_emptyOrHelp_givesHelp() {
        assertInstanceOf(CommandText.Help.class, CommandText.parse("/nginx502", ""));
        assertInstanceOf(CommandText.Help.class, CommandText.parse("/nginx502", "help"));
    }

    @Test
    void parse_malformed_saysUsage() {
        BotException shell = assertThrows(BotException.class, () -> CommandText.parse("/nginx502", "$(reboot)"));
        BotException extra = assertThrows(BotException.class, () -> CommandText.parse("/nginx502", "web-03 now"));

        assertTrue(shell.getMessage().contains("is not a host name"), shell.getMessage());
        assertTrue(extra.getMessage().contains("unknown option `now`; usage: /nginx502 <host> [fresh]"),
                extra.getMessage());
    }
}
