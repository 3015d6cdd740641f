package io.raftfs.client.transfer;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.proto.BlockInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;

/**
 * Uploads the blocks of one file, at most {@code parallelism} at a time, and returns their
 * descriptions in file order for the commit. A stream source never has more than {@code parallelism
 * + 1} blocks spilled at once.
 */
public final class FileUpload {
  private final MetaClient meta;
  private final DataNodeClient dataNodes;
  private final PlacementReserve reserve;
  private final ExecutorService pool;
  private final int parallelism;
  private final Duration placementPatience;

  /** Takes its parallelism and placement patience from {@code config}. */
  public FileUpload(
      MetaClient meta,
      DataNodeClient dataNodes,
      PlacementReserve reserve,
      ExecutorService pool,
      ClientConfig config) {
    this.meta = meta;
    this.dataNodes = dataNodes;
    this.reserve = reserve;
    this.pool = pool;
    this.parallelism = config.transferParallelism();
    this.placementPatience = config.placementPatience();
  }

  /**
   * Uploads every block of {@code source}; without {@code overwrite}, fails before the first byte
   * is sent when {@code path} exists, unless that block is small enough for a reserved placement
   * (then the commit refuses).
   */
  public List<BlockInfo> upload(
      SliceSource source, String path, int replication, boolean overwrite, LongConsumer progress)
      throws IOException {
    Set<String> excluded = ConcurrentHashMap.newKeySet();
    BlockUploader uploader =
        new BlockUploader(
            meta,
            dataNodes,
            reserve,
            placementPatience,
            path,
            replication,
            overwrite,
            excluded,
            progress);
    Semaphore window = new Semaphore(parallelism);
    List<Future<BlockInfo>> blocks = new ArrayList<>();
    try {
      while (true) {
        Transfers.acquire(window);
        Transfers.failFast(blocks);
        BlockSlice slice = source.next();
        if (slice == null) {
          window.release();
          break;
        }
        if (blocks.isEmpty() && source.ended()) {
          // A file of one block (most small files): no pool thread to wake and wait for.
          try {
            return List.of(uploader.upload(slice));
          } finally {
            slice.release();
          }
        }
        blocks.add(
            pool.submit(
                () -> {
                  try {
                    return uploader.upload(slice);
                  } finally {
                    window.release();
                    slice.release();
                  }
                }));
      }
      List<BlockInfo> infos = new ArrayList<>(blocks.size());
      for (Future<BlockInfo> block : blocks) {
        infos.add(Transfers.await(block));
      }
      return infos;
    } finally {
      Transfers.cancelAll(blocks);
    }
  }
}
