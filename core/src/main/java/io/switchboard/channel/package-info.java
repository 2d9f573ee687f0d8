/**
 * The channel SPI: what a channel module implements so that any host can wire a provider
 * into its own web layer.
 *
 * <p>A {@link io.switchboard.channel.ChannelProvider} gives Switchboard a
 * {@link io.switchboard.channel.WebhookParser}, which turns a framework-neutral
 * {@link io.switchboard.channel.WebhookRequest} into a verification answer or channel-neutral
 * {@link io.switchboard.channel.InboundEvent}s and never touches the store, and a
 * {@link io.switchboard.channel.ChannelSender}, which sends one outgoing message and reports a
 * {@link io.switchboard.channel.SendResult}. Providers are registered explicitly on the
 * builder.
 */
package io.switchboard.channel;
