/**
 * The WhatsApp Cloud API channel: register {@link io.switchboard.channel.whatsapp.WhatsAppChannel}
 * on {@code Switchboard.builder().channel(...)}. Everything else in this package is
 * implementation.
 */
package io.switchboard.channel.whatsapp;
