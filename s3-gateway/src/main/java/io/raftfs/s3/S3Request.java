package io.raftfs.s3;

import io.raftfs.s3.http.RequestBodyStream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One S3 request in path style ({@code /bucket/key?query}), parsed: the bucket and key (null when
 * absent), the decoded query parameters, and the body as a blocking stream.
 */
final class S3Request {
  final HttpServerRequest http;
  final String method;
  final String decodedPath;
  final String rawQuery;
  final String bucket;
  final String key;
  final Map<String, String> query;
  final RequestBodyStream body;

  S3Request(HttpServerRequest http, RequestBodyStream body) {
    this.http = http;
    this.body = body;
    this.method = http.method().name();
    String rawPath = http.path();
    this.decodedPath = percentDecode(rawPath == null ? "/" : rawPath);
    this.rawQuery = http.query() == null ? "" : http.query();
    String rest = decodedPath.startsWith("/") ? decodedPath.substring(1) : decodedPath;
    int slash = rest.indexOf('/');
    this.bucket = rest.isEmpty() ? null : slash < 0 ? rest : rest.substring(0, slash);
    this.key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
    this.query = parseQuery(rawQuery);
  }

  HttpServerResponse response() {
    return http.response();
  }

  /** Every value of a header, any case. */
  List<String> headers(String name) {
    return http.headers().getAll(name);
  }

  /** The first value of a header, or null. */
  String header(String name) {
    return http.getHeader(name);
  }

  boolean has(String parameter) {
    return query.containsKey(parameter);
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int equals = part.indexOf('=');
      String name = percentDecode(equals < 0 ? part : part.substring(0, equals));
      String value = equals < 0 ? "" : percentDecode(part.substring(equals + 1));
      query.putIfAbsent(name, value);
    }
    return query;
  }

  /** Percent-decoding where {@code +} stays a plus, as S3 clients encode spaces as %20. */
  static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Exception.invalidArgument("malformed percent-encoding in " + text);
    }
  }
}
