package io.switchboard.jdbi.internal;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/** Binds {@link Instant}s as {@code TIMESTAMP WITH TIME ZONE} in UTC, whatever the JVM's zone. */
public final class TimeArguments extends AbstractArgumentFactory<Instant> {
  public TimeArguments() {
    super(Types.TIMESTAMP_WITH_TIMEZONE);
  }

  @Override
  protected Argument build(Instant value, ConfigRegistry config) {
    return (position, statement, ctx) -> statement.setObject(position, value.atOffset(ZoneOffset.UTC));
  }
}
