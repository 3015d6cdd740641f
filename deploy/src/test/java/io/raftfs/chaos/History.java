package io.raftfs.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Every operation of a run with its result and times, and every violation found on the way. */
final class History {
  private final long startNanos = System.nanoTime();
  private final AtomicLong nextId = new AtomicLong();
  private final List<Op> ops = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();

  /** A safety property that did not hold, with the op that showed it. */
  record Violation(String kind, Op op, String message) {
    @Override
    public String toString() {
      return kind + ": " + message + (op == null ? "" : "\n    at " + op);
    }
  }

  /** A fault the nemesis injected, from {@code startNanos} until it healed it. */
  record Fault(String kind, String target, long startNanos, long endNanos) {
    @Override
    public String toString() {
      return String.format(
          "%8.3fs..%8.3fs fault %s %s",
          startNanos / 1e9, endNanos < 0 ? Double.NaN : endNanos / 1e9, kind, target);
    }
  }

  long now() {
    return System.nanoTime() - startNanos;
  }

  long nextId() {
    return nextId.getAndIncrement();
  }

  synchronized void add(Op op) {
    ops.add(op);
  }

  synchronized void violation(String kind, Op op, String message) {
    Violation violation = new Violation(kind, op, message);
    violations.add(violation);
    System.out.println("chaos: VIOLATION " + violation);
  }

  synchronized void fault(Fault fault) {
    faults.add(fault);
  }

  synchronized List<Op> ops() {
    List<Op> copy = new ArrayList<>(ops);
    copy.sort(Comparator.comparingLong(Op::id));
    return copy;
  }

  synchronized List<Violation> violations() {
    return new ArrayList<>(violations);
  }

  synchronized List<Fault> faults() {
    return new ArrayList<>(faults);
  }
}
