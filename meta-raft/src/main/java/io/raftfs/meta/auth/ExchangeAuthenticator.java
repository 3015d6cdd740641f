package io.raftfs.meta.auth;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.AuthenticationException;
import io.raftfs.auth.SignatureVerifier;
import io.raftfs.auth.SigningScope;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a master serves an exchange of metadata requests ({@code POST /v1/meta}): it must
 * be signed by a known access key. Data nodes' own reports (registration, bad replicas) may come
 * unsigned: the masters accept them only from the node's registered host, and node certificates
 * will authenticate them (docs/security.md).
 */
public final class ExchangeAuthenticator {
  private static final Set<MetaRequest.OpCase> NODE_OPERATIONS =
      Set.of(MetaRequest.OpCase.REGISTER_DATA_NODE, MetaRequest.OpCase.REPORT_BAD_REPLICA);

  private final SignatureVerifier verifier;

  private ExchangeAuthenticator(SignatureVerifier verifier) {
    this.verifier = verifier;
  }

  /** Serves everyone: {@code raftfs.master.auth.enabled=false}. */
  public static ExchangeAuthenticator open() {
    return new ExchangeAuthenticator(null);
  }

  /** Serves exchanges signed by {@code root} within {@code clockSkew} of {@code clock}. */
  public static ExchangeAuthenticator signedBy(AccessKey root, Clock clock, Duration clockSkew) {
    SignatureVerifier.Secrets secrets =
        id -> id.equals(root.id()) ? Optional.of(root.secret()) : Optional.empty();
    return new ExchangeAuthenticator(
        new SignatureVerifier(secrets, SigningScope.RAFTFS, clock, clockSkew));
  }

  /**
   * Passes an exchange that may be served, returning the access key id that signed it ("" when
   * unsigned).
   *
   * @param header the request's header of a name, or null
   * @throws AuthenticationException with the one-line reason to answer with 401
   */
  public String check(
      String method,
      String path,
      String rawQuery,
      Function<String, String> header,
      byte[] body,
      MetaRequestList requests)
      throws AuthenticationException {
    if (verifier == null) {
      return "";
    }
    if (header.apply("Authorization") == null && onlyNodeOperations(requests)) {
      return "";
    }
    return verifier.verify(method, path, rawQuery == null ? "" : rawQuery, header, body);
  }

  private static boolean onlyNodeOperations(MetaRequestList requests) {
    return requests.getRequestsCount() > 0
        && requests.getRequestsList().stream()
            .allMatch(request -> NODE_OPERATIONS.contains(request.getOpCase()));
  }
}
