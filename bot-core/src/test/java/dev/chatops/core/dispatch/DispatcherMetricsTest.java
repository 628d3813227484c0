package dev.chatops.core.dispatch;

import static dev.chatops.core.testing.DispatchBench.cli;
import static dev.chatops.core.testing.DispatchBench.cliFresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.run.CheckRun;
import dev.chatops.core.testing.DispatchBench;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DispatcherMetricsTest {

    @Test
    void missThenHit_countsOneRunAndBothLookups() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            bench.transport.status("web-03", "down: upstream refused");
            bench.dispatcher.handle(cli("web-03"));
            bench.dispatcher.handle(cli("web-03"));
            assertTrue(DispatchBench.eventually(() -> bench.metrics.count("run status cause-found") == 1),
                    bench.metrics.events().toString());
            assertEquals(1, bench.metrics.count("cache status miss"), bench.metrics.events().toString());
            assertEquals(1, bench.metrics.count("cache status hit"), bench.metrics.events().toString());
        }
    }

    @Test
    void requestsJoiningARunInFlight_countTheRunOnce() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            bench.transport.hold("web-03");
            CompletableFuture<CheckRun> first = bench.dispatcher.submit(cli("web-03"), DispatchListener.NONE);
            CompletableFuture<CheckRun> second = bench.dispatcher.submit(cliFresh("web-03"), DispatchListener.NONE);
            bench.transport.release("web-03");
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);
            assertTrue(DispatchBench.eventually(() -> bench.metrics.count("run status healthy") == 1));
            assertEquals(List.of("cache status miss", "cache status joined", "run status healthy"),
                    bench.metrics.events());
        }
    }

    @Test
    void refusedRequest_countsNothing() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            try {
                bench.dispatcher.handle(cli("web-99"));
            } catch (RuntimeException expected) {
                // refused: unknown host
            }
            assertEquals(List.of(), bench.metrics.events());
        }
    }
}
