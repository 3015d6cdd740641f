package io.raftfs.hadoop;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.MetaException;
import io.raftfs.proto.Listing;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A directory's entries fetched a page at a time as the caller iterates, each page one request
 * naming the last entry seen: a directory of millions of entries never travels in one answer. The
 * first page is fetched at once, so a missing directory fails where it is listed.
 */
final class PagedListing implements RemoteIterator<FileStatus> {
  private final FileSystemClient client;
  private final String path;
  private final int pageSize;
  private final Function<io.raftfs.proto.FileStatus, FileStatus> convert;
  private Iterator<io.raftfs.proto.FileStatus> page;
  private boolean more;
  private String lastName;

  PagedListing(
      FileSystemClient client,
      String path,
      int pageSize,
      Function<io.raftfs.proto.FileStatus, FileStatus> convert)
      throws IOException {
    this.client = client;
    this.path = path;
    this.pageSize = pageSize;
    this.convert = convert;
    fetch("");
  }

  @Override
  public boolean hasNext() throws IOException {
    while (!page.hasNext() && more) {
      fetch(lastName);
    }
    return page.hasNext();
  }

  @Override
  public FileStatus next() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException(path + ": no more entries");
    }
    io.raftfs.proto.FileStatus entry = page.next();
    String entryPath = entry.getPath();
    lastName = entryPath.substring(entryPath.lastIndexOf('/') + 1);
    return convert.apply(entry);
  }

  private void fetch(String startAfter) throws IOException {
    try {
      Listing listing = client.listPage(path, startAfter, pageSize);
      page = listing.getEntriesList().iterator();
      more = listing.getTruncated() && listing.getEntriesCount() > 0;
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }
}
