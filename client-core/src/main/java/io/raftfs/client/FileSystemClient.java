package io.raftfs.client;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.BlocksRetiredException;
import io.raftfs.client.meta.MastersUnavailableException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.transfer.BlockOutputStream;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.FileDownload;
import io.raftfs.client.transfer.FileUpload;
import io.raftfs.client.transfer.PlacementReserve;
import io.raftfs.client.transfer.PositionedReader;
import io.raftfs.client.transfer.SliceSource;
import io.raftfs.client.transfer.TempFiles;
import io.raftfs.client.transfer.Transfers;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.FsckReport;
import io.raftfs.proto.Listing;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.UserInfo;
import io.raftfs.protocol.Crc32cComposition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The raftfs file system as a Java library: namespace calls go to the Raft leader through {@link
 * MetaClient} (which follows leader changes), file bytes go straight to and from data nodes. It
 * needs only this module ({@code raftfs-client-core}): no Raft server, no Vert.x, no picocli.
 *
 * <pre>{@code
 * try (FileSystemClient fs = new FileSystemClient(List.of("m1:9871", "m2:9871", "m3:9871"))) {
 *   fs.mkdir("/logs", true);
 *   fs.put(Path.of("app.log"), "/logs/app.log", PutOptions.defaults(), TransferListener.NONE);
 *   for (FileStatus entry : fs.list("/logs")) {
 *     System.out.println(entry.getPath() + " " + entry.getLength());
 *   }
 *   try (OutputStream out = Files.newOutputStream(Path.of("copy.log"))) {
 *     fs.get("/logs/app.log", out, TransferListener.NONE);
 *   }
 *   fs.rename("/logs/app.log", "/logs/app.log.1");
 * }
 * }</pre>
 *
 * <p>A put is atomic: the file appears, or replaces the old one, only when all its blocks are
 * stored with full replication. A get to a local file writes a temporary file beside the target and
 * renames it, so a failed get never leaves a partial file under the target's name.
 *
 * <p>Failures are {@link io.raftfs.client.meta.MetaException}s named after the POSIX errors they
 * stand for ({@link io.raftfs.client.meta.PathNotFoundException}, {@link
 * io.raftfs.client.meta.PathExistsException}, …), {@link
 * io.raftfs.client.meta.MastersUnavailableException} when no leader answered within the call
 * deadline, {@link io.raftfs.client.transfer.BlockTransferException} when no replica could take or
 * give a block, and {@link IOException} for local files.
 *
 * <p>Timeouts and parallelism are settings of a {@link ClientConfig}.
 *
 * <p>Thread-safe: one instance serves every thread of a process. Closing it closes the {@link
 * MetaClient} it was given.
 */
public final class FileSystemClient implements AutoCloseable {
  /** What new files and directories get before the umask, as in POSIX and HDFS. */
  static final int FILE_MODE = 0666;

  static final int DIRECTORY_MODE = 0777;

  private final MetaClient meta;
  private final ClientConfig config;
  private final int umask;

  /**
   * Uploads of one put, the first included, when its commit is refused because the masters gave up
   * on its blocks (an upload slower than their orphan grace period).
   */
  static final int PUT_ATTEMPTS = 3;

  /**
   * What moves file bytes: the transfer threads, the data nodes' client and the placement reserve.
   * Made at the first transfer, so a client that only asks the masters (a {@code raftfs stat} or
   * {@code ls}) never loads, starts or connects any of it.
   */
  private record DataPath(
      ExecutorService pool,
      DataNodeClient dataNodes,
      PlacementReserve reserve,
      FileUpload upload,
      FileDownload download) {}

  // Made once, under this; null until the first transfer.
  private volatile DataPath dataPath;
  private boolean closed; // guarded by this

  /** A client of the masters at these HTTP addresses ({@code host:port}), with the defaults. */
  public FileSystemClient(List<String> masters) {
    this(masters, ClientConfig.DEFAULTS);
  }

  /** A client of the masters at these HTTP addresses ({@code host:port}). */
  public FileSystemClient(List<String> masters, ClientConfig config) {
    this(
        new MetaClient(
            masters,
            config.metaOptions(),
            config.credentials().orElse(null),
            config.tls().orElse(null)),
        config);
  }

  /** A client on {@code meta} with the default transfer settings. */
  public FileSystemClient(MetaClient meta) {
    this(meta, ClientConfig.DEFAULTS);
  }

  /** A client on {@code meta}, which keeps its own options; {@code config} sets the transfers. */
  public FileSystemClient(MetaClient meta, ClientConfig config) {
    this.meta = meta;
    this.config = config;
    this.umask = config.umask();
  }

  /** The data path, made at the first call. */
  private DataPath dataPath() {
    DataPath made = dataPath;
    if (made != null) {
      return made;
    }
    synchronized (this) {
      if (closed) {
        throw new MastersUnavailableException("the client is closed");
      }
      if (dataPath == null) {
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("raftfs-transfer-"));
        DataNodeClient dataNodes = new DataNodeClient(config);
        PlacementReserve reserve = new PlacementReserve(meta, System::nanoTime, config);
        dataPath =
            new DataPath(
                pool,
                dataNodes,
                reserve,
                new FileUpload(meta, dataNodes, reserve, pool, config),
                new FileDownload(meta, dataNodes, pool, config.transferParallelism()));
      }
      return dataPath;
    }
  }

  /**
   * Stores a local file as {@code path}. Should the commit be refused because the upload took
   * longer than the masters keep uncommitted blocks, the file is uploaded again, up to {@link
   * #PUT_ATTEMPTS} times in all.
   *
   * @throws BlocksRetiredException when every attempt was that slow; nothing was stored
   */
  public FileStatus put(Path local, String path, PutOptions options, TransferListener listener)
      throws IOException {
    return put(
        () -> SliceSource.of(local, options.blockSize()), true, path, options, Map::of, listener);
  }

  /**
   * Stores everything {@code in} yields as {@code path}; does not close {@code in}. A stream of at
   * most {@link Transfers#IN_MEMORY_BLOCK_BYTES} is kept in memory and uploaded again as {@link
   * #put(Path, String, PutOptions, TransferListener)} does; a longer one cannot be read again.
   *
   * @throws BlocksRetiredException when the upload was too slow and could not be repeated; nothing
   *     was stored
   */
  public FileStatus put(InputStream in, String path, PutOptions options, TransferListener listener)
      throws IOException {
    return put(in, path, options, Map::of, listener);
  }

  /**
   * As {@link #put(InputStream, String, PutOptions, TransferListener)}, committing the file with
   * the attributes {@code attributes} gives once {@code in} is read to its end (an S3 object's ETag
   * is the MD5 of its bytes).
   */
  public FileStatus put(
      InputStream in,
      String path,
      PutOptions options,
      Supplier<Map<String, String>> attributes,
      TransferListener listener)
      throws IOException {
    byte[] head = in.readNBytes(Transfers.IN_MEMORY_BLOCK_BYTES + 1);
    if (head.length <= Transfers.IN_MEMORY_BLOCK_BYTES) {
      return put(
          () -> SliceSource.of(new ByteArrayInputStream(head), options.blockSize()),
          true,
          path,
          options,
          attributes,
          listener);
    }
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), in);
    return put(
        () -> SliceSource.of(whole, options.blockSize()),
        false,
        path,
        options,
        attributes,
        listener);
  }

  /** Opens the bytes of a put from their start. */
  @FunctionalInterface
  private interface Sources {
    SliceSource open() throws IOException;
  }

  private FileStatus put(
      Sources sources,
      boolean repeatable,
      String path,
      PutOptions options,
      Supplier<Map<String, String>> attributes,
      TransferListener listener)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      AtomicLong sent = new AtomicLong();
      try (SliceSource source = sources.open()) {
        if (attempt == 1) {
          listener.started(source.totalBytes());
        }
        // Each block's allocation refuses an existing file unless overwrite, the commit in any
        // case: no stat round trip.
        List<BlockInfo> blocks =
            dataPath()
                .upload()
                .upload(
                    source,
                    path,
                    options.replication(),
                    options.overwrite(),
                    n -> {
                      sent.addAndGet(n);
                      listener.transferred(n);
                    });
        return meta.commitFile(
            path,
            blocks,
            options.replication(),
            options.blockSize(),
            options.overwrite(),
            FILE_MODE & ~umask,
            attributes.get());
      } catch (BlocksRetiredException e) {
        // Its replicas are being deleted: never report success, upload again or say why not.
        listener.transferred(-sent.get());
        dataPath().reserve().clear();
        if (!repeatable) {
          throw new BlocksRetiredException(
              e.getMessage() + " (a stream longer than the in-memory limit cannot be re-read)");
        }
        if (attempt == PUT_ATTEMPTS) {
          throw new BlocksRetiredException(
              e.getMessage() + " (tried " + PUT_ATTEMPTS + " times; each upload was too slow)");
        }
      }
    }
  }

  /**
   * Copies {@code path} into the local file {@code local}.
   *
   * @param overwrite replace {@code local} if it exists, else fail with {@link
   *     FileAlreadyExistsException}
   */
  public FileStatus get(String path, Path local, boolean overwrite, TransferListener listener)
      throws IOException {
    BlockLocations file = locate(path);
    if (!overwrite && Files.exists(local)) {
      throw new FileAlreadyExistsException(local.toString());
    }
    Path dir = local.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    Path temp = dir.resolve("." + local.getFileName() + "." + UUID.randomUUID() + ".raftfs-tmp");
    TempFiles.track(temp);
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        listener.started(file.getStatus().getLength());
        dataPath().download().toFile(file, channel, listener::transferred);
        channel.force(true);
      }
      if (overwrite) {
        Files.move(temp, local, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.move(temp, local);
      }
      return file.getStatus();
    } finally {
      TempFiles.delete(temp);
    }
  }

  /** Writes the bytes of {@code path} to {@code out}; does not close it. */
  public FileStatus get(String path, OutputStream out, TransferListener listener)
      throws IOException {
    BlockLocations file = locate(path);
    listener.started(file.getStatus().getLength());
    dataPath().download().toStream(file, out, listener::transferred);
    return file.getStatus();
  }

  /**
   * Opens {@code path} for reads at any position: the blocks are located once, now, and each read
   * goes straight to a replica of the block it needs.
   *
   * <pre>{@code
   * PositionedReader file = fs.open("/data/table.parquet");
   * byte[] footer = new byte[8];
   * file.readFully(file.length() - 8, footer, 0, 8);
   * }</pre>
   */
  public PositionedReader open(String path) throws IOException {
    BlockLocations file = locate(path);
    DataPath data = dataPath();
    return new PositionedReader(file, meta, data.dataNodes(), data.pool());
  }

  /**
   * Starts writing {@code path} as a stream: blocks are uploaded as they fill, and the file appears
   * (or, with {@code options.overwrite()}, replaces the old one) when the stream is closed. Unlike
   * a put, a stream cannot be uploaded again should the masters give up on its blocks before the
   * commit ({@link BlocksRetiredException} from {@code close}).
   *
   * <pre>{@code
   * try (BlockOutputStream out = fs.create("/logs/app.log", PutOptions.defaults())) {
   *   out.write("hello\n".getBytes(StandardCharsets.UTF_8));
   * }
   * }</pre>
   */
  public BlockOutputStream create(String path, PutOptions options) {
    DataPath data = dataPath();
    return new BlockOutputStream(
        data.upload(),
        data.pool(),
        path,
        options.replication(),
        options.blockSize(),
        options.overwrite(),
        blocks ->
            meta.commitFile(
                path,
                blocks,
                options.replication(),
                options.blockSize(),
                options.overwrite(),
                FILE_MODE & ~umask));
  }

  /**
   * Makes {@code target} a file of the blocks of {@code sources} in order and removes the sources,
   * in one atomic step that moves no byte; a new file gets mode 0666 without the umask.
   *
   * @param removeParent also remove the one directory holding every source, with all left in it
   */
  public FileStatus concat(
      String target,
      List<String> sources,
      boolean overwrite,
      Map<String, String> attributes,
      boolean removeParent) {
    return meta.concat(target, sources, overwrite, attributes, FILE_MODE & ~umask, removeParent);
  }

  /** A directory owned by the caller: mode 0777 without the umask. */
  public FileStatus mkdir(String path, boolean parents) {
    return meta.mkdir(path, parents, DIRECTORY_MODE & ~umask);
  }

  /**
   * chmod: the entry's mode bits, rwx for owner, group and other and the sticky bit (01000); by its
   * owner or a superuser.
   */
  public FileStatus setPermission(String path, int permission) {
    return meta.setPermission(path, permission);
  }

  /**
   * chown: gives the entry to {@code owner} (superuser only) and {@code group} (its owner may pick
   * one of its own groups); an empty one is kept.
   */
  public FileStatus setOwner(String path, String owner, String group) {
    return meta.setOwner(path, owner, group);
  }

  /** The entries of a directory, or the file itself when {@code path} is a file. */
  public List<FileStatus> list(String path) {
    return meta.list(path);
  }

  /**
   * Lists a directory a page at a time, for directories too large for one answer:
   *
   * <pre>{@code
   * String after = "";
   * Listing page;
   * do {
   *   page = fs.listPage("/huge", after, 1000);
   *   for (FileStatus entry : page.getEntriesList()) { ... }
   *   String last = page.getEntries(page.getEntriesCount() - 1).getPath();
   *   after = last.substring(last.lastIndexOf('/') + 1);
   * } while (page.getTruncated());
   * }</pre>
   *
   * @param startAfter the name (not the path) of the last entry seen; empty: from the first
   * @param limit most entries in the page, at least 1
   */
  public Listing listPage(String path, String startAfter, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a page holds at least one entry, not " + limit);
    }
    return meta.listPage(path, startAfter, limit);
  }

  public FileStatus stat(String path) {
    return meta.stat(path);
  }

  public void rename(String source, String destination) {
    meta.rename(source, destination);
  }

  public void delete(String path, boolean recursive) {
    meta.delete(path, recursive);
  }

  public ClusterStatus clusterStatus() {
    return meta.clusterStatus();
  }

  /**
   * The health of every block of every file under {@code path}, as the leader sees it: live and
   * corrupt replicas against each file's replication.
   */
  public FsckReport fsck(String path) {
    return meta.fsck(path);
  }

  /**
   * Starts draining a data node: its replicas stop counting toward replication and are copied
   * elsewhere; {@link #clusterStatus()} shows DECOMMISSIONING, then DECOMMISSIONED once no file
   * needs it.
   */
  public void decommission(String nodeId) {
    meta.decommission(nodeId);
  }

  /**
   * Undoes {@link #decommission}: the node gets new blocks again and its replicas count toward
   * replication again; {@link #clusterStatus()} shows it IN_SERVICE.
   */
  public void recommission(String nodeId) {
    meta.recommission(nodeId);
  }

  /**
   * Adds a user with a new access key (superuser only): name, key id, groups and the secret key,
   * which is never shown again.
   */
  public UserInfo addUser(String name, List<String> groups) {
    return meta.addUser(name, groups);
  }

  /** Every user with its access key id and groups, never a secret (superuser only). */
  public List<UserInfo> listUsers() {
    return meta.listUsers();
  }

  /** Removes a user: every master refuses its key once it applied the removal (superuser only). */
  public void removeUser(String name) {
    meta.removeUser(name);
  }

  /** A new secret for the user's key, shown once; the old one is refused (superuser only). */
  public UserInfo rotateUserKey(String name) {
    return meta.rotateUserKey(name);
  }

  /** Sizes and counts of everything under {@code path} (the path itself if a file). */
  public ContentSummary summarize(String path) {
    return summarize(meta.stat(path));
  }

  private ContentSummary summarize(FileStatus status) {
    if (!status.getDirectory()) {
      long length = status.getLength();
      return new ContentSummary(length, length * status.getReplication(), 1, 0);
    }
    ContentSummary total = new ContentSummary(0, 0, 0, 1);
    for (FileStatus child : meta.list(status.getPath())) {
      total = total.plus(summarize(child));
    }
    return total;
  }

  /**
   * The CRC32C of the whole file, composed from the checksums committed with its blocks: no byte is
   * read. It equals {@code java.util.zip.CRC32C} over the file's bytes.
   */
  public int crc32c(String path) {
    int crc = 0;
    for (LocatedBlock block : locate(path).getBlocksList()) {
      BlockInfo info = block.getBlock();
      crc = Crc32cComposition.compose(crc, info.getCrc32C(), info.getLength());
    }
    return crc;
  }

  /**
   * Writes bytes {@code [offset, offset + length)} of a file located by {@link #locate} to {@code
   * out}, downloading only the blocks they lie in (an S3 ranged GET); does not close {@code out}.
   */
  public void read(BlockLocations file, long offset, long length, OutputStream out)
      throws IOException {
    dataPath().download().rangeToStream(file, offset, length, out);
  }

  /** The file's status and its blocks, each with its live replicas, best first. */
  public BlockLocations locate(String path) {
    return meta.getBlockLocations(path);
  }

  @Override
  public void close() {
    DataPath data;
    synchronized (this) {
      closed = true;
      data = dataPath;
    }
    if (data != null) {
      data.pool().shutdownNow();
      data.dataNodes().close();
    }
    meta.close();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
