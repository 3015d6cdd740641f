package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final List<String> calls = new ArrayList<>();

  private Lifecycle.Step record(String call) {
    return () -> calls.add(call);
  }

  @Test
  void startsInOrderAndStopsInReverseOnce() throws IOException {
    Lifecycle parts =
        new Lifecycle()
            .add("a", record("start a"), record("stop a"))
            .add("b", record("start b"), record("stop b"));
    parts.start();
    parts.stop();
    parts.stop();
    assertEquals(List.of("start a", "start b", "stop b", "stop a"), calls);
  }

  @Test
  void aFailedStartStopsWhatStartedAndThrowsItsFailure() {
    IOException bindFailed = new IOException("port in use");
    IllegalStateException stopFailed = new IllegalStateException("stuck");
    Lifecycle parts =
        new Lifecycle()
            .add("a", record("start a"), record("stop a"))
            .add(
                "b",
                record("start b"),
                () -> {
                  calls.add("stop b");
                  throw stopFailed;
                })
            .add(
                "c",
                () -> {
                  throw bindFailed;
                },
                record("stop c"));

    IOException thrown = assertThrows(IOException.class, parts::start);

    assertSame(bindFailed, thrown);
    assertArrayEquals(new Throwable[] {stopFailed}, thrown.getSuppressed());
    assertEquals(List.of("start a", "start b", "stop b", "stop a"), calls);
  }
}
