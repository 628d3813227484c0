package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.app_backend.slash_commands.response.SlashCommandResponse;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.users.UsersConversationsResponse;
import com.slack.api.model.ConversationType;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.WebhookResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The few Slack calls the bot makes, each retried by the {@link RetryPolicy}: rate limits (HTTP
 * 429 or {@code ratelimited}) after the {@code Retry-After} Slack asks for, server errors and
 * broken connections after a backoff. Other errors are not retried; they come back as a
 * {@link SlackCallException} naming Slack's error code. Nothing here logs a token or a
 * message's content.
 */
final class SlackWebApi {

    private static final System.Logger LOG = System.getLogger(SlackWebApi.class.getName());
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout");
    private static final Gson GSON = GsonFactory.createSnakeCase();

    private final Slack slack;
    private final MethodsClient methods;
    private final RetryPolicy retry;
    private final Pause pause;
    private final SlackApiErrors errors;

    SlackWebApi(Slack slack, String botToken, RetryPolicy retry, Pause pause) {
        this(slack, botToken, retry, pause, SlackApiErrors.NONE);
    }

    SlackWebApi(Slack slack, String botToken, RetryPolicy retry, Pause pause, SlackApiErrors errors) {
        this.errors = requireNonNull(errors, "errors is null");
        this.slack = requireNonNull(slack, "slack is null");
        this.methods = slack.methods(requireNonNull(botToken, "botToken is null"));
        this.retry = requireNonNull(retry, "retry is null");
        this.pause = requireNonNull(pause, "pause is null");
    }

    /** Posts a message in a channel, or in a thread; returns its {@code ts}. */
    String post(String channel, Optional<String> threadTs, SlackMessage message) throws SlackCallException {
        ChatPostMessageResponse r = call("chat.postMessage", () -> methods.chatPostMessage(req -> req
                .channel(channel)
                .threadTs(threadTs.orElse(null))
                .text(message.text())
                .blocks(message.blocks().isEmpty() ? null : message.blocks())
                .unfurlLinks(false)
                .unfurlMedia(false)));
        return r.getTs();
    }

    /** Replaces the text (and blocks) of a message the bot posted. */
    void update(String channel, String ts, SlackMessage message) throws SlackCallException {
        call("chat.update", () -> methods.chatUpdate(req -> req
                .channel(channel)
                .ts(ts)
                .text(message.text())
                .blocks(message.blocks().isEmpty() ? null : message.blocks())));
    }

    /** A message only {@code user} sees, in the channel or in a thread of it; it leaves no trace for anyone else. */
    void postEphemeral(String channel, Optional<String> threadTs, String user, SlackMessage message)
            throws SlackCallException {
        call("chat.postEphemeral", () -> methods.chatPostEphemeral(req -> req
                .channel(channel)
                .threadTs(threadTs.orElse(null))
                .user(user)
                .text(message.text())
                .blocks(message.blocks().isEmpty() ? null : message.blocks())));
    }

    /**
     * Uploads a text file into a thread ({@code files.uploadV2}: an upload URL, the bytes, then the
     * share). Asks nothing about the file afterwards, which would need the {@code files:read} scope.
     */
    void upload(String channel, String threadTs, String filename, String title, String content, String comment)
            throws SlackCallException {
        call("files.uploadV2", () -> methods.filesUploadV2(req -> req
                .channel(channel)
                .threadTs(threadTs)
                .filename(filename)
                .title(title)
                .content(content)
                .initialComment(comment)
                .requestFileInfo(false)));
    }

    /** Shows {@code view} as the user's App Home tab. */
    void publishHome(String user, View view) throws SlackCallException {
        call("views.publish", () -> methods.viewsPublish(req -> req.userId(user).view(view)));
    }

    /**
     * The channels (public and private) the user is a member of that the bot can see, at most
     * {@code max} of them: one page is enough for a home tab, and it costs one call.
     */
    List<String> channelsOf(String user, int max) throws SlackCallException {
        UsersConversationsResponse r = call("users.conversations", () -> methods.usersConversations(req -> req
                .user(user)
                .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL))
                .excludeArchived(true)
                .limit(max)));
        return r.getChannels() == null ? List.of()
                : r.getChannels().stream().map(com.slack.api.model.Conversation::getId).filter(id -> id != null).limit(max).toList();
    }

    /** Joins a public channel; Slack refuses private ones ({@code method_not_supported_for_channel_type}). */
    void join(String channel) throws SlackCallException {
        call("conversations.join", () -> methods.conversationsJoin(req -> req.channel(channel)));
    }

    /**
     * Answers through a slash command's {@code response_url}, which works where the bot is not a
     * member. Slack accepts five answers per command within 30 minutes.
     *
     * @param inChannel whether the channel sees it, or only the caller
     */
    void respond(String responseUrl, SlackMessage message, boolean inChannel) throws SlackCallException {
        try {
            respondWithRetries(responseUrl, message, inChannel);
        } catch (SlackCallException e) {
            errors.failed(e.method(), e.error());
            throw e;
        }
    }

    private void respondWithRetries(String responseUrl, SlackMessage message, boolean inChannel)
            throws SlackCallException {
        if (!responseUrl.startsWith("https://") && !responseUrl.startsWith("http://")) {
            throw new SlackCallException("response_url", "no_response_url", "the command came without a usable "
                    + "response_url");
        }
        SlashCommandResponse body = SlashCommandResponse.builder()
                .responseType(inChannel ? "in_channel" : "ephemeral")
                .text(message.text())
                .blocks(message.blocks().isEmpty() ? null : message.blocks())
                .build();
        String json = GSON.toJson(body);
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            String error;
            try {
                WebhookResponse r = slack.send(responseUrl, json);
                int code = r.getCode() == null ? 0 : r.getCode();
                if (code == 200) {
                    return;
                }
                error = "http_" + code;
                if (code == 429) {
                    wait = retryAfter("response_url", header(r.getHeaders(), "Retry-After"));
                } else if (code >= 500) {
                    wait = retry.backoff(attempt);
                } else {
                    throw new SlackCallException("response_url", error, "Slack answered HTTP " + code + " ("
                            + BlockKit.clip(String.valueOf(r.getBody()), 80) + "); a response_url is valid for 30 "
                            + "minutes and five answers");
                }
            } catch (IOException e) {
                error = "io_error";
                wait = retry.backoff(attempt);
            }
            waitOrGiveUp("response_url", attempt, error, wait);
        }
    }

    @FunctionalInterface
    interface Call<T> {
        T call() throws IOException, SlackApiException;
    }

    <T extends SlackApiTextResponse> T call(String method, Call<T> call) throws SlackCallException {
        try {
            return callWithRetries(method, call);
        } catch (SlackCallException e) {
            errors.failed(e.method(), e.error());
            throw e;
        }
    }

    private <T extends SlackApiTextResponse> T callWithRetries(String method, Call<T> call)
            throws SlackCallException {
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            String error;
            try {
                T r = call.call();
                if (r.isOk()) {
                    return r;
                }
                error = r.getError() == null ? "unknown_error" : r.getError();
                if (!TRANSIENT.contains(error)) {
                    throw new SlackCallException(method, error, "Slack answered " + error
                            + (r.getNeeded() == null ? "" : " (the app needs the scope " + r.getNeeded()
                            + "; add it in the app's settings and reinstall the app)"));
                }
                wait = retry.backoff(attempt);
            } catch (SlackApiException e) {
                int code = e.getResponse().code();
                error = code == 429 ? "ratelimited" : "http_" + code;
                if (code == 429) {
                    wait = retryAfter(method, Optional.ofNullable(e.getResponse().header("Retry-After")));
                } else if (code >= 500) {
                    wait = retry.backoff(attempt);
                } else {
                    throw new SlackCallException(method, error, "Slack answered HTTP " + code);
                }
            } catch (IOException e) {
                error = "io_error";
                wait = retry.backoff(attempt);
            }
            waitOrGiveUp(method, attempt, error, wait);
        }
    }

    private Duration retryAfter(String method, Optional<String> header) throws SlackCallException {
        Duration wait = header.flatMap(SlackWebApi::seconds).orElse(retry.firstBackoff());
        if (wait.compareTo(retry.maxRetryAfter()) > 0) {
            throw new SlackCallException(method, "ratelimited", "Slack asks to wait " + wait.toSeconds()
                    + " s before the next call, longer than the " + retry.maxRetryAfter().toSeconds() + " s the bot waits");
        }
        return wait;
    }

    private void waitOrGiveUp(String method, int attempt, String error, Duration wait) throws SlackCallException {
        if (attempt >= retry.attempts()) {
            throw new SlackCallException(method, error, "still " + error + " after " + attempt + " attempt"
                    + (attempt == 1 ? "" : "s"));
        }
        LOG.log(System.Logger.Level.INFO, "Slack " + method + ": " + error + "; trying again in " + wait.toMillis()
                + " ms (attempt " + (attempt + 1) + " of " + retry.attempts() + ")");
        try {
            pause.pause(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackCallException(method, error, "interrupted while waiting to try again");
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long s = Long.parseLong(value.trim());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }
}
