package io.raftfs.http;

import io.raftfs.tls.ClientTls;
import io.raftfs.tls.WrongNodeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keep-alive {@link HttpConnection}s per node. A connection is handed to one caller at a time and
 * comes back when its answer was read to the end; the most recently used one is handed out first,
 * and one idle longer than {@code maxIdle} is closed instead (data nodes and masters close theirs
 * after 120 s). Thread-safe.
 *
 * <pre>{@code
 * try (HttpConnectionPool pool = new HttpConnectionPool(Duration.ofSeconds(5), Duration.ofSeconds(60));
 *     HttpResponse response = pool.exchange(node, timeout, deadline, c -> c.send("GET", "/health", Map.of(), null, 0))) {
 *   ...
 * }
 * }</pre>
 */
public final class HttpConnectionPool implements AutoCloseable {
  /** Idle connections kept per node; more are closed. */
  private static final int MAX_IDLE_PER_NODE = 64;

  private final Duration connectTimeout;
  private final long maxIdleNanos;
  private final ClientTls tls; // null: plaintext
  // Guarded by this.
  private final Map<String, ArrayDeque<HttpConnection>> idle = new HashMap<>();
  private boolean closed;

  /** Plaintext connections. */
  public HttpConnectionPool(Duration connectTimeout, Duration maxIdle) {
    this(connectTimeout, maxIdle, null);
  }

  /**
   * Connections over TLS with {@code tls}, or plaintext when it is null; {@code connectTimeout}
   * bounds the connect and the handshake each.
   */
  public HttpConnectionPool(Duration connectTimeout, Duration maxIdle, ClientTls tls) {
    this.connectTimeout = connectTimeout;
    this.maxIdleNanos = maxIdle.toNanos();
    this.tls = tls;
  }

  /**
   * An idle connection to {@code address} if {@code reuse} and one is there, else a new one.
   *
   * @throws java.net.ConnectException when no connection can be made
   */
  HttpConnection connect(String address, boolean reuse) throws IOException {
    if (reuse) {
      HttpConnection pooled = takeIdle(address);
      if (pooled != null) {
        return pooled;
      }
    }
    synchronized (this) {
      if (closed) {
        throw new IOException("the HTTP client is closed");
      }
    }
    return HttpConnection.open(this, address, connectTimeout, tls);
  }

  /** Writes one request on a connection; may run twice, see {@link #exchange}. */
  @FunctionalInterface
  public interface RequestWriter {
    void writeTo(HttpConnection connection) throws IOException;
  }

  /**
   * Sends a request to {@code address} and reads the answer's head, each read waiting at most
   * {@code answerTimeout}; the whole answer, body included, must have arrived within {@code
   * deadline} from now, or reading it fails with {@link DeadlineExceededException}. A kept-alive
   * connection the node closed meanwhile (it restarted, or dropped it) fails before any answer:
   * then the request is written again, once, on a new connection, within the same deadline. A
   * connection closed here (a watchdog, an interrupt) or a timeout is not retried. A connection
   * whose answer's head could not be read is closed, whatever the failure.
   *
   * @throws java.net.ConnectException when no connection can be made
   * @throws MalformedAnswerException when the head breaks HTTP/1.1 or a cap
   */
  public HttpResponse exchange(
      String address, Duration answerTimeout, Duration deadline, RequestWriter request)
      throws IOException {
    return exchange(address, "", answerTimeout, deadline, request);
  }

  /**
   * {@link #exchange(String, Duration, Duration, RequestWriter)} with node {@code nodeId} of the
   * pool's role, and no other, at {@code address}: over TLS the request goes out only on a
   * connection whose server certificate names that node (read once per connection, at the
   * handshake), so a stale address or a node holding another's key gets nothing.
   *
   * @param nodeId the node meant; empty: any node of the pool's role
   * @throws io.raftfs.tls.WrongNodeException when the certificate names another node
   */
  public HttpResponse exchange(
      String address,
      String nodeId,
      Duration answerTimeout,
      Duration deadline,
      RequestWriter request)
      throws IOException {
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    boolean reuse = true;
    while (true) {
      HttpConnection connection = connect(address, reuse);
      if (tls != null) {
        try {
          tls.requireNode(address, connection.peer(), nodeId);
        } catch (WrongNodeException e) {
          connection.close();
          throw e;
        }
      }
      boolean handedOver = false;
      try {
        request.writeTo(connection);
        HttpResponse response = connection.receive(answerTimeout, deadlineNanos);
        handedOver = true;
        return response;
      } catch (IOException e) {
        boolean givenUp = connection.closed() || e instanceof InterruptedIOException;
        if (!connection.reused() || connection.answered() || givenUp) {
          throw e;
        }
        forget(address); // the others likely went the same way
        reuse = false;
      } finally {
        if (!handedOver) {
          connection.close();
        }
      }
    }
  }

  /** Closes every idle connection to {@code address}. */
  void forget(String address) {
    ArrayDeque<HttpConnection> stale;
    synchronized (this) {
      stale = idle.remove(address);
    }
    if (stale != null) {
      stale.forEach(HttpConnection::close);
    }
  }

  void release(HttpConnection connection) {
    synchronized (this) {
      if (!closed) {
        ArrayDeque<HttpConnection> queue =
            idle.computeIfAbsent(connection.address(), a -> new ArrayDeque<>());
        if (queue.size() < MAX_IDLE_PER_NODE) {
          queue.push(connection);
          return;
        }
      }
    }
    connection.close();
  }

  @Override
  public void close() {
    List<HttpConnection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
    }
    all.forEach(HttpConnection::close);
  }

  private HttpConnection takeIdle(String address) {
    List<HttpConnection> expired = new ArrayList<>();
    HttpConnection found = null;
    long now = System.nanoTime();
    synchronized (this) {
      ArrayDeque<HttpConnection> queue = idle.get(address);
      while (queue != null && !queue.isEmpty() && found == null) {
        HttpConnection candidate = queue.pop();
        if (now - candidate.idleSinceNanos() > maxIdleNanos) {
          expired.add(candidate);
        } else {
          found = candidate;
        }
      }
    }
    expired.forEach(HttpConnection::close);
    return found;
  }
}
