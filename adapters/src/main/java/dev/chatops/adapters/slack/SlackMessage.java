package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/**
 * One message as it is posted: Block Kit blocks, and the plain text Slack shows in notifications
 * and wherever blocks cannot be shown. A message without blocks is its text, read as mrkdwn.
 */
public record SlackMessage(String text, List<LayoutBlock> blocks) {

    public SlackMessage {
        requireNonNull(text, "text is null");
        blocks = List.copyOf(requireNonNull(blocks, "blocks is null"));
    }

    public static SlackMessage text(String text) {
        return new SlackMessage(text, List.of());
    }
}
