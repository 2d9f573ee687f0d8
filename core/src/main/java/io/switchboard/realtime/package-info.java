/**
 * Real-time delivery: the {@link io.switchboard.realtime.RealtimeHub} routes committed events
 * to agents (by account and inbox membership; administrators see the whole account) and to
 * contacts (by their contact inbox's pubsub token: public messages of their own conversations
 * only), replays what a reconnecting client missed from the event log, and tracks presence.
 */
package io.switchboard.realtime;
