package io.switchboard.channel.email;

import io.switchboard.model.Inbox;

/**
 * Supplies OAuth2 access tokens for mailboxes that sign in with XOAUTH2 (Gmail, Microsoft 365)
 * instead of a password. Used for inboxes whose settings have {@code oauth2=true}; the token
 * is sent as the password of {@code smtp_username} / {@code imap_username}.
 *
 * <p>Called on send and poll threads, before each connection; it may block to refresh a token
 * and must be thread-safe. Keep refresh tokens in the host, not in the inbox settings.
 */
@FunctionalInterface
public interface OAuth2TokenSupplier {
  /** A current access token for {@code inbox}'s mailbox. */
  String accessToken(Inbox inbox) throws Exception;
}
