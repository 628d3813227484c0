/**
 * The bot in Slack, on Bolt for Java: {@code /nginx502 web-03} is acknowledged at once with
 * "Checking web-03…", a parent message says who asked for which host, the report follows in its
 * thread in Block Kit, and the parent is updated to a one-line verdict.
 *
 * <p>{@link dev.chatops.adapters.slack.SlackBot} assembles it (Socket Mode or HTTP mode);
 * {@code SlashCommands} decides the acknowledgement without touching any host;
 * {@code CheckConversation} runs on a bounded pool of workers and posts; {@code ReportMessages}
 * and {@code ThreadLayout} turn a report into messages within Block Kit's limits;
 * {@code SlackWebApi} makes the calls, retrying rate limits after {@code Retry-After}.
 * {@link dev.chatops.adapters.slack.CheckRuns} is where a queueing dispatcher plugs in.
 */
package dev.chatops.adapters.slack;
