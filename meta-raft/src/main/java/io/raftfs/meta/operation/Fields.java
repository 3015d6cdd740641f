package io.raftfs.meta.operation;

import static io.raftfs.protocol.MetaLimits.MAX_HTTP_ADDRESS_BYTES;
import static io.raftfs.protocol.MetaLimits.MAX_ID_BYTES;
import static io.raftfs.protocol.MetaLimits.utf8Length;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.Permissions;

/**
 * Bounds of the strings other than paths that a request carries into the replicated state or the
 * leader's soft state: checked on the leader before anything is logged, each refusal naming the
 * field and its limit. Paths are {@link io.raftfs.meta.namespace.PathNames}' job.
 */
final class Fields {
  private Fields() {}

  /**
   * A node id or client id: at most {@value io.raftfs.protocol.MetaLimits#MAX_ID_BYTES} bytes of
   * UTF-8.
   */
  static void checkId(String field, String value) throws NamespaceException {
    if (utf8Length(value) > MAX_ID_BYTES) {
      throw NamespaceException.invalidArgument(
          field, "longer than " + MAX_ID_BYTES + " bytes (UTF-8)");
    }
  }

  /** An id that must name something: not empty, and bounded. */
  static void checkRequiredId(String field, String value) throws NamespaceException {
    if (value.isEmpty()) {
      throw NamespaceException.invalidArgument(field, "empty");
    }
    checkId(field, value);
  }

  /**
   * A data node's HTTP address, which clients and other nodes connect to: {@code host:port} with a
   * port 1..65535 and a host of name or address characters only (IPv6 with or without brackets).
   */
  static void checkHttpAddress(String field, String value) throws NamespaceException {
    if (utf8Length(value) > MAX_HTTP_ADDRESS_BYTES) {
      throw NamespaceException.invalidArgument(
          field, "longer than " + MAX_HTTP_ADDRESS_BYTES + " bytes");
    }
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? "" : value.substring(0, colon);
    String port = colon < 0 ? "" : value.substring(colon + 1);
    if (host.isEmpty() || !host.chars().allMatch(Fields::isHostChar) || !isPort(port)) {
      throw NamespaceException.invalidArgument(
          field, "'" + value + "' is not host:port (port 1..65535)");
    }
  }

  /** A mode within {@link Permissions#MAX_MODE}: no setuid or setgid, nothing above. */
  static void checkMode(String path, int mode) throws NamespaceException {
    if (mode < 0 || mode > Permissions.MAX_MODE) {
      throw NamespaceException.invalidArgument(
          path, "mode must be 0.." + Integer.toOctalString(Permissions.MAX_MODE) + " (octal)");
    }
  }

  private static boolean isHostChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c == '_'
        || c == ':'
        || c == '['
        || c == ']';
  }

  private static boolean isPort(String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int value = Integer.parseInt(port);
    return value >= 1 && value <= 65535;
  }
}
