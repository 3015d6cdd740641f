package io.raftfs.meta.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.meta.operation.Operations;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the chaos suite (deploy, seed 42, 30 min): a master that had once installed a snapshot
 * from the leader (Ratis writes those with an {@code .md5}) and then took its own (written without
 * one) loaded the old installed image on restart, because Ratis picks the newest snapshot that has
 * an {@code .md5}. The log was already purged past it, so that master never caught up again (its
 * applied index stayed put while it even became leader).
 */
class SnapshotRestartTest {

  @Test
  void restartLoadsTheNewestSnapshotTakenHere(@TempDir Path dir) throws IOException {
    RaftStorage raftStorage =
        RaftStorage.newBuilder()
            .setDirectory(dir.toFile())
            .setOption(RaftStorage.StartupOption.FORMAT)
            .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION)
            .setStorageFreeSpaceMin(SizeInBytes.ONE_KB)
            .build();
    raftStorage.initialize();
    File smDir = raftStorage.getStorageDir().getStateMachineDir();
    // An older snapshot as InstallSnapshot leaves it (with .md5), and a newer one to start from.
    writeInstalledSnapshot(smDir, TermIndex.valueOf(1, 3));
    writeInstalledSnapshot(smDir, TermIndex.valueOf(2, 9));

    MetaStateMachine stateMachine =
        new MetaStateMachine(new MetaStore(Operations.ALL), leader -> {});
    stateMachine.initialize(fakeServer(), RaftGroupId.randomId(), raftStorage);
    assertEquals(9, stateMachine.getLastAppliedTermIndex().getIndex());
    // Only the older installed snapshot remains; this master takes its own at index 9.
    Files.delete(new File(smDir, "snapshot.2_9").toPath());
    Files.delete(new File(smDir, "snapshot.2_9.md5").toPath());
    assertEquals(9, stateMachine.takeSnapshot());

    SimpleStateMachineStorage afterRestart = new SimpleStateMachineStorage();
    afterRestart.init(raftStorage);
    assertEquals(
        TermIndex.valueOf(2, 9),
        afterRestart.loadLatestSnapshot().getTermIndex(),
        "a restart must load the snapshot this master took, not the older installed one");
    assertTrue(new File(smDir, "snapshot.2_9.md5").isFile());
    raftStorage.close();
  }

  /** Only its id is asked for while a state machine initializes. */
  private static RaftServer fakeServer() {
    return (RaftServer)
        Proxy.newProxyInstance(
            RaftServer.class.getClassLoader(),
            new Class<?>[] {RaftServer.class},
            (proxy, method, args) ->
                method.getName().equals("getId") ? RaftPeerId.valueOf("m1") : null);
  }

  private static void writeInstalledSnapshot(File smDir, TermIndex at) throws IOException {
    File file = new File(smDir, "snapshot." + at.getTerm() + "_" + at.getIndex());
    try (OutputStream out = Files.newOutputStream(file.toPath())) {
      new MetaStore(Operations.ALL).writeSnapshot(out);
    }
    MD5FileUtil.computeAndSaveMd5ForFile(file);
  }
}
