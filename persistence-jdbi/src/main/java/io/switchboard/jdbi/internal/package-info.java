/** The JDBI store's implementation. Not a supported API. */
package io.switchboard.jdbi.internal;
