package io.raftfs.testing.graph.right;

import io.raftfs.testing.graph.left.Left;

/** Names {@link Left} as a field type only, closing the cycle left -> right -> left. */
public final class Right {
  Left left;
}
