package io.raftfs.concurrent;

import java.util.concurrent.ThreadFactory;

/** Named daemon threads: background work that must never keep a JVM (a CLI run) alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
