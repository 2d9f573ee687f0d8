/**
 * The domain model: immutable records with the semantics of a Chatwoot account.
 *
 * <p>Every entity below {@link io.switchboard.model.Account} carries its {@code accountId};
 * the services never read or write an entity of one account through a call made for another.
 * Values are validated in their compact constructors; maps and lists are copied and
 * unmodifiable.
 */
package io.switchboard.model;
