package dev.chatops.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A check that asks for follow-ups as results arrive: each starts once its inputs are in, not after its batch. */
class CheckRunnerAsResultsArriveTest {

    private static final Instant T0 = Instant.parse("2026-12-01T01:10:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final Host web03 = Host.ssh("web-03", "10.0.3.13", 22, Set.of("web"));
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /**
     * Runs each started probe on a thread of its own, as an SSH session runs each on a channel of its own: a probe
     * answers with its name, after the latch its name is given (if any) has opened or 10 s have passed.
     */
    private final class Threaded implements Transport {
        final Map<String, CountDownLatch> waitFor = new ConcurrentHashMap<>();
        final List<String> startedInOrder = Collections.synchronizedList(new ArrayList<>());
        final Map<String, CountDownLatch> startedLatch = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();

        CountDownLatch started(String name) {
            return startedLatch.computeIfAbsent(name, n -> new CountDownLatch(1));
        }

        @Override
        public TransportSession open(Host host) {
            return new TransportSession() {
                @Override
                public Map<String, ProbeResult> run(List<Probe> probes) {
                    throw new AssertionError("a check that follows up as results arrive starts probes one by one");
                }

                @Override
                public CompletableFuture<ProbeResult> start(Probe probe) {
                    startedInOrder.add(probe.name());
                    started(probe.name()).countDown();
                    return CompletableFuture.supplyAsync(() -> {
                        CountDownLatch gate = waitFor.get(probe.name());
                        boolean opened = true;
                        if (gate != null) {
                            try {
                                opened = gate.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                opened = false;
                            }
                        }
                        if (failing.contains(probe.name())) {
                            throw new java.util.concurrent.CompletionException(new TransportException(
                                    TransportException.Reason.CONNECTION_LOST, "lost the SSH connection to web-03"));
                        }
                        return new ProbeResult(probe.command(), 0, opened ? probe.name() : "waited in vain", "", 1,
                                false);
                    }, threads);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static Check check(List<Probe> first, Function<Evidence, List<Probe>> followUp) {
        return new Check() {
            public String name() {
                return "arrive";
            }

            public String help() {
                return "help";
            }

            public List<Probe> probes(CheckOptions options) {
                return first;
            }

            @Override
            public List<Probe> followUp(Evidence sofar, CheckOptions options) {
                return followUp.apply(sofar);
            }

            @Override
            public boolean followUpAsResultsArrive() {
                return true;
            }

            public Diagnosis diagnose(Evidence e) {
                return Diagnosis.healthy(String.join(",", e.probes().keySet()) + " / "
                        + String.join(",", e.probes().values().stream().map(ProbeResult::stdout).toList()), List.of());
            }
        };
    }

    @Test
    void run_followUpOfAFastProbe_startsWhileASlowerOneOfTheBatchStillRuns() {
        Threaded transport = new Threaded();
        // the slow probe answers only once the fast probe's follow-up has started
        transport.waitFor.put("slow", transport.started("next"));
        Check check = check(List.of(Probe.of("slow", "sleep"), Probe.of("fast", "true")),
                e -> e.probe("fast").isPresent() ? List.of(Probe.of("next", "echo")) : List.of());

        CheckRun run = new CheckRunner(transport, clock).run(check, web03, CheckOptions.defaults());

        assertEquals(Verdict.HEALTHY, run.report().verdict());
        // evidence in the order the probes were started, whatever order they finished in
        assertEquals("slow,fast,next / slow,fast,next", run.report().summary());
        assertEquals(List.of("slow", "fast", "next"), transport.startedInOrder);
    }

    @Test
    void run_askedAsEachProbeFinishes_aNameStartsOnce() {
        Threaded transport = new Threaded();
        transport.waitFor.put("b", transport.started("late"));
        List<Set<String>> seen = Collections.synchronizedList(new ArrayList<>());
        Check check = check(List.of(Probe.of("a", "true"), Probe.of("b", "true")), e -> {
            seen.add(Set.copyOf(e.probes().keySet()));
            // named on every call, once "a" is in
            return e.probe("a").isPresent() ? List.of(Probe.of("late", "echo")) : List.of();
        });

        CheckRun run = new CheckRunner(transport, clock).run(check, web03, CheckOptions.defaults());

        assertEquals(List.of("a", "b", "late"), transport.startedInOrder);
        assertEquals(3, seen.size(), "asked once per finished probe: " + seen);
        assertEquals(Set.of("a"), seen.get(0));
        assertEquals(Set.of("a", "b", "late"), seen.get(2), "the last time, with everything");
        assertEquals("a,b,late / a,b,late", run.report().summary());
    }

    @Test
    void run_followUpNamesNewProbesForever_stopsAfterTheLastRound() {
        Threaded transport = new Threaded();
        int[] asked = {0};
        Check endless = check(List.of(Probe.of("x", "true")), e -> {
            asked[0]++;
            return List.of(Probe.of("p" + e.probes().size(), "echo"));
        });

        CheckRun run = new CheckRunner(transport, clock).run(endless, web03, CheckOptions.defaults());

        assertEquals(CheckRunner.FOLLOW_UP_ROUNDS, asked[0]);
        assertEquals(1 + CheckRunner.FOLLOW_UP_ROUNDS, run.evidence().orElseThrow().probes().size());
    }

    @Test
    void run_connectionLostUnderAProbe_unreachableWithTheTransportsSentence() {
        Threaded transport = new Threaded();
        transport.failing.add("b");
        Check check = check(List.of(Probe.of("a", "true"), Probe.of("b", "true")), e -> List.of());

        CheckRun run = new CheckRunner(transport, clock).run(check, web03, CheckOptions.defaults());

        assertEquals(Verdict.UNREACHABLE, run.report().verdict());
        assertEquals("lost the SSH connection to web-03", run.report().summary());
        assertTrue(run.evidence().isEmpty());
    }

    @Test
    void run_followUpThrows_inconclusiveWithWhatFinished_notDiagnosed() {
        Threaded transport = new Threaded();
        Check broken = check(List.of(Probe.of("x", "true")), e -> {
            throw new IllegalStateException("no");
        });

        CheckRun run = new CheckRunner(transport, clock).run(broken, web03, CheckOptions.defaults());

        // diagnosed, it would have been healthy
        assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
        assertTrue(run.report().summary().startsWith("check arrive failed while choosing its follow-up probes for "
                + "web-03 (java.lang.IllegalStateException: no)"), run.report().summary());
        assertEquals("x", run.evidence().orElseThrow().stdout("x"));
    }
}
