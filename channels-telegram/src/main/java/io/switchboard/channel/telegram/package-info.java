/**
 * The Telegram Bot API channel: {@link io.switchboard.channel.telegram.TelegramChannel} (the
 * provider: secret-token webhooks, the update parser, the sender, file downloads) and
 * {@link io.switchboard.channel.telegram.TelegramPoller} (long polling). Everything else in
 * this package is implementation.
 */
package io.switchboard.channel.telegram;
