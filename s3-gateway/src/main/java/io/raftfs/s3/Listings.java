package io.raftfs.s3;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ListObjects (v1) and ListObjectsV2 over the bucket's directory tree. Keys come in S3's order (by
 * their UTF-8 bytes, which for these strings is their UTF-16 order but for surrogates), walked from
 * the marker on ({@link KeyWalk}); with the delimiter {@code /} only the prefix's directory is
 * read. Directories with nothing in them are not prefixes: they are what deleted keys leave behind.
 */
final class Listings {
  private final MetaClient meta;
  private final Buckets buckets;
  private final int maxKeys;

  Listings(MetaClient meta, Buckets buckets, int maxKeys) {
    this.meta = meta;
    this.buckets = buckets;
    this.maxKeys = maxKeys;
  }

  /** GET /bucket?list-type=2. */
  void listV2(S3Request request) {
    String token = request.query.get("continuation-token");
    String startAfter = request.query.getOrDefault("start-after", "");
    String after = token == null ? startAfter : decodeToken(token);
    Page page = page(request, after);
    S3Xml xml = S3Xml.document("ListBucketResult");
    xml.element("Name", request.bucket);
    common(xml, request, page, true);
    xml.element("KeyCount", page.keys.size() + page.prefixes.size());
    if (token != null) {
      xml.element("ContinuationToken", token);
    }
    if (!startAfter.isEmpty()) {
      xml.element("StartAfter", encode(request, startAfter));
    }
    if (page.truncated) {
      xml.element("NextContinuationToken", encodeToken(page.last));
    }
    contents(xml, request, page, "true".equals(request.query.get("fetch-owner")));
    Answers.xml(request, 200, xml.end("ListBucketResult"));
  }

  /** GET /bucket (ListObjects v1): its keys come with their owners. */
  void listV1(S3Request request) {
    String marker = request.query.getOrDefault("marker", "");
    Page page = page(request, marker);
    S3Xml xml = S3Xml.document("ListBucketResult");
    xml.element("Name", request.bucket);
    common(xml, request, page, false);
    xml.element("Marker", encode(request, marker));
    if (page.truncated && request.query.get("delimiter") != null) {
      xml.element("NextMarker", encode(request, page.last));
    }
    contents(xml, request, page, true);
    Answers.xml(request, 200, xml.end("ListBucketResult"));
  }

  /**
   * GET /bucket?versions: raftfs keeps one version of each key, listed as S3 lists objects of an
   * unversioned bucket, with the version id {@code null}. Clients empty buckets with it.
   */
  void listVersions(S3Request request) {
    String keyMarker = request.query.getOrDefault("key-marker", "");
    Page page = page(request, keyMarker);
    S3Xml xml = S3Xml.document("ListVersionsResult");
    xml.element("Name", request.bucket);
    common(xml, request, page, true);
    xml.element("KeyMarker", encode(request, keyMarker)).element("VersionIdMarker", "");
    if (page.truncated) {
      xml.element("NextKeyMarker", encode(request, page.last))
          .element("NextVersionIdMarker", "null");
    }
    for (FileStatus file : page.keys) {
      xml.open("Version")
          .element("Key", encode(request, keyOf(request.bucket, file)))
          .element("VersionId", "null")
          .element("IsLatest", true)
          .element("LastModified", S3Xml.time(file.getMtimeMillis()));
      String etag = ObjectMetadata.etag(file);
      if (etag != null) {
        xml.element("ETag", etag);
      }
      xml.element("Size", file.getLength())
          .element("StorageClass", "STANDARD")
          .open("Owner")
          .element("ID", file.getOwner())
          .element("DisplayName", file.getOwner())
          .close("Owner")
          .close("Version");
    }
    prefixes(xml, request, page);
    Answers.xml(request, 200, xml.end("ListVersionsResult"));
  }

  /**
   * The elements every listing has. ListObjects v1 leaves its Prefix unencoded even with {@code
   * encoding-type=url}, as S3 does (and as clients decode it).
   */
  private void common(S3Xml xml, S3Request request, Page page, boolean encodePrefix) {
    String prefix = request.query.getOrDefault("prefix", "");
    xml.element("Prefix", encodePrefix ? encode(request, prefix) : prefix);
    String delimiter = request.query.get("delimiter");
    if (delimiter != null && !delimiter.isEmpty()) {
      xml.element("Delimiter", encode(request, delimiter));
    }
    xml.element("MaxKeys", page.maxKeys);
    if (request.query.get("encoding-type") != null) {
      xml.element("EncodingType", "url");
    }
    xml.element("IsTruncated", page.truncated);
  }

  private static void contents(S3Xml xml, S3Request request, Page page, boolean owners) {
    for (FileStatus file : page.keys) {
      xml.open("Contents")
          .element("Key", encode(request, keyOf(request.bucket, file)))
          .element("LastModified", S3Xml.time(file.getMtimeMillis()));
      String etag = ObjectMetadata.etag(file);
      if (etag != null) {
        xml.element("ETag", etag);
      }
      xml.element("Size", file.getLength()).element("StorageClass", "STANDARD");
      if (owners) {
        xml.open("Owner")
            .element("ID", file.getOwner())
            .element("DisplayName", file.getOwner())
            .close("Owner");
      }
      xml.close("Contents");
    }
    prefixes(xml, request, page);
  }

  private static void prefixes(S3Xml xml, S3Request request, Page page) {
    for (String prefix : page.prefixes) {
      xml.open("CommonPrefixes").element("Prefix", encode(request, prefix)).close("CommonPrefixes");
    }
  }

  /**
   * One page: keys and common prefixes after {@code after}, at most max-keys in all. The keys are
   * walked in order from the marker on, so a page reads about as many entries as it holds; with the
   * delimiter {@code /} only the prefix's directory is read.
   */
  private Page page(S3Request request, String after) {
    buckets.require(request.bucket);
    String prefix = request.query.getOrDefault("prefix", "");
    String delimiter = request.query.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    int wanted = maxKeys(request);
    Page page = new Page(wanted);
    if (wanted == 0) {
      return page; // S3 answers max-keys=0 with nothing, not truncated.
    }
    // One more than the page holds, to know whether it is truncated.
    int readSize = wanted + 1;
    KeyWalk walk =
        "/".equals(delimiter)
            ? KeyWalk.oneLevel(meta, request.bucket, prefix, after, readSize)
            : KeyWalk.deep(meta, request.bucket, prefix, after, readSize);
    for (KeyWalk.Entry entry = walk.next(); entry != null; entry = walk.next()) {
      String name = entry.key();
      FileStatus file = entry.status();
      if (file.getDirectory()) {
        if (file.getChildren() == 0 || !holdsAFile(file.getPath())) {
          continue;
        }
        file = null;
      } else {
        int at = delimiter == null ? -1 : name.indexOf(delimiter, prefix.length());
        if (at >= 0) {
          // Keys come in order, so those under one common prefix come one after another.
          name = name.substring(0, at + delimiter.length());
          file = null;
          if (name.compareTo(after) <= 0 || name.equals(page.last)) {
            continue;
          }
        }
      }
      if (page.keys.size() + page.prefixes.size() == wanted) {
        page.truncated = true;
        break;
      }
      if (file == null) {
        page.prefixes.add(name);
      } else {
        page.keys.add(file);
      }
      page.last = name;
    }
    return page;
  }

  /**
   * True if a file lies somewhere below the directory: deleted keys leave their directories behind,
   * and a prefix with no key under it is not one. Stops at the first file.
   */
  private boolean holdsAFile(String directory) {
    List<FileStatus> children;
    try {
      children = meta.list(directory);
    } catch (PathNotFoundException | NotADirectoryException e) {
      return false;
    }
    for (FileStatus child : children) {
      if (!child.getDirectory()) {
        return true;
      }
    }
    for (FileStatus child : children) {
      if (child.getChildren() > 0 && holdsAFile(child.getPath())) {
        return true;
      }
    }
    return false;
  }

  private int maxKeys(S3Request request) {
    String text = request.query.get("max-keys");
    if (text == null) {
      return maxKeys;
    }
    try {
      int asked = Integer.parseInt(text);
      if (asked < 0) {
        throw S3Exception.invalidArgument("max-keys must not be negative");
      }
      return Math.min(asked, maxKeys);
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("max-keys is not a number: " + text);
    }
  }

  private static String keyOf(String bucket, FileStatus file) {
    return file.getPath().substring(bucket.length() + 2);
  }

  /** {@code text} URL-encoded if the request asked for {@code encoding-type=url}. */
  static String encode(S3Request request, String text) {
    if (!"url".equals(request.query.get("encoding-type"))) {
      return text;
    }
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }

  private static String encodeToken(String last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(last.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Exception.invalidArgument("the continuation token is not one this gateway gave");
    }
  }

  private static final class Page {
    final int maxKeys;
    final List<FileStatus> keys = new ArrayList<>();
    final List<String> prefixes = new ArrayList<>();
    boolean truncated;
    String last = "";

    Page(int maxKeys) {
      this.maxKeys = maxKeys;
    }
  }
}
