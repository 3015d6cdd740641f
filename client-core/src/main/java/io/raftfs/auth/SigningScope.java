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

  /** {@code date/region/service/aws4_request}. */
  String credentialScope(String date) {
    return date + '/' + region + '/' + service + '/' + SigV4.TERMINATOR;
  }
}
