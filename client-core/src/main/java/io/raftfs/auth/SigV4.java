package io.raftfs.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The pieces of AWS Signature Version 4 that signer and verifier share: the canonical request, the
 * string to sign and the derived signing key. raftfs signs its metadata requests with it so that
 * one key pair also signs S3 requests, and so that the secret never crosses the wire.
 */
final class SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String TERMINATOR = "aws4_request";
  static final String DATE_HEADER = "x-amz-date";
  static final String CONTENT_HASH_HEADER = "x-amz-content-sha256";
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final HexFormat HEX = HexFormat.of();
  // Looking a JCA algorithm up costs more than using it on a small request: one per thread.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(SigV4::newSha256);

  private SigV4() {}

  /**
   * The canonical request: method, path, sorted query, the signed headers (lower-case names, values
   * trimmed with inner runs of spaces folded) and the payload's hash, one per line.
   */
  static String canonicalRequest(
      String method,
      String canonicalUri,
      String rawQuery,
      SortedMap<String, String> signedHeaders,
      String payloadHash) {
    StringBuilder out = new StringBuilder(256);
    out.append(method).append('\n').append(canonicalUri).append('\n');
    out.append(canonicalQuery(rawQuery)).append('\n');
    signedHeaders.forEach(
        (name, value) -> out.append(name).append(':').append(foldSpaces(value)).append('\n'));
    out.append('\n').append(String.join(";", signedHeaders.keySet())).append('\n');
    return out.append(payloadHash).toString();
  }

  static String stringToSign(String timestamp, String credentialScope, String canonicalRequest) {
    return ALGORITHM
        + '\n'
        + timestamp
        + '\n'
        + credentialScope
        + '\n'
        + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC chain secret → date → region → service → {@code aws4_request}. */
  static byte[] signingKey(String secret, String date, SigningScope scope) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, scope.region());
    key = hmac(key, scope.service());
    return hmac(key, TERMINATOR);
  }

  static String signature(byte[] signingKey, String stringToSign) {
    return HEX.formatHex(hmac(signingKey, stringToSign));
  }

  static String sha256Hex(byte[] bytes) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HEX.formatHex(digest.digest(bytes));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Query parameters decoded, encoded again the one way SigV4 wants, and sorted. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int equals = part.indexOf('=');
      String name = equals < 0 ? part : part.substring(0, equals);
      String value = equals < 0 ? "" : part.substring(equals + 1);
      pairs.add(Map.entry(encode(decode(name)), encode(decode(value))));
    }
    pairs.sort(
        Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> pair : pairs) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(pair.getKey()).append('=').append(pair.getValue());
    }
    return out.toString();
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decoding that leaves a malformed escape as it is ({@code +} is not a space here). */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (c == '%' && high >= 0 && low >= 0) {
        out.write(high << 4 | low);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String foldSpaces(String value) {
    String stripped = value.strip();
    if (!stripped.contains("  ")) {
      return stripped;
    }
    StringBuilder out = new StringBuilder(stripped.length());
    for (int i = 0; i < stripped.length(); i++) {
      char c = stripped.charAt(i);
      if (c != ' ' || out.charAt(out.length() - 1) != ' ') {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static byte[] hmac(byte[] key, String data) {
    return HmacSha256.of(key, data.getBytes(StandardCharsets.UTF_8));
  }
}
