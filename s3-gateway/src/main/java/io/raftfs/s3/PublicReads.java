package io.raftfs.s3;

import java.io.IOException;
import java.util.Set;

/**
 * Which anonymous requests the gateway serves: reads of the buckets its configuration makes public
 * ({@code raftfs.s3.public.read.buckets}), and nothing else. A public read is a GET or HEAD of an
 * object (with {@code response-*} overrides at most), a HeadBucket, or a ListObjects (v1 or v2) of
 * such a bucket; sub-resources (ACLs, uploads, versions...) and every write stay 403 {@code
 * AccessDenied}. The gateway serves them with its own key, so the file modes of what lies in a
 * public bucket do not matter: making a bucket public is the configuration's decision.
 */
final class PublicReads {
  private static final Set<String> LISTING_PARAMETERS =
      Set.of(
          "list-type",
          "prefix",
          "delimiter",
          "max-keys",
          "continuation-token",
          "start-after",
          "marker",
          "encoding-type",
          "fetch-owner");

  private final Set<String> buckets;

  PublicReads(Set<String> buckets) {
    this.buckets = Set.copyOf(buckets);
  }

  /** True if the (unsigned) request is a read of a public bucket. */
  boolean allows(S3Request request) {
    if (request.bucket == null || !buckets.contains(request.bucket)) {
      return false;
    }
    boolean get = request.method.equals("GET");
    boolean head = request.method.equals("HEAD");
    if (request.key != null) {
      return (get || head)
          && request.query.keySet().stream().allMatch(name -> name.startsWith("response-"));
    }
    return (head && request.query.isEmpty())
        || (get && LISTING_PARAMETERS.containsAll(request.query.keySet()));
  }

  /** Serves a request {@link #allows} passed, as the gateway itself. */
  static void serve(S3Request request, Buckets buckets, Objects objects, Listings listings)
      throws IOException {
    if (request.key != null) {
      if (request.method.equals("GET")) {
        objects.get(request);
      } else {
        objects.head(request);
      }
    } else if (request.method.equals("HEAD")) {
      buckets.head(request);
    } else if ("2".equals(request.query.get("list-type"))) {
      listings.listV2(request);
    } else {
      listings.listV1(request);
    }
  }
}
