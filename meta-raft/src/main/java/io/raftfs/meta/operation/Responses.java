package io.raftfs.meta.operation;

import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.MetaResponse;
import java.util.concurrent.CompletableFuture;

/** The answers every operation builds. */
public final class Responses {
  private Responses() {}

  public static MetaResponse.Builder ok() {
    return MetaResponse.newBuilder().setError(ErrorCode.OK);
  }

  public static MetaResponse error(ErrorCode code, String message) {
    return MetaResponse.newBuilder().setError(code).setMessage(message).build();
  }

  public static CompletableFuture<MetaResponse> done(MetaResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
