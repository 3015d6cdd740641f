package io.raftfs.client.transfer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.http.DeadlineExceededException;
import io.raftfs.http.HttpConnection;
import io.raftfs.http.HttpConnectionPool;
import io.raftfs.http.HttpResponse;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.PutBlockAnswer;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.tls.ClientTls;
import io.raftfs.tls.NodeName;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import javax.net.ssl.SSLException;

/**
 * The data nodes' block API (docs/protocol.md): {@code PUT /blocks/{id}} through a replication
 * chain and {@code GET /blocks/{id}}, over keep-alive connections on which the calling thread
 * itself writes and reads. Every failure is a {@link DataNodeException} naming the node to blame.
 * Over TLS a request goes only to the data node meant: the server's certificate must name the node
 * id of the {@link DataNodeAddress} (any data node's, when the id is empty), or the node is blamed
 * as unreachable ({@link io.raftfs.tls.WrongNodeException}). Thread-safe; one instance serves every
 * transfer of a client.
 */
public final class DataNodeClient implements AutoCloseable {
  /**
   * The slowest average rate a block transfer may have: besides the time for its answer, a block
   * gets one second per 256 KiB before it is given up, so a node that trickles bytes cannot hold a
   * transfer for ever (the stall timeout catches only a node that sends none).
   */
  private static final long MIN_BYTES_PER_SECOND = 256 << 10;

  /** The JSON answers to a PUT are a few hundred bytes; an error text no more than this. */
  private static final int MAX_ANSWER_BYTES = 64 << 10;

  // The answer also names the block, its length and CRC: fields this client does not need.
  private static final JsonFormat.Parser ANSWER_PARSER =
      JsonFormat.parser().ignoringUnknownFields();

  private final ClientConfig config;
  private final HttpConnectionPool connections;
  private final Duration stallTimeout;

  /** With the default timeouts. */
  public DataNodeClient() {
    this(ClientConfig.DEFAULTS);
  }

  public DataNodeClient(ClientConfig config) {
    this.config = config;
    this.connections =
        new HttpConnectionPool(
            config.connectTimeout(),
            config.connectionIdle(),
            config.tls().map(tls -> new ClientTls(tls, NodeName.Role.DATANODE)).orElse(null));
    this.stallTimeout = config.stallTimeout();
  }

  /** {@link #putBlock(List, long, BlockSlice, int, String, LongConsumer)} without a token. */
  public List<String> putBlock(
      List<DataNodeAddress> chain,
      long blockId,
      BlockSlice slice,
      int crc32c,
      LongConsumer progress)
      throws DataNodeException {
    return putBlock(chain, blockId, slice, crc32c, "", progress);
  }

  /**
   * Stores a block on every node of {@code chain}: uploads it once to the first node, which
   * forwards it down the rest.
   *
   * @param token the placement's block token ({@code LocatedBlock.token}); empty: none
   * @return the replicas the first node reports as stored
   */
  public List<String> putBlock(
      List<DataNodeAddress> chain,
      long blockId,
      BlockSlice slice,
      int crc32c,
      String token,
      LongConsumer progress)
      throws DataNodeException {
    DataNodeAddress head = chain.get(0);
    String first = head.getHttpAddress();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DataNodeProtocol.CRC32C, Integer.toUnsignedString(crc32c));
    if (!token.isEmpty()) {
      headers.put(DataNodeProtocol.BLOCK_TOKEN, token);
    }
    if (chain.size() > 1) {
      headers.put(
          DataNodeProtocol.PIPELINE,
          String.join(
              ",",
              chain.subList(1, chain.size()).stream()
                  .map(DataNodeAddress::getHttpAddress)
                  .toList()));
    }
    Duration answerTimeout = config.putAnswerTimeout(slice.length());
    Duration deadline = answerTimeout.plus(transferTime(slice.length()));
    String what = "PUT block " + Long.toUnsignedString(blockId);
    int status;
    PutBlockAnswer answer;
    try (HttpResponse response =
        exchange(
            head,
            "PUT",
            DataNodeProtocol.blockPath(blockId),
            headers,
            slice,
            progress,
            answerTimeout,
            deadline)) {
      status = response.status();
      answer = parseAnswer(first, status, response.bodyText(MAX_ANSWER_BYTES));
    } catch (DataNodeException e) {
      throw e;
    } catch (DeadlineExceededException e) {
      throw new DataNodeException(
          first + ": " + what + ": not answered within " + deadline.toMillis() + " ms",
          0,
          first,
          e);
    } catch (SocketTimeoutException e) {
      throw new DataNodeException(
          first + ": " + what + ": no answer within " + answerTimeout.toSeconds() + " s",
          0,
          first,
          e);
    } catch (IOException e) {
      // A failed handshake is the head's doing (not the one meant, or no TLS): place without it.
      String blamed = e instanceof SSLException ? first : null;
      throw new DataNodeException(first + ": " + what + ": " + reason(e), 0, blamed, e);
    }
    if (status != 201) {
      String failed = answer.getFailedNode();
      // 422 means the bytes were damaged on the way; nobody to blame, send them again. Nor is
      // a node that refused the token: a new placement brings a fresh one.
      String blamed = status == 502 && !failed.isEmpty() ? failed : status == 422 ? null : first;
      String error = answer.getError();
      DataNodeException refused =
          new DataNodeException(
              first + ": " + what + ": " + ("HTTP " + status + " " + error).strip(),
              status,
              blamed,
              null);
      if (refused.tokenRefused()) {
        throw new DataNodeException(refused.getMessage(), status, null, null);
      }
      throw refused;
    }
    return List.copyOf(answer.getReplicasList());
  }

  /**
   * {@link #getBlock(DataNodeAddress, long, long, String, BlockSink, LongConsumer)} without a
   * token.
   */
  public int getBlock(
      DataNodeAddress node, long blockId, long length, BlockSink target, LongConsumer progress)
      throws DataNodeException {
    return getBlock(node, blockId, length, "", target, progress);
  }

  /**
   * Reads a whole block of {@code length} bytes from {@code node} into {@code target}.
   *
   * @param token the location's block token ({@code LocatedBlock.token}); empty: none
   * @return the CRC32C of the bytes received, to compare with the committed one
   */
  public int getBlock(
      DataNodeAddress node,
      long blockId,
      long length,
      String token,
      BlockSink target,
      LongConsumer progress)
      throws DataNodeException {
    return get(node, blockId, -1, length, token, target, progress, null);
  }

  /**
   * Reads {@code length} bytes of a block from {@code offset} on into {@code target}, at positions
   * relative to {@code offset}, checked end to end: the requests ({@code Range: bytes=a-b}) cover
   * whole checksum chunks, and every chunk is checked against the CRC32C the node stored for it
   * before any of its bytes reach {@code target}.
   *
   * @param blockLength the block's committed length
   * @param length at least 1; the range must lie within the block
   * @throws CorruptReplicaException when a chunk fails its CRC32C
   */
  public void getBlockRange(
      DataNodeAddress node,
      long blockId,
      long blockLength,
      long offset,
      long length,
      String token,
      BlockSink target,
      LongConsumer progress)
      throws DataNodeException {
    if (offset < 0 || length < 1 || offset + length > blockLength) {
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " of a block of " + blockLength + " bytes");
    }
    long chunk = DataNodeProtocol.CHUNK_BYTES;
    long end = offset + length;
    long alignedEnd = Math.min(blockLength, (end + chunk - 1) / chunk * chunk);
    long span = DataNodeProtocol.MAX_RANGE_CHUNKS * chunk;
    for (long from = offset / chunk * chunk; from < alignedEnd; from += span) {
      long to = Math.min(alignedEnd, from + span);
      get(node, blockId, from, to - from, token, target, progress, new long[] {offset, end});
    }
  }

  /**
   * A whole block ({@code offset} -1: answered with 200) or a chunk-aligned range of it (answered
   * with 206 and its chunks' CRC32Cs, checked here).
   *
   * @param wanted for a range: the block offsets of the reader's first byte and of the byte after
   *     its last; only those reach {@code target}, at positions relative to the first
   * @return the CRC32C of the bytes received (of a whole block)
   */
  private int get(
      DataNodeAddress replica,
      long blockId,
      long offset,
      long length,
      String token,
      BlockSink target,
      LongConsumer progress,
      long[] wanted)
      throws DataNodeException {
    String node = replica.getHttpAddress();
    String block = "block " + Long.toUnsignedString(blockId);
    // The same base as a PUT's answer, plus the time the bytes may take at the slowest rate.
    Duration deadline = config.putAnswerTimeout(0).plus(transferTime(length));
    Map<String, String> headers = new LinkedHashMap<>();
    if (!token.isEmpty()) {
      headers.put(DataNodeProtocol.BLOCK_TOKEN, token);
    }
    if (offset >= 0) {
      headers.put("Range", "bytes=" + offset + "-" + (offset + length - 1));
      block += " bytes " + offset + "+" + length;
    }
    int expected = offset >= 0 ? 206 : 200;
    long received = 0;
    try (HttpResponse response =
        exchange(
            replica,
            "GET",
            DataNodeProtocol.blockPath(blockId),
            headers,
            null,
            progress,
            stallTimeout,
            deadline)) {
      if (response.status() != expected) {
        throw new DataNodeException(
            node
                + ": GET "
                + block
                + ": HTTP "
                + response.status()
                + " "
                + response.bodyText(MAX_ANSWER_BYTES).strip(),
            response.status(),
            node,
            null);
      }
      InputStream body = response.body();
      CRC32C crc = new CRC32C();
      ChunkCheckedSink checked =
          wanted == null
              ? null
              : chunkChecked(response, node, block, offset, length, wanted, target, progress);
      byte[] buffer = new byte[Transfers.bufferFor(length)];
      for (int n; (n = body.read(buffer)) > 0; ) {
        if (received + n > length) {
          throw new DataNodeException(
              node + ": " + block + " is longer than " + length, 200, node, null);
        }
        received += n;
        if (checked != null) {
          checked.accept(buffer, 0, n);
          continue;
        }
        crc.update(buffer, 0, n);
        target.write(ByteBuffer.wrap(buffer, 0, n), received - n);
        progress.accept(n);
      }
      if (received != length) {
        throw new DataNodeException(
            node + ": " + block + " ended after " + received + " of " + length + " bytes",
            200,
            node,
            null);
      }
      if (checked != null) {
        checked.finish();
      }
      return (int) crc.getValue();
    } catch (DeadlineExceededException e) {
      throw new DataNodeException(
          node
              + ": "
              + block
              + ": not received within "
              + deadline.toMillis()
              + " ms, "
              + received
              + " of "
              + length
              + " bytes arrived",
          0,
          node,
          e);
    } catch (SocketTimeoutException e) {
      throw new DataNodeException(
          node
              + ": "
              + block
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
    } catch (DataNodeException e) {
      throw e;
    } catch (IOException e) {
      throw new DataNodeException(
          node + ": reading " + block + " failed: " + reason(e), 0, node, e);
    }
  }

  private static ChunkCheckedSink chunkChecked(
      HttpResponse response,
      String node,
      String block,
      long offset,
      long length,
      long[] wanted,
      BlockSink target,
      LongConsumer progress)
      throws DataNodeException {
    int chunks = (int) ((length + DataNodeProtocol.CHUNK_BYTES - 1) / DataNodeProtocol.CHUNK_BYTES);
    try {
      int[] crcs =
          DataNodeProtocol.parseChunkCrcs(response.header(DataNodeProtocol.CHUNK_CRC32C), chunks);
      return new ChunkCheckedSink(crcs, offset, wanted[0], wanted[1], target, progress, node);
    } catch (IllegalArgumentException e) {
      throw new DataNodeException(
          node + ": GET " + block + ": " + e.getMessage(), response.status(), node, null);
    }
  }

  /** Closes the idle connections; transfers still running finish on theirs. */
  @Override
  public void close() {
    connections.close();
  }

  /** How long {@code length} bytes may take at the slowest rate accepted. */
  private static Duration transferTime(long length) {
    return Duration.ofMillis(length * 1000 / MIN_BYTES_PER_SECOND);
  }

  /**
   * Sends a request and reads the answer's head ({@link HttpConnectionPool#exchange}: a request on
   * a kept-alive connection the node closed meanwhile goes again once on a new one).
   *
   * @throws DataNodeException blaming {@code node} when it cannot be reached
   */
  private HttpResponse exchange(
      DataNodeAddress node,
      String method,
      String target,
      Map<String, String> headers,
      BlockSlice body,
      LongConsumer progress,
      Duration answerTimeout,
      Duration deadline)
      throws IOException {
    long[] sent = {0};
    try {
      return connections.exchange(
          node.getHttpAddress(),
          node.getNodeId(),
          answerTimeout,
          deadline,
          connection -> {
            if (sent[0] > 0) {
              progress.accept(-sent[0]); // a second attempt: the first one's bytes never arrived
              sent[0] = 0;
            }
            send(
                connection,
                method,
                target,
                headers,
                body,
                n -> {
                  sent[0] += n;
                  progress.accept(n);
                });
          });
    } catch (ConnectException e) {
      throw new DataNodeException(
          node.getHttpAddress() + ": " + reason(e), 0, node.getHttpAddress(), e);
    }
  }

  /**
   * Writes the request. A body the kernel may not take at once (a node that stops reading would
   * block the write forever) is watched: no progress for the stall timeout closes the connection.
   */
  private void send(
      HttpConnection connection,
      String method,
      String target,
      Map<String, String> headers,
      BlockSlice body,
      LongConsumer progress)
      throws IOException {
    if (body == null || body.length() == 0) {
      connection.send(method, target, headers, null, 0);
      return;
    }
    if (!connection.mayBlockWriting(body.length())) {
      try (InputStream in = body.open(progress)) {
        connection.send(method, target, headers, in, body.length());
      }
      return;
    }
    StallGuard guard = StallGuard.watch(connection, stallTimeout);
    try (guard;
        InputStream in =
            body.open(
                n -> {
                  guard.progressed();
                  progress.accept(n);
                })) {
      connection.send(method, target, headers, in, body.length());
    } catch (IOException e) {
      if (guard.stalled()) {
        throw new DataNodeException(
            connection.address()
                + ": took no data for "
                + stallTimeout.toMillis()
                + " ms while sending "
                + target,
            0,
            connection.address(),
            e);
      }
      throw e;
    }
  }

  private static PutBlockAnswer parseAnswer(String node, int status, String body)
      throws DataNodeException {
    PutBlockAnswer.Builder answer = PutBlockAnswer.newBuilder();
    if (body.isBlank()) {
      return answer.build();
    }
    try {
      ANSWER_PARSER.merge(body, answer);
      return answer.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      if (status == 201) {
        throw new DataNodeException(node + ": unreadable answer: " + body, 201, node, e);
      }
      return PutBlockAnswer.newBuilder().setError(body.strip()).build();
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
