package io.raftfs.hadoop;

import io.raftfs.client.meta.AuthenticationFailedException;
import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.IsADirectoryException;
import io.raftfs.client.meta.MetaException;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.PathIsDirectoryException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.security.AccessControlException;

/**
 * The client's failures as the exceptions Hadoop's FileSystem specification names for them, each
 * with the master's message (which names the path) and the original as its cause.
 */
final class HadoopErrors {
  private HadoopErrors() {}

  static IOException translate(MetaException e) {
    String message = e.getMessage();
    IOException translated;
    if (e instanceof PathNotFoundException) {
      translated = new FileNotFoundException(message);
    } else if (e instanceof PathExistsException) {
      translated = new FileAlreadyExistsException(message);
    } else if (e instanceof NotADirectoryException) {
      translated = new ParentNotDirectoryException(message);
    } else if (e instanceof IsADirectoryException) {
      translated = new PathIsDirectoryException(message);
    } else if (e instanceof DirectoryNotEmptyException) {
      translated = new PathIsNotEmptyDirectoryException(message);
    } else if (e instanceof AuthenticationFailedException) {
      translated = new AccessControlException(message);
    } else {
      translated = new IOException(message);
    }
    translated.initCause(e);
    return translated;
  }
}
