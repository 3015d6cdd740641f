package io.raftfs.meta.auth;

import io.raftfs.auth.AuthenticationException;
import io.raftfs.auth.SignatureVerifier;
import io.raftfs.auth.SigningScope;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a master serves an exchange of metadata requests ({@code POST /v1/meta}), and for
 * whom: it must be signed by a known access key ({@link AccessKeys}). Data nodes' own reports
 * (registration, bad replicas) may come unsigned: the masters accept them only from the node's
 * registered host, and node certificates will authenticate them (docs/security.md).
 */
public final class ExchangeAuthenticator {
  private static final Set<MetaRequest.OpCase> NODE_OPERATIONS =
      Set.of(MetaRequest.OpCase.REGISTER_DATA_NODE, MetaRequest.OpCase.REPORT_BAD_REPLICA);

  private final AccessKeys keys;
  private final SignatureVerifier verifier;

  private ExchangeAuthenticator(AccessKeys keys, SignatureVerifier verifier) {
    this.keys = keys;
    this.verifier = verifier;
  }

  /** Serves everyone: {@code raftfs.master.auth.enabled=false}. */
  public static ExchangeAuthenticator open() {
    return new ExchangeAuthenticator(null, null);
  }

  /** Serves exchanges signed by one of {@code keys} within {@code clockSkew} of {@code clock}. */
  public static ExchangeAuthenticator signedBy(AccessKeys keys, Clock clock, Duration clockSkew) {
    return new ExchangeAuthenticator(
        keys, new SignatureVerifier(keys::secretOf, SigningScope.RAFTFS, clock, clockSkew));
  }

  /**
   * Passes an exchange that may be served, returning who signed it ({@link Identity#UNSIGNED} when
   * nobody did).
   *
   * @param header the request's header of a name, or null
   * @throws AuthenticationException with the one-line reason to answer with 401
   */
  public Identity check(
      String method,
      String path,
      String rawQuery,
      Function<String, String> header,
      byte[] body,
      MetaRequestList requests)
      throws AuthenticationException {
    if (verifier == null) {
      return Identity.UNSIGNED;
    }
    if (header.apply("Authorization") == null && onlyNodeOperations(requests)) {
      return Identity.UNSIGNED;
    }
    String keyId = verifier.verify(method, path, rawQuery == null ? "" : rawQuery, header, body);
    Identity identity = keys.identityOf(keyId);
    if (identity == null) {
      // Removed between the signature check and now.
      throw new AuthenticationException("unknown access key " + keyId, true);
    }
    return identity;
  }

  private static boolean onlyNodeOperations(MetaRequestList requests) {
    return requests.getRequestsCount() > 0
        && requests.getRequestsList().stream()
            .allMatch(request -> NODE_OPERATIONS.contains(request.getOpCase()));
  }
}
