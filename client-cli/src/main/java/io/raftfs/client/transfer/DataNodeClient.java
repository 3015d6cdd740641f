package io.raftfs.client.transfer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * The data nodes' block API (docs/protocol.md): {@code PUT /blocks/{id}} through a replication
 * chain and {@code GET /blocks/{id}}. Every failure is a {@link DataNodeException} naming the node
 * to blame. Thread-safe; one instance serves every transfer of a client.
 */
public final class DataNodeClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Time for headers plus one second per MiB: a hung node fails the attempt, a slow link not. */
  private static final Duration BASE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A block download that receives no byte for this long is given up and the next replica tried: a
   * hung or cut-off node sends no reset, and a healthy one, even loaded, is never this silent.
   */
  static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(CONNECT_TIMEOUT)
          .build();
  private final Duration stallTimeout;

  public DataNodeClient() {
    this(DEFAULT_STALL_TIMEOUT);
  }

  /** With another stall timeout for downloads (tests). */
  DataNodeClient(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  /**
   * Stores a block on every node of {@code chain}: uploads it once to the first node, which
   * forwards it down the rest.
   *
   * @return the replicas the first node reports as stored
   */
  public List<String> putBlock(
      List<String> chain, long blockId, BlockSlice slice, int crc32c, LongConsumer progress)
      throws DataNodeException {
    String first = chain.get(0);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(blockUri(first, blockId))
            .timeout(timeoutFor(slice.length()))
            .header("X-Raftfs-Crc32c", Integer.toUnsignedString(crc32c))
            .PUT(body(slice, progress));
    if (chain.size() > 1) {
      request.header("X-Raftfs-Pipeline", String.join(",", chain.subList(1, chain.size())));
    }
    HttpResponse<String> response = send(first, request.build(), BodyHandlers.ofString());
    JsonObject json = parseJson(first, response);
    if (response.statusCode() != 201) {
      String failed = json.getString("failedNode");
      int status = response.statusCode();
      // 422 means the bytes were damaged on the way; nobody to blame, send them again.
      String blamed = status == 502 && failed != null ? failed : status == 422 ? null : first;
      throw new DataNodeException(
          first + ": PUT block " + Long.toUnsignedString(blockId) + ": " + describe(response, json),
          status,
          blamed,
          null);
    }
    JsonArray replicas = json.getJsonArray("replicas", new JsonArray());
    return replicas.stream().map(String::valueOf).toList();
  }

  /**
   * Reads a whole block of {@code length} bytes from {@code node} into {@code target}.
   *
   * @return the CRC32C of the bytes received, to compare with the committed one
   */
  public int getBlock(
      String node, long blockId, long length, BlockSink target, LongConsumer progress)
      throws DataNodeException {
    HttpRequest request =
        HttpRequest.newBuilder(blockUri(node, blockId)).timeout(timeoutFor(length)).GET().build();
    HttpResponse<InputStream> response = send(node, request, BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        throw new DataNodeException(
            node
                + ": GET block "
                + Long.toUnsignedString(blockId)
                + ": HTTP "
                + response.statusCode()
                + " "
                + text.strip(),
            response.statusCode(),
            node,
            null);
      }
      CRC32C crc = new CRC32C();
      byte[] buffer = new byte[Transfers.bufferFor(length)];
      long received = 0;
      StallGuard guard = StallGuard.watch(body, stallTimeout);
      try (guard) {
        for (int n; (n = body.read(buffer)) > 0; ) {
          guard.progressed();
          if (received + n > length) {
            throw new DataNodeException(
                node + ": block " + Long.toUnsignedString(blockId) + " is longer than " + length,
                200,
                node,
                null);
          }
          crc.update(buffer, 0, n);
          target.write(ByteBuffer.wrap(buffer, 0, n), received);
          received += n;
          progress.accept(n);
        }
      } catch (IOException e) {
        if (guard.stalled()) {
          throw new DataNodeException(
              node
                  + ": block "
                  + Long.toUnsignedString(blockId)
                  + ": no data for "
                  + stallTimeout.toMillis()
                  + " ms after "
                  + received
                  + " of "
                  + length
                  + " bytes",
              0,
              node,
              e);
        }
        throw e;
      }
      if (received != length) {
        throw new DataNodeException(
            node
                + ": block "
                + Long.toUnsignedString(blockId)
                + " ended after "
                + received
                + " of "
                + length
                + " bytes",
            200,
            node,
            null);
      }
      return (int) crc.getValue();
    } catch (IOException e) {
      if (e instanceof DataNodeException dne) {
        throw dne;
      }
      throw new DataNodeException(node + ": reading block failed: " + e.getMessage(), 0, node, e);
    }
  }

  private <T> HttpResponse<T> send(
      String node, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws DataNodeException {
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new DataNodeException(node + ": " + reason(e), 0, node, e);
    } catch (IOException | UncheckedIOException e) {
      // Broken mid-transfer: the node, or one behind it that made it give up. Blame nobody.
      throw new DataNodeException(node + ": " + reason(e), 0, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataNodeException(node + ": interrupted", 0, null, e);
    }
  }

  private static BodyPublisher body(BlockSlice slice, LongConsumer progress) {
    if (slice.length() == 0) {
      return BodyPublishers.noBody();
    }
    return BodyPublishers.fromPublisher(
        BodyPublishers.ofInputStream(
            () -> {
              try {
                return slice.open(progress);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
        slice.length());
  }

  private static JsonObject parseJson(String node, HttpResponse<String> response)
      throws DataNodeException {
    String body = response.body();
    if (body == null || body.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      if (response.statusCode() == 201) {
        throw new DataNodeException(node + ": unreadable answer: " + body, 201, node, e);
      }
      return new JsonObject().put("error", body.strip());
    }
  }

  private static String describe(HttpResponse<String> response, JsonObject json) {
    String error = json.getString("error", "");
    return ("HTTP " + response.statusCode() + " " + error).strip();
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static URI blockUri(String node, long blockId) {
    return URI.create("http://" + node + "/blocks/" + Long.toUnsignedString(blockId));
  }

  private static Duration timeoutFor(long bytes) {
    return BASE_TIMEOUT.plusSeconds(bytes >> 20);
  }
}
