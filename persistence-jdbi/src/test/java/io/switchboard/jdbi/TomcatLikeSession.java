package io.switchboard.jdbi;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server-side {@link Session} whose asynchronous remote behaves like Tomcat's: a second
 * {@code sendText} while one is in flight throws {@link IllegalStateException}
 * ({@code TEXT_FULL_WRITING}). Sends complete in turn on another thread, except every third,
 * which completes inside {@code sendText} on the caller's thread, as containers do when the
 * socket takes the frame at once. While {@link #stall} is set, sends do not complete.
 */
final class TomcatLikeSession implements AutoCloseable {
  /** The frames the client received, in order. */
  final List<String> received = new CopyOnWriteArrayList<>();
  /** How the server closed the session, once it did. */
  final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  final Session session;
  volatile boolean stall;
  private final ExecutorService network = Executors.newSingleThreadExecutor();
  private final Map<String, List<String>> parameters;
  private final Map<String, Object> userProperties = new ConcurrentHashMap<>();
  private final List<Runnable> stalled = new ArrayList<>();
  private final AtomicInteger sends = new AtomicInteger();
  private volatile MessageHandler.Whole<String> handler;
  private boolean inFlight;

  TomcatLikeSession(Map<String, List<String>> parameters) {
    this.parameters = parameters;
    RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "sendText" -> sendText((String) args[0],
              args.length > 1 ? (SendHandler) args[1] : null);
          default -> throw new UnsupportedOperationException(method.getName());
        });
    session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getAsyncRemote" -> async;
          case "isOpen" -> !closed.isDone();
          case "getId" -> "tomcat-like";
          case "getRequestParameterMap" -> parameters;
          case "getUserProperties" -> userProperties;
          case "addMessageHandler" -> {
            @SuppressWarnings("unchecked")
            MessageHandler.Whole<String> h = (MessageHandler.Whole<String>) args[args.length - 1];
            handler = h;
            yield null;
          }
          case "close" -> closed.complete(args == null ? null : (CloseReason) args[0]);
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "TomcatLikeSession";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** A text frame from the client, such as a heartbeat. */
  void fromClient(String text) {
    handler.onMessage(text);
  }

  /** Lets stalled sends complete, and the ones after them. */
  void resume() {
    List<Runnable> held;
    synchronized (this) {
      stall = false;
      held = List.copyOf(stalled);
      stalled.clear();
    }
    held.forEach(network::execute);
  }

  private Future<Void> sendText(String text, SendHandler onDone) {
    synchronized (this) {
      if (inFlight) {
        throw new IllegalStateException("The remote endpoint was in state [TEXT_FULL_WRITING]"
            + " which is an invalid state for called method");
      }
      inFlight = true;
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    Runnable complete = () -> {
      received.add(text);
      synchronized (this) {
        inFlight = false; // as in Tomcat, the send is over before the handler hears of it
      }
      future.complete(null);
      if (onDone != null) {
        onDone.onResult(new SendResult());
      }
    };
    synchronized (this) {
      if (stall) {
        stalled.add(complete);
        return future;
      }
    }
    if (sends.incrementAndGet() % 3 == 0) {
      complete.run();
    } else {
      network.execute(() -> {
        sleepBriefly();
        complete.run();
      });
    }
    return future;
  }

  private static void sleepBriefly() {
    try {
      TimeUnit.MILLISECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    network.shutdownNow();
  }
}
