/**
 * The web-chat widget channel: {@link io.switchboard.channel.widget.WidgetChannel} (the
 * provider to register), {@link io.switchboard.channel.widget.WidgetApi} (framework-neutral
 * handlers of the widget API) and {@link io.switchboard.channel.widget.WidgetAssets} (the
 * embeddable script).
 */
package io.switchboard.channel.widget;
