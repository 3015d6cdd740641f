package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import com.google.protobuf.ByteString;
import io.raftfs.auth.AuthenticationException;
import io.raftfs.auth.EndUserProofVerifier;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.SigningKey;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * {@code signing_key}: the SigV4 signing key of the end user's proof the request carries, so that
 * an S3 gateway can check the chunk signatures of a streaming upload (docs/security.md). The proof
 * was verified already ({@code ExchangeAuthenticator.actingAs}: a superuser's exchange, a valid
 * signature); the key answered is the derived one, good for the proof's day, region and {@code s3}
 * only, never the secret. A read of the user table this master applied: any master answers, and
 * nothing is logged.
 */
final class DeriveSigningKey implements ClientOperation {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.SIGNING_KEY;
  }

  @Override
  public String metricName() {
    return "signing_key";
  }

  @Override
  public boolean leaderOnly() {
    return false;
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    if (!request.hasEndUser()) {
      throw NamespaceException.invalidArgument(
          metricName(), "only with an end user's proof (MetaRequest.end_user)");
    }
    EndUserProofVerifier proofs = master.endUserProofs();
    if (proofs == null) {
      // Without auth no signature is checked, so neither are chunks: an empty key says so.
      return Responses.done(ok().setSigningKey(SigningKey.getDefaultInstance()).build());
    }
    try {
      byte[] key = proofs.signingKey(request.getEndUser());
      return Responses.done(
          ok().setSigningKey(SigningKey.newBuilder().setKey(ByteString.copyFrom(key))).build());
    } catch (AuthenticationException e) {
      // The proof passed moments ago; only a key removed or rotated since fails here.
      return Responses.done(Responses.error(ErrorCode.END_USER_PROOF_REFUSED, e.getMessage()));
    }
  }
}
