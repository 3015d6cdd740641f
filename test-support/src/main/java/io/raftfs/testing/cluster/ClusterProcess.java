package io.raftfs.testing.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * One master or data node of a test cluster in a JVM of its own: its name ({@code m1..mN}, {@code
 * dn1..dnN}), HTTP address, directory and JVM, which a test kills, pauses and restarts for real.
 * Addresses never change, so a restarted process comes back where its peers expect it.
 */
public final class ClusterProcess {
  private final String name;
  private final boolean master;
  private final String httpAddress;
  private final Path dir;
  private final Path config;
  private final JvmProcess jvm;

  ClusterProcess(
      String name,
      boolean master,
      String httpAddress,
      Path dir,
      Path config,
      List<String> commandPrefix,
      List<String> jvmFlags) {
    this.name = name;
    this.master = master;
    this.httpAddress = httpAddress;
    this.dir = dir;
    this.config = config;
    this.jvm =
        new JvmProcess(
            commandPrefix,
            master ? "io.raftfs.meta.server.MasterMain" : "io.raftfs.data.DataNodeMain",
            config,
            dir.resolveSibling(name + ".log"),
            jvmFlags);
  }

  public String name() {
    return name;
  }

  public boolean isMaster() {
    return master;
  }

  /** host:port of its HTTP server. */
  public String httpAddress() {
    return httpAddress;
  }

  /** Its storage directory; its log is {@code <name>.log} beside it. */
  public Path dir() {
    return dir;
  }

  Path config() {
    return config;
  }

  /** Its JVM: start, kill, stop, pause and resume. */
  public JvmProcess jvm() {
    return jvm;
  }

  /** SIGTERM (SIGKILL if it does not end in time), then start it again. */
  public void restartGracefully() {
    jvm.stop();
    jvm.start();
  }

  @Override
  public String toString() {
    return name;
  }
}
