/**
 * The quickstart host: Jetty 12 with an embedded H2 file database, a JSON API and console for
 * agents, the real-time WebSocket endpoint, and the webhook routes of every registered
 * channel. A sample of how a host wires Switchboard into its own web layer.
 */
package io.switchboard.examples.host;
