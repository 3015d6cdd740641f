package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.FileStatus;
import io.raftfs.s3.body.CheckedBody;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The source of a copy ({@code x-amz-copy-source: bucket/key}), for CopyObject and UploadPartCopy:
 * its bytes are read from the replicas on a reader thread and streamed into the new file on the
 * request's thread, never through the client. raftfs files cannot share blocks, so the bytes are
 * copied; they are counted against the length asked for before the commit, so a failed read never
 * leaves a short copy.
 *
 * @param bucket the source's bucket
 * @param key the source's key
 */
record CopySource(String bucket, String key) {
  // The reader and the writer of a copy have this much in flight between them.
  private static final int PIPE_BYTES = 1 << 20;

  /** Writes a copy's bytes into its new file, returning what was committed. */
  @FunctionalInterface
  interface Store {
    FileStatus store(CheckedBody bytes) throws IOException;
  }

  /**
   * The request's {@code x-amz-copy-source}, percent-decoded; version {@code null} only. The
   * version follows a literal {@code ?}: one in the key comes encoded ({@code %3F}), so the header
   * is split before it is decoded.
   */
  static CopySource of(S3Request request) {
    String source = request.header("x-amz-copy-source");
    int query = source.indexOf('?');
    if (query >= 0) {
      if (!source.substring(query + 1).equals("versionId=null")) {
        throw S3Exception.notImplemented("copying a version other than null");
      }
      source = source.substring(0, query);
    }
    source = S3Request.percentDecode(source);
    source = source.startsWith("/") ? source.substring(1) : source;
    int slash = source.indexOf('/');
    if (slash <= 0 || slash == source.length() - 1) {
      throw S3Exception.invalidArgument("x-amz-copy-source must be bucket/key: " + source);
    }
    return new CopySource(source.substring(0, slash), source.substring(slash + 1));
  }

  /**
   * Streams bytes {@code [first, first + length)} of {@code file} into {@code store}, read by one
   * of {@code readers}; the body {@code store} gets ends with the check of the length.
   */
  static FileStatus copy(
      FileSystemClient files,
      ExecutorService readers,
      BlockLocations file,
      long first,
      long length,
      Store store)
      throws IOException {
    PipedInputStream pipe = new PipedInputStream(PIPE_BYTES);
    PipedOutputStream sink = new PipedOutputStream(pipe);
    Future<?> reading =
        readers.submit(
            () -> {
              try (sink) {
                files.read(file, first, length, sink);
              }
              return null;
            });
    Map<String, String> lengthOnly = new HashMap<>();
    lengthOnly.put("content-length", Long.toString(length));
    CheckedBody body = new CheckedBody(pipe, lengthOnly::get, "UNSIGNED-PAYLOAD", null);
    try {
      FileStatus copied = store.store(body);
      reading.get();
      return copied;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while copying");
    } catch (ExecutionException e) {
      throw new IOException("reading the source failed: " + e.getCause().getMessage(), e);
    } finally {
      reading.cancel(true);
      pipe.close();
    }
  }
}
