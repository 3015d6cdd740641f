package io.raftfs.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports that were free a moment ago. Raft peers must know each other's ports before any of
 * them starts, so port 0 cannot be used for them directly.
 *
 * <p>They come from below the kernel's ephemeral range (32768 and up on Linux): a port the kernel
 * handed out for a port-0 bind and that was closed again could be given to the next outgoing
 * connection or port-0 server of this or another test before the master bound it ("Address already
 * in use"). No port is handed out twice by one JVM.
 */
public final class FreePorts {
  private static final int FIRST = 12_000;
  private static final int LAST = 32_000;
  private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  public static int next() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (handedOut.contains(port)) {
        continue;
      }
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        probe.getLocalPort(); // bound, so free: closed again at once
      } catch (IOException inUse) {
        continue;
      }
      if (handedOut.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port in " + FIRST + ".." + LAST);
  }
}
