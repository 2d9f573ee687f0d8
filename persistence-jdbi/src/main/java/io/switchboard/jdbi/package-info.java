/**
 * The store on JDBI, HikariCP and Flyway: H2 (in memory or in a file; the embedded default)
 * and PostgreSQL. Create one with the factories of {@link io.switchboard.jdbi.JdbiStore}; the
 * schema is migrated on creation.
 */
package io.switchboard.jdbi;
