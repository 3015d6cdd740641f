package io.raftfs.auth;

import java.util.Objects;

/**
 * The region and service a signature is bound to (the middle of SigV4's credential scope), so a
 * signature made for one service cannot be replayed against another.
 */
public record SigningScope(String region, String service) {
  /** The scope of raftfs' own metadata requests to the masters. */
  public static final SigningScope RAFTFS = new SigningScope("raftfs", "raftfs");

  public SigningScope {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
  }

  /**
   * The SigV4 signing key of {@code secret} for this scope on {@code date} ({@code yyyyMMdd}): the
   * HMAC chain over the date, region, service and {@code aws4_request}.
   */
  public byte[] signingKey(String secret, String date) {
    return SigV4.signingKey(secret, date, this);
  }

  /** {@code date/region/service/aws4_request}. */
  String credentialScope(String date) {
    return date + '/' + region + '/' + service + '/' + SigV4.TERMINATOR;
  }
}
