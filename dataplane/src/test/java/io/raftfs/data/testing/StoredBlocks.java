package io.raftfs.data.testing;

import io.raftfs.data.store.BlockChecksummer;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.PendingBlock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Blocks written straight into a {@link BlockStore} the way an upload would, and damaged. */
public final class StoredBlocks {
  private StoredBlocks() {}

  /** Stores {@code content} as block {@code blockId}: packed if it is small, else in a file. */
  public static BlockEntry store(BlockStore store, long blockId, byte[] content) throws Exception {
    BlockChecksummer checksummer = new BlockChecksummer();
    checksummer.update(content);
    PendingBlock pending = store.begin(blockId, content.length);
    if (content.length <= BlockStore.PACKED_MAX_BYTES) {
      pending
          .prepareInPack(ByteBuffer.wrap(content), checksummer.finish())
          .get(10, TimeUnit.SECONDS);
    } else {
      Files.write(pending.tempFile(), content);
      pending.prepare(checksummer.finish());
    }
    return pending.commit();
  }

  /** Where the block's bytes are; fails if it is not stored. */
  public static BlockRegion region(BlockStore store, long blockId) {
    return store.region(blockId).orElseThrow(() -> new AssertionError("no block " + blockId));
  }

  /** Inverts some bits of the byte at {@code offset} of the block, on disk. */
  public static void flipByte(BlockStore store, long blockId, long offset) throws IOException {
    BlockRegion region = region(store, blockId);
    try (RandomAccessFile file = new RandomAccessFile(region.file().toFile(), "rw")) {
      file.seek(region.offset() + offset);
      int b = file.read();
      file.seek(region.offset() + offset);
      file.write(b ^ 0x40);
    }
  }
}
