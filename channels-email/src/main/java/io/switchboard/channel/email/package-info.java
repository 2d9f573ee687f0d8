/**
 * The email channel: {@link io.switchboard.channel.email.EmailChannel} (register it on the
 * builder), {@link io.switchboard.channel.email.ImapPoller} for IMAP mailboxes and
 * {@link io.switchboard.channel.email.OAuth2TokenSupplier} for XOAUTH2 sign-in. Everything
 * else in this package is implementation.
 */
package io.switchboard.channel.email;
