package io.raftfs.s3;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls for other AWS services sent to the S3 endpoint: IAM and STS ({@code CreateUser}, {@code
 * AssumeRole}, {@code GetCallerIdentity}, ...) use the query protocol, a {@code POST /} with a form
 * body {@code Action=...} signed for {@code iam} or {@code sts}. Test suites and tools send them to
 * the same endpoint; they get {@code 400 InvalidAction} at once (in the query protocol's {@code
 * <ErrorResponse>} form), never a 5xx that a client would retry for seconds. At most {@value
 * #MAX_BODY_BYTES} bytes of the body are read to name the action.
 */
final class OtherServiceCalls {
  static final int MAX_BODY_BYTES = 16 << 10;

  private static final Pattern FOREIGN_SCOPE =
      Pattern.compile("Credential=[^/,]*/[^/,]*/[^/,]*/(?!s3/)([a-z0-9-]{1,64})/");
  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([^&]{1,128})");

  private OtherServiceCalls() {}

  /**
   * Answers {@code request} if it is such a call (a {@code POST /}, a call to {@code /} with an
   * {@code Action} parameter, or one signed for a service other than S3), in the query protocol's
   * error form its clients parse; false if it is not one.
   */
  static boolean answered(S3Request request, String requestId) throws IOException {
    String service = foreignService(request.headers("authorization"));
    boolean toRoot = request.bucket == null;
    if (service == null && !(toRoot && (request.method.equals("POST") || request.has("Action")))) {
      return false;
    }
    String action = request.query.get("Action");
    if (action == null && request.method.equals("POST")) {
      action = actionOf(request.body.readNBytes(MAX_BODY_BYTES));
    }
    String message =
        "raftfs serves S3 only: "
            + (service == null ? "" : service.toUpperCase(Locale.ROOT) + " ")
            + (action == null ? "this call" : "the action " + action)
            + " is not implemented";
    Answers.xml(request, 400, S3Xml.queryError("InvalidAction", message, requestId));
    return true;
  }

  private static String foreignService(List<String> authorization) {
    if (authorization.isEmpty()) {
      return null;
    }
    Matcher m = FOREIGN_SCOPE.matcher(authorization.get(0));
    return m.find() ? m.group(1) : null;
  }

  private static String actionOf(byte[] form) {
    Matcher m = ACTION.matcher(new String(form, StandardCharsets.US_ASCII));
    if (!m.find()) {
      return null;
    }
    try {
      String action = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      return action.matches("[A-Za-z0-9]{1,64}") ? action : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
