package io.switchboard.jdbi;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Collection;
import javax.sql.DataSource;

/**
 * A data source that records what the store does with its connections: the text of every
 * statement prepared, and the name of every other connection method called.
 */
final class RecordingDataSource implements InvocationHandler {
  private final Object target;
  private final Collection<String> statements;
  private final Collection<String> calls;

  private RecordingDataSource(Object target, Collection<String> statements,
      Collection<String> calls) {
    this.target = target;
    this.statements = statements;
    this.calls = calls;
  }

  /**
   * Wraps {@code pool}. Either collection may be null; both must be thread-safe.
   *
   * @param statements receives the SQL of each prepared statement
   * @param calls receives the name of each connection method called
   */
  static DataSource wrap(DataSource pool, Collection<String> statements,
      Collection<String> calls) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, new RecordingDataSource(pool, statements, calls));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (target instanceof Connection) {
      if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
        if (statements != null) {
          statements.add(sql);
        }
      } else if (calls != null) {
        calls.add(method.getName());
      }
    }
    Object result;
    try {
      result = method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    return target instanceof DataSource && result instanceof Connection connection
        ? Proxy.newProxyInstance(Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new RecordingDataSource(connection, statements, calls))
        : result;
  }
}
