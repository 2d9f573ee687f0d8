/**
 * Events and their dispatch.
 *
 * <p>Every change the services make is described by an {@link io.switchboard.event.Event}
 * written in the same transaction as the change (the transactional outbox and the event log).
 * After the commit, <b>sync</b> {@link io.switchboard.event.Listener}s run in the committing
 * thread through the {@link io.switchboard.event.Dispatcher}; <b>async</b> listeners are fed by
 * workers from the outbox, at least once, with retries and backoff, across restarts.
 */
package io.switchboard.event;
