/**
 * The bot in Slack, on Bolt for Java: {@code /nginx502 web-03} is acknowledged at once with
 * "Checking web-03…", a parent message says who asked for which host (and where the request
 * stands in line while it waits), the report follows in its thread in Block Kit, and the parent
 * is updated to a one-line verdict. The report's last message carries buttons (re-run fresh,
 * check siblings, evidence file, this was it / not it), and the Home tab shows each person their
 * hosts, the last reports of their channels and the next scheduled posts. Scheduled sweeps are
 * posted the same way: the summary in the channel, the reports of hosts that are not healthy in
 * its thread.
 *
 * <p>{@link dev.chatops.adapters.slack.SlackBot} assembles it (Socket Mode or HTTP mode);
 * {@code SlashCommands} decides the acknowledgement without touching any host and hands accepted
 * requests to the dispatcher, whose cache, queue and audit log serve every front end;
 * {@code CheckConversation} follows a request's answer and posts, on the few threads of
 * {@code Deliveries}; {@code SlackSweepPublisher} posts sweeps; {@code ReportMessages} and
 * {@code ThreadLayout} turn reports and summaries into messages within Block Kit's limits;
 * {@code ReportActions} puts the buttons under a report and answers their presses
 * ({@code SiblingsCheck} for the siblings table, {@code KeptEvidence} for the evidence files);
 * {@code AppHome} publishes the Home tab;
 * {@code SlackWebApi} makes the calls, retrying rate limits after {@code Retry-After}. In HTTP
 * mode, {@code EventsServlet} caps request bodies, checks signatures and drops replayed requests
 * before Bolt or the log sees them.
 */
package dev.chatops.adapters.slack;
