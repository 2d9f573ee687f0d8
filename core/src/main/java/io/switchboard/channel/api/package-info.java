/**
 * The API channel: the host submits incoming messages and statuses through the Java API
 * ({@link io.switchboard.IncomingService}); outgoing messages are POSTed, signed, to the
 * inbox's {@code webhook_url}.
 */
package io.switchboard.channel.api;
