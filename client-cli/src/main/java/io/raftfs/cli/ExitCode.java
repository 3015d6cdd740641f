package io.raftfs.cli;

import io.raftfs.client.meta.MetaException;
import io.raftfs.client.transfer.BlockTransferException;
import io.raftfs.tls.TlsFailedException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import picocli.CommandLine.ParameterException;

/**
 * The exit status of {@code raftfs}, one per kind of failure, so scripts can tell a missing file
 * from a cluster without a leader. Printed in every command's help.
 */
enum ExitCode {
  OK(0, "success"),
  FAILURE(1, "any other error (local I/O, internal)"),
  USAGE(2, "invalid command line or configuration"),
  NOT_FOUND(3, "no such file or directory"),
  EXISTS(4, "file exists (use -f to overwrite)"),
  NOT_A_DIRECTORY(5, "not a directory"),
  IS_A_DIRECTORY(6, "is a directory"),
  NOT_EMPTY(7, "directory not empty (use rm -r)"),
  INVALID(8, "invalid path, argument or move"),
  NO_DATA_NODES(9, "not enough live data nodes for the replication"),
  UNAVAILABLE(10, "no master reachable or no leader elected in time"),
  TRANSFER(11, "block data could not be written or read (data nodes failed)"),
  UNHEALTHY(12, "fsck: some blocks are under-replicated or missing"),
  UNAUTHENTICATED(13, "the masters refused the access key (none, unknown, wrong secret or clock)"),
  TOO_SLOW(
      14,
      "put: the upload took longer than the masters keep uncommitted blocks"
          + " (raftfs.master.orphan.grace.ms); nothing was stored, put again"),
  PERMISSION_DENIED(15, "permission denied: the access key's user may not do this"),
  TLS(
      16,
      "a TLS connection failed: the server's certificate is not from the CA in RAFTFS_CA_FILE"
          + " (raftfs.client.tls.ca.file), names another node than the one meant, or one side"
          + " speaks no TLS");

  final int code;
  final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  static ExitCode of(Throwable error) {
    if (error instanceof MetaException meta) {
      return switch (meta.code()) {
        case NOT_FOUND -> NOT_FOUND;
        case ALREADY_EXISTS -> EXISTS;
        case NOT_A_DIRECTORY -> NOT_A_DIRECTORY;
        case IS_A_DIRECTORY -> IS_A_DIRECTORY;
        case DIRECTORY_NOT_EMPTY -> NOT_EMPTY;
        case INVALID_PATH, INVALID_ARGUMENT, INVALID_MOVE -> INVALID;
        case NOT_ENOUGH_DATA_NODES -> NO_DATA_NODES;
        case UNAVAILABLE, NOT_LEADER -> UNAVAILABLE;
        case UNAUTHENTICATED -> UNAUTHENTICATED;
        case BLOCKS_RETIRED -> TOO_SLOW;
        case PERMISSION_DENIED -> PERMISSION_DENIED;
        default -> FAILURE;
      };
    }
    if (error instanceof ParameterException || error instanceof UsageException) {
      return USAGE;
    }
    if (error instanceof NoSuchFileException) {
      return NOT_FOUND;
    }
    if (error instanceof FileAlreadyExistsException) {
      return EXISTS;
    }
    if (error instanceof NotDirectoryException) {
      return NOT_A_DIRECTORY;
    }
    if (error instanceof DirectoryNotEmptyException) {
      return NOT_EMPTY;
    }
    if (error instanceof TlsFailedException || failedHandshake(error)) {
      return TLS;
    }
    if (error instanceof BlockTransferException) {
      return TRANSFER;
    }
    return FAILURE;
  }

  /**
   * Whether a block transfer failed, last, because a data node's handshake did (its certificate
   * names another node, or it speaks no TLS): a matter of configuration, as with the masters.
   */
  private static boolean failedHandshake(Throwable error) {
    if (!(error instanceof BlockTransferException)) {
      return false;
    }
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /** The one line a user sees, without the {@code raftfs: } prefix. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    if (error instanceof NoSuchFileException e) {
      return e.getFile() + ": No such file or directory";
    }
    if (error instanceof FileAlreadyExistsException e) {
      return e.getFile() + ": File exists (use -f to overwrite)";
    }
    if (error instanceof NotDirectoryException e) {
      return e.getFile() + ": Not a directory";
    }
    if (error instanceof DirectoryNotEmptyException e) {
      return e.getFile() + ": Directory not empty";
    }
    if (error instanceof AccessDeniedException e) {
      return e.getFile() + ": Permission denied";
    }
    if (error instanceof MetaException || error instanceof UsageException) {
      return message;
    }
    String kind = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : message;
  }

  /** The table for the help footer: code → meaning. */
  static Map<String, String> table() {
    Map<String, String> table = new LinkedHashMap<>();
    for (ExitCode exit : values()) {
      table.put(String.format("%3d", exit.code), exit.meaning);
    }
    return table;
  }
}
