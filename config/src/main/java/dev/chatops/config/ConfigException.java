package dev.chatops.config;

import dev.chatops.core.error.BotException;

/**
 * The configuration is unusable. The message names the file, the key path and the line, says what
 * is wrong and what is allowed: {@code bot.yaml: hosts.web-03.port must be 1-65535 (line 14)}.
 */
public final class ConfigException extends BotException {

    public ConfigException(String message) {
        super(Category.BAD_INPUT, message);
    }
}
