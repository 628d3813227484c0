package dev.chatops.core.dispatch;

import dev.chatops.core.run.CheckRun;

/**
 * Told of every answer the {@link Dispatcher} gives (a fresh run, a shared one or a cached one), once
 * per request, e.g. to keep the report in the history. It is called on the thread that completes the
 * answer, so it must return quickly and should not throw; what it throws is logged and ignored.
 */
@FunctionalInterface
public interface AnswerSink {

    AnswerSink NONE = (request, run) -> { };

    void answered(CheckRequest request, CheckRun run);
}
