package io.raftfs.testing.graph.left;

import io.raftfs.testing.graph.right.Right;

/** Names {@link Right} in a method signature only: no class constant, still a dependency. */
public final class Left {
  public void take(Right right) {}
}
