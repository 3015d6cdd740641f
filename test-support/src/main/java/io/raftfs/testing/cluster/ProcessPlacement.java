package io.raftfs.testing.cluster;

import io.raftfs.testing.FreePorts;
import java.util.List;

/**
 * Where each process of a cluster in JVMs of their own runs, by its name ({@code m1..mN}, {@code
 * dn1..dnN}): the address it binds to and peers reach it at, and what runs before {@code java}.
 * {@link #LOOPBACK} puts every process on 127.0.0.1 with free ports; the chaos suite gives each a
 * network namespace of its own, where the well-known ports are free.
 */
public interface ProcessPlacement {
  /** Every process on 127.0.0.1, each port a free one. */
  ProcessPlacement LOOPBACK =
      new ProcessPlacement() {
        @Override
        public String host(String name) {
          return "127.0.0.1";
        }

        @Override
        public int port(int wellKnownPort) {
          return FreePorts.next();
        }

        @Override
        public List<String> commandPrefix(String name) {
          return List.of();
        }
      };

  /** The address process {@code name} binds to. */
  String host(String name);

  /** A port for a process: {@code wellKnownPort} when each process has an address of its own. */
  int port(int wellKnownPort);

  /** Words run before {@code java} (e.g. {@code ip netns exec NS}, which execs). */
  List<String> commandPrefix(String name);
}
