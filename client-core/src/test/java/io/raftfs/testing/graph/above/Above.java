package io.raftfs.testing.graph.above;

import io.raftfs.testing.graph.left.Left;
import java.util.List;

/** Names {@link Left} only as a type argument: a dependency found in the generic signature. */
public final class Above {
  List<Left> lefts = List.of();
}
