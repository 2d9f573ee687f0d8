package io.switchboard.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A data source that counts the statements prepared through it, by SQL text: how the harness
 * tells how many statements the pipeline runs per message ({@code sqlstats} argument).
 */
final class SqlCounter {
  final Map<String, LongAdder> statements = new ConcurrentHashMap<>();
  final LongAdder connections = new LongAdder();

  DataSource wrap(DataSource ds) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(method, ds, args);
          if (result instanceof Connection c) {
            connections.increment();
            return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, connection(c));
          }
          return result;
        });
  }

  private InvocationHandler connection(Connection c) {
    return (proxy, method, args) -> {
      if ((method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))
          && args != null && args[0] instanceof String sql) {
        String key = sql.replaceAll("\\s+", " ").strip();
        statements.computeIfAbsent(key.length() > 110 ? key.substring(0, 110) : key,
            k -> new LongAdder()).increment();
      }
      return invoke(method, c, args);
    };
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  long total() {
    return statements.values().stream().mapToLong(LongAdder::sum).sum();
  }

  void reset() {
    statements.clear();
    connections.reset();
  }

  /** The statements, most frequent first, per message. */
  String top(int messages, int limit) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(java.util.Locale.ROOT, "%.1f statements and %.1f transactions "
        + "(connections) per message%n", total() / (double) messages,
        connections.sum() / (double) messages));
    statements.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum())).limit(limit)
        .forEach(e -> out.append(String.format(java.util.Locale.ROOT, "%6.2f  %s%n",
            e.getValue().sum() / (double) messages, e.getKey())));
    return out.toString();
  }
}
