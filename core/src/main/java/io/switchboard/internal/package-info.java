/**
 * Switchboard's implementation. <b>Not a supported API</b>: these classes are public only so
 * that Switchboard's own modules can share them, and may change in any release.
 */
package io.switchboard.internal;
