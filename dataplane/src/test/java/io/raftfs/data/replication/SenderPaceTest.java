package io.raftfs.data.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.data.schedule.Scheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Windows are ended by hand: the sender is judged only on windows it alone is to blame for. */
class SenderPaceTest {
  private final AtomicInteger cutOffs = new AtomicInteger();
  private Runnable endWindow;
  private SenderPace pace;

  @BeforeEach
  void start() {
    Scheduler byHand =
        (period, task) -> {
          endWindow = task;
          return () -> endWindow = () -> {};
        };
    // 1000 bytes/s over 2 s windows: 2000 bytes per window.
    pace = new SenderPace(byHand, new UploadLimits(1 << 20, Duration.ofSeconds(2), 1000));
    pace.start(cutOffs::incrementAndGet);
  }

  @Test
  void windowWithEnoughBytesPassesAndOneShortCutsOffOnce() {
    pace.received(2000);
    endWindow.run();
    assertEquals(0, cutOffs.get());

    pace.received(1999);
    endWindow.run();
    endWindow.run();
    assertEquals(1, cutOffs.get());
  }

  @Test
  void windowsWhileThisNodeHoldsTheBodyBackDoNotCount() {
    pace.holdBack();
    endWindow.run(); // held back during the window
    endWindow.run(); // still held back
    pace.release();
    endWindow.run(); // held back at its start
    assertEquals(0, cutOffs.get());

    endWindow.run(); // the sender's own: nothing came
    assertEquals(1, cutOffs.get());
  }

  @Test
  void silentSenderIsCutOffEvenWithoutAMinimumRate() {
    Scheduler byHand =
        (period, task) -> {
          endWindow = task;
          return () -> {};
        };
    SenderPace anyByte =
        new SenderPace(byHand, new UploadLimits(1 << 20, Duration.ofSeconds(2), 0));
    anyByte.start(cutOffs::incrementAndGet);
    anyByte.received(1);
    endWindow.run();
    assertEquals(0, cutOffs.get());
    endWindow.run();
    assertEquals(1, cutOffs.get());
  }
}
