package io.raftfs.hadoop;

import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_CREATE;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_CREATE_NON_RECURSIVE;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_DELETE;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_GET_CONTENT_SUMMARY;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_GET_FILE_CHECKSUM;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_GET_FILE_STATUS;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_LIST_STATUS;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_MKDIRS;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_OPEN;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_RENAME;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_SET_OWNER;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_SET_PERMISSION;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_BYTES;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_WRITE_BYTES;
import static org.apache.hadoop.fs.statistics.impl.IOStatisticsBinding.iostatisticsStore;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.InvalidMoveException;
import io.raftfs.client.meta.IsADirectoryException;
import io.raftfs.client.meta.MetaException;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.transfer.PositionedReader;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.protocol.MetaLimits;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.CompositeCrcFileChecksum;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.impl.PathCapabilitiesSupport;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSource;
import org.apache.hadoop.fs.statistics.impl.IOStatisticsStore;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.DataChecksum;
import org.apache.hadoop.util.Progressable;

/**
 * {@code raftfs://} for Hadoop: MapReduce, Spark, Hive and {@code hadoop fs} read and write raftfs
 * through it. Found through {@code META-INF/services}, so no {@code fs.raftfs.impl} is needed. A
 * URI names the masters ({@code raftfs://m1:9871,m2:9871,m3:9871/path}) or a logical cluster whose
 * masters the configuration lists ({@code raftfs://prod/path} with {@code
 * fs.raftfs.cluster.prod.masters}); docs/hadoop.md lists the settings.
 *
 * <p>raftfs files are write-once: {@link #create} returns a stream that uploads blocks as they fill
 * and commits the file when closed, so it appears whole and atomically, replacing the old one only
 * with the overwrite flag. {@code append}, {@code concat}, {@code truncate} and {@code
 * hflush}/{@code hsync} are refused with {@link UnsupportedOperationException}, as {@link
 * #hasPathCapability} declares. {@code rename} is atomic (one Raft log entry), also of directories.
 *
 * <p>Every call is one or a few requests to the Raft leader through {@link FileSystemClient}; file
 * bytes move between this process and the data nodes directly.
 */
public class RaftfsFileSystem extends FileSystem implements IOStatisticsSource {
  public static final String SCHEME = "raftfs";

  /** Hadoop names no statistic for it. */
  static final String OP_GET_FILE_BLOCK_LOCATIONS = "op_get_file_block_locations";

  private URI uri;
  private Path workingDirectory;
  private FileSystemClient client;
  private HadoopClientSettings settings;
  private String user;
  private final IOStatisticsStore iostatistics =
      iostatisticsStore()
          .withCounters(
              OP_OPEN,
              OP_CREATE,
              OP_CREATE_NON_RECURSIVE,
              OP_DELETE,
              OP_RENAME,
              OP_MKDIRS,
              OP_SET_OWNER,
              OP_SET_PERMISSION,
              OP_LIST_STATUS,
              OP_GET_FILE_STATUS,
              OP_GET_CONTENT_SUMMARY,
              OP_GET_FILE_CHECKSUM,
              OP_GET_FILE_BLOCK_LOCATIONS,
              STREAM_READ_BYTES,
              STREAM_WRITE_BYTES)
          .build();

  /** Instantiated by Hadoop's {@link FileSystem#get}; {@link #initialize} connects it. */
  public RaftfsFileSystem() {}

  /** Operations and bytes of this instance, as Hadoop names them ({@code op_open}, ...). */
  @Override
  public IOStatistics getIOStatistics() {
    return iostatistics;
  }

  /** Counts a call that reads the namespace. */
  private void readOperation(String name) {
    statistics.incrementReadOps(1);
    iostatistics.incrementCounter(name);
  }

  /** Counts a call that changes the namespace. */
  private void writeOperation(String name) {
    statistics.incrementWriteOps(1);
    iostatistics.incrementCounter(name);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    String authority = name.getAuthority();
    this.uri = URI.create(SCHEME + "://" + (authority == null ? "/" : authority));
    this.settings = HadoopClientSettings.resolve(uri, conf, System.getenv());
    this.client = new FileSystemClient(settings.masters(), settings.client());
    this.user = UserGroupInformation.getCurrentUser().getShortUserName();
    this.workingDirectory = makeQualified(new Path("/user", user));
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    workingDirectory = makeQualified(dir);
  }

  @Override
  public long getDefaultBlockSize() {
    return settings.get(HadoopConfigKeys.BLOCK_SIZE);
  }

  @Override
  public short getDefaultReplication() {
    return settings.get(HadoopConfigKeys.REPLICATION).shortValue();
  }

  /** The raftfs path of {@code path}: absolute, normalised, of this file system. */
  String pathOf(Path path) {
    String raw = makeQualified(path).toUri().getPath();
    return raw == null || raw.isEmpty() ? "/" : raw;
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    String target = pathOf(path);
    readOperation(OP_OPEN);
    PositionedReader reader;
    try {
      reader = client.open(target);
    } catch (MetaException e) {
      if (e instanceof IsADirectoryException) {
        throw new FileNotFoundException(target + ": is a directory");
      }
      throw HadoopErrors.translate(e);
    }
    return new FSDataInputStream(
        new RaftfsInputStream(
            reader,
            statistics,
            n -> iostatistics.incrementCounter(STREAM_READ_BYTES, n),
            settings.get(HadoopConfigKeys.READAHEAD_BYTES),
            settings.get(HadoopConfigKeys.READAHEAD_REQUESTS)));
  }

  @Override
  public FSDataOutputStream create(
      Path path,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    String target = pathOf(path);
    checkCreate(target, overwrite);
    if (!target.equals("/")) {
      mkdirs(makeQualified(path).getParent());
    }
    return newFile(OP_CREATE, target, overwrite, replication, blockSize);
  }

  @Override
  public FSDataOutputStream createNonRecursive(
      Path path,
      FsPermission permission,
      EnumSet<CreateFlag> flags,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    String target = pathOf(path);
    boolean overwrite = flags.contains(CreateFlag.OVERWRITE);
    checkCreate(target, overwrite);
    Path parent = makeQualified(path).getParent();
    if (parent != null && !getFileStatus(parent).isDirectory()) {
      throw new ParentNotDirectoryException(pathOf(parent) + ": not a directory");
    }
    return newFile(OP_CREATE_NON_RECURSIVE, target, overwrite, replication, blockSize);
  }

  /** Refuses, before any byte is written, what the commit would refuse. */
  private void checkCreate(String target, boolean overwrite) throws IOException {
    try {
      io.raftfs.proto.FileStatus existing = client.stat(target);
      if (existing.getDirectory()) {
        throw new FileAlreadyExistsException(target + ": is a directory");
      }
      if (!overwrite) {
        throw new FileAlreadyExistsException(target + ": file exists");
      }
    } catch (PathNotFoundException e) {
      // The usual case: a new file.
    } catch (NotADirectoryException e) {
      throw new ParentNotDirectoryException(e.getMessage());
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  private FSDataOutputStream newFile(
      String operation, String target, boolean overwrite, short replication, long blockSize) {
    writeOperation(operation);
    int copies =
        replication >= MetaLimits.MIN_REPLICATION && replication <= MetaLimits.MAX_REPLICATION
            ? replication
            : settings.get(HadoopConfigKeys.REPLICATION);
    // Callers ask for blocks as small as 1 KiB (Hadoop's tests): masters refuse blocks below
    // their minimum.
    long size =
        Math.min(
            MetaLimits.MAX_BLOCK_SIZE,
            Math.max(settings.get(HadoopConfigKeys.BLOCK_SIZE_MIN), blockSize));
    return new FSDataOutputStream(
        new RaftfsOutputStream(
            client.create(target, new PutOptions(copies, size, overwrite)),
            n -> iostatistics.incrementCounter(STREAM_WRITE_BYTES, n)),
        statistics);
  }

  @Override
  public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) {
    throw new UnsupportedOperationException("raftfs files are write-once: no append");
  }

  @Override
  public void concat(Path target, Path[] sources) {
    throw new UnsupportedOperationException("raftfs files are write-once: no concat");
  }

  @Override
  public boolean truncate(Path path, long newLength) {
    throw new UnsupportedOperationException("raftfs files are write-once: no truncate");
  }

  /**
   * Hadoop's rename: into {@code destination} when it is a directory, else to it. False, as HDFS
   * answers, when the source is missing, the destination exists or its parent is missing, or a
   * directory would move below itself.
   */
  @Override
  public boolean rename(Path source, Path destination) throws IOException {
    String from = pathOf(source);
    String to = pathOf(destination);
    writeOperation(OP_RENAME);
    if (from.equals("/")) {
      return false;
    }
    try {
      client.rename(from, to);
      return true;
    } catch (PathNotFoundException
        | PathExistsException
        | InvalidMoveException
        | NotADirectoryException e) {
      return false;
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  /**
   * Deletes a file or, with {@code recursive}, a directory and everything below it, atomically. The
   * root itself stays: its entries are deleted one by one, as Hadoop's specification allows.
   *
   * @return false when there was nothing to delete
   */
  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    String target = pathOf(path);
    writeOperation(OP_DELETE);
    try {
      if (target.equals("/")) {
        return deleteRootEntries(recursive);
      }
      client.delete(target, recursive);
      return true;
    } catch (PathNotFoundException e) {
      return false;
    } catch (DirectoryNotEmptyException e) {
      throw new PathIsNotEmptyDirectoryException(target);
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  private boolean deleteRootEntries(boolean recursive) throws IOException {
    List<io.raftfs.proto.FileStatus> entries = client.list("/");
    if (entries.isEmpty()) {
      return true;
    }
    if (!recursive) {
      throw new PathIsNotEmptyDirectoryException("/");
    }
    for (io.raftfs.proto.FileStatus entry : entries) {
      try {
        client.delete(entry.getPath(), true);
      } catch (PathNotFoundException e) {
        // Deleted by someone else meanwhile: gone all the same.
      }
    }
    return true;
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    readOperation(OP_LIST_STATUS);
    try {
      List<io.raftfs.proto.FileStatus> entries = client.list(pathOf(path));
      FileStatus[] statuses = new FileStatus[entries.size()];
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] = toHadoop(entries.get(i));
      }
      return statuses;
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  /** Pages of {@code fs.raftfs.list.page.size} entries, fetched as the caller iterates. */
  @Override
  public RemoteIterator<FileStatus> listStatusIterator(Path path) throws IOException {
    readOperation(OP_LIST_STATUS);
    return new PagedListing(
        client, pathOf(path), settings.get(HadoopConfigKeys.LIST_PAGE_SIZE), this::toHadoop);
  }

  /** raftfs's {@code chmod}: the owner or a superuser may (docs/security.md). */
  @Override
  public void setPermission(Path path, FsPermission permission) throws IOException {
    writeOperation(OP_SET_PERMISSION);
    try {
      client.setPermission(pathOf(path), permission.toShort() & 07777);
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  /** raftfs's {@code chown}: null keeps the owner or the group, as in HDFS. */
  @Override
  public void setOwner(Path path, String owner, String group) throws IOException {
    writeOperation(OP_SET_OWNER);
    try {
      client.setOwner(pathOf(path), owner == null ? "" : owner, group == null ? "" : group);
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  @Override
  public boolean mkdirs(Path path, FsPermission permission) throws IOException {
    String target = pathOf(path);
    writeOperation(OP_MKDIRS);
    try {
      client.mkdir(target, true);
      return true;
    } catch (NotADirectoryException e) {
      if (isExistingFile(target)) {
        throw new FileAlreadyExistsException(target + ": a file exists there");
      }
      throw new ParentNotDirectoryException(e.getMessage());
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  private boolean isExistingFile(String target) {
    try {
      return !client.stat(target).getDirectory();
    } catch (MetaException e) {
      return false;
    }
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    readOperation(OP_GET_FILE_STATUS);
    try {
      return toHadoop(client.stat(pathOf(path)));
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  @Override
  public ContentSummary getContentSummary(Path path) throws IOException {
    readOperation(OP_GET_CONTENT_SUMMARY);
    try {
      io.raftfs.client.ContentSummary summary = client.summarize(pathOf(path));
      return new ContentSummary.Builder()
          .length(summary.length())
          .fileCount(summary.files())
          .directoryCount(summary.directories())
          .spaceConsumed(summary.replicatedLength())
          .build();
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  /**
   * The blocks overlapping {@code [start, start + length)}, each with the data nodes holding a live
   * replica: {@code hosts} are their host names, so schedulers can place tasks next to the data.
   */
  @Override
  public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long length)
      throws IOException {
    if (file == null) {
      return null;
    }
    if (start < 0 || length < 0) {
      throw new IllegalArgumentException("negative start or length");
    }
    if (file.isDirectory() || file.getLen() <= start) {
      return new BlockLocation[0];
    }
    readOperation(OP_GET_FILE_BLOCK_LOCATIONS);
    BlockLocations located;
    try {
      located = client.locate(pathOf(file.getPath()));
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
    List<BlockLocation> overlapping = new ArrayList<>();
    long end = start + length;
    for (LocatedBlock block : located.getBlocksList()) {
      long offset = block.getOffset();
      long blockLength = block.getBlock().getLength();
      if (offset + blockLength <= start || (offset >= end && length > 0)) {
        continue;
      }
      List<DataNodeAddress> replicas = block.getReplicasList();
      String[] names = new String[replicas.size()];
      String[] hosts = new String[replicas.size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = replicas.get(i).getHttpAddress();
        hosts[i] = hostOf(names[i]);
      }
      overlapping.add(new BlockLocation(names, hosts, offset, blockLength));
    }
    return overlapping.toArray(new BlockLocation[0]);
  }

  private static String hostOf(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * The CRC32C of the whole file as a {@link CompositeCrcFileChecksum}, composed from its blocks'
   * committed checksums without reading data. HDFS answers the same for the same bytes with {@code
   * dfs.checksum.combine.mode=COMPOSITE_CRC}, so {@code distcp} can compare copies across the two
   * (docs/hadoop.md).
   *
   * @return null for a prefix of the file ({@code length} below the file's): only whole files
   */
  @Override
  public FileChecksum getFileChecksum(Path path, long length) throws IOException {
    String target = pathOf(path);
    readOperation(OP_GET_FILE_CHECKSUM);
    try {
      if (length < client.stat(target).getLength()) {
        return null;
      }
      return new CompositeCrcFileChecksum(
          client.crc32c(target), DataChecksum.Type.CRC32C, DataNodeProtocol.SMALL_BLOCK_MAX_BYTES);
    } catch (IsADirectoryException e) {
      throw new FileNotFoundException(target + ": is a directory");
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  @Override
  public boolean hasPathCapability(Path path, String capability) throws IOException {
    if (CommonPathCapabilities.FS_CHECKSUMS.equals(
        PathCapabilitiesSupport.validatePathCapabilityArgs(makeQualified(path), capability))) {
      return true;
    }
    return super.hasPathCapability(path, capability);
  }

  /** As it is: a URI names masters or a logical cluster, not a host to look up in DNS. */
  @Override
  protected URI canonicalizeUri(URI name) {
    return name;
  }

  /** None: raftfs issues no Hadoop delegation tokens (its requests are signed, see docs). */
  @Override
  public String getCanonicalServiceName() {
    return null;
  }

  private FileStatus toHadoop(io.raftfs.proto.FileStatus status) {
    boolean directory = status.getDirectory();
    return new FileStatus(
        directory ? 0 : status.getLength(),
        directory,
        directory ? 0 : status.getReplication(),
        directory ? 0 : status.getBlockSize(),
        status.getMtimeMillis(),
        status.getMtimeMillis(),
        new FsPermission((short) status.getPermission()),
        status.getOwner(),
        status.getGroup(),
        makeQualified(new Path(status.getPath())));
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }

  @Override
  public String toString() {
    return "RaftfsFileSystem{" + uri + ", masters=" + settings.masters() + "}";
  }
}
