package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.EndUserProofRefusedException;
import io.raftfs.client.meta.InvalidArgumentException;
import io.raftfs.client.meta.InvalidPathException;
import io.raftfs.client.meta.MastersUnavailableException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaException;
import io.raftfs.client.meta.NotEnoughDataNodesException;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.s3.auth.ProofRefusals;
import io.raftfs.s3.auth.S3Signature;
import io.raftfs.s3.body.BodyRejectedException;
import io.raftfs.s3.config.S3GatewayConfig;
import io.raftfs.s3.http.RequestBodyStream;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one S3 request on a worker thread: authenticates it (the masters check the proof with each
 * call), picks the operation, and turns every failure into S3's XML error with the right code. What
 * raftfs does not build is answered 501 {@code NotImplemented} at once, never a 500 that clients
 * would retry.
 */
final class S3Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(S3Dispatcher.class);

  // Sub-resources of buckets and objects that name operations not built (yet).
  private static final Set<String> UNBUILT =
      Set.of(
          "analytics",
          "accelerate",
          "cors",
          "encryption",
          "intelligent-tiering",
          "inventory",
          "legal-hold",
          "lifecycle",
          "logging",
          "metrics",
          "notification",
          "object-lock",
          "ownershipControls",
          "partNumber",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "replication",
          "requestPayment",
          "restore",
          "retention",
          "select",
          "tagging",
          "torrent",
          "versioning",
          "website",
          "attributes");

  private final MetaClient meta;
  private final String region;
  private final Buckets buckets;
  private final Objects objects;
  private final Listings listings;
  private final DeleteObjects deleteObjects;
  private final CopyObject copyObject;
  private final Multipart multipart;
  private final Acls acls;
  private final PublicReads publicReads;

  S3Dispatcher(
      MetaClient meta,
      FileSystemClient files,
      S3GatewayConfig config,
      Duration stallTimeout,
      ExecutorService copyReaders) {
    this.meta = meta;
    this.region = config.region();
    this.buckets = new Buckets(meta, config.region());
    this.objects = new Objects(meta, files, buckets, config.replication(), stallTimeout);
    this.listings = new Listings(meta, buckets, config.maxListKeys());
    this.deleteObjects = new DeleteObjects(objects);
    this.copyObject = new CopyObject(files, objects, buckets, copyReaders);
    this.multipart = new Multipart(meta, files, buckets, objects, config, copyReaders);
    this.acls = new Acls(meta, buckets);
    this.publicReads = new PublicReads(config.publicReadBuckets());
  }

  void serve(HttpServerRequest http, RequestBodyStream body) {
    String requestId = UUID.randomUUID().toString();
    http.response().putHeader("x-amz-request-id", requestId);
    try {
      S3Request request = new S3Request(http, body);
      if (OtherServiceCalls.answered(request, requestId)) {
        return;
      }
      if (S3Signature.anonymous(request.rawQuery, request::headers)
          && publicReads.allows(request)) {
        PublicReads.serve(request, buckets, objects, listings);
        return;
      }
      S3Signature signature =
          S3Signature.of(
              request.method, request.decodedPath, request.rawQuery, request::headers, region);
      try (MetaClient.EndUserScope scope = meta.actingFor(signature.proof())) {
        dispatch(request, signature);
      }
    } catch (Exception e) {
      S3Exception answer = answerFor(e);
      if (answer.status() >= 500) {
        LOG.warn("{} {}: {}", http.method(), http.path(), e.toString());
      }
      Answers.error(
          http.response(),
          http.method().name(),
          http.path(),
          answer,
          requestId,
          body.awaitsContinue() ? http.connection() : null);
    } finally {
      body.discardRest();
    }
  }

  private void dispatch(S3Request request, S3Signature signature) throws IOException {
    String accessKeyId = signature.proof().getAccessKeyId();
    if (multipart.serve(request, signature)) {
      return;
    }
    for (String parameter : request.query.keySet()) {
      if (UNBUILT.contains(parameter)) {
        throw S3Exception.notImplemented("the ?" + parameter + " sub-resource");
      }
    }
    String method = request.method;
    if (request.bucket != null && request.has("acl")) {
      switch (method) {
        case "GET" -> acls.get(request);
        case "PUT" -> acls.put(request);
        default -> throw S3Exception.notImplemented(method + " of an ACL");
      }
      return;
    }
    if (request.bucket == null) {
      if (method.equals("GET")) {
        buckets.list(request, accessKeyId);
        return;
      }
      throw S3Exception.notImplemented(method + " /");
    }
    if (request.key == null) {
      switch (method) {
        case "PUT" -> buckets.create(request, accessKeyId);
        case "HEAD" -> buckets.head(request);
        case "DELETE" -> buckets.delete(request, accessKeyId);
        case "GET" -> {
          if (request.has("location")) {
            buckets.location(request);
          } else if (request.has("versions")) {
            listings.listVersions(request);
          } else if ("2".equals(request.query.get("list-type"))) {
            listings.listV2(request);
          } else {
            listings.listV1(request);
          }
        }
        case "POST" -> {
          if (!request.has("delete")) {
            throw S3Exception.notImplemented("POST of a bucket");
          }
          buckets.require(request.bucket);
          deleteObjects.delete(request, signature);
        }
        default -> throw S3Exception.notImplemented(method + " of a bucket");
      }
      return;
    }
    switch (method) {
      case "PUT" -> {
        if (request.header("x-amz-copy-source") != null) {
          copyObject.copy(request);
        } else {
          objects.put(request, signature);
        }
      }
      case "GET" -> objects.get(request);
      case "HEAD" -> objects.head(request);
      case "DELETE" -> objects.delete(request);
      default -> throw S3Exception.notImplemented(method + " of an object");
    }
  }

  /** The S3 error for a failure anywhere in serving. */
  private static S3Exception answerFor(Exception e) {
    if (e instanceof S3Exception s3) {
      return s3;
    }
    BodyRejectedException rejected = BodyRejectedException.in(e);
    if (rejected != null) {
      return rejected.answer();
    }
    if (e instanceof EndUserProofRefusedException refused) {
      return ProofRefusals.answer(refused);
    }
    if (e instanceof PermissionDeniedException) {
      return new S3Exception(403, "AccessDenied", e.getMessage());
    }
    if (e instanceof InvalidPathException || e instanceof InvalidArgumentException) {
      return S3Exception.invalidArgument(e.getMessage());
    }
    if (e instanceof DirectoryNotEmptyException) {
      return new S3Exception(409, "BucketNotEmpty", e.getMessage());
    }
    if (e instanceof MastersUnavailableException || e instanceof NotEnoughDataNodesException) {
      return new S3Exception(503, "ServiceUnavailable", e.getMessage());
    }
    if (e instanceof MetaException || e instanceof IOException) {
      return new S3Exception(500, "InternalError", e.getMessage());
    }
    return new S3Exception(500, "InternalError", e.toString());
  }
}
