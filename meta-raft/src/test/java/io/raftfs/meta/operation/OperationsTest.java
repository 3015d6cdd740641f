package io.raftfs.meta.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every op case of the protocol and of the log has exactly one home. */
class OperationsTest {
  private final List<MetaOperation> all = Operations.ALL.all();

  @Test
  void everyRequestCaseHasExactlyOneOperation() {
    Map<MetaRequest.OpCase, Long> handlers =
        all.stream()
            .filter(ClientOperation.class::isInstance)
            .map(operation -> ((ClientOperation) operation).requestCase())
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (MetaRequest.OpCase op : MetaRequest.OpCase.values()) {
      long expected = op == MetaRequest.OpCase.OP_NOT_SET ? 0 : 1;
      assertEquals(expected, handlers.getOrDefault(op, 0L), op.name());
    }
  }

  @Test
  void everyLoggedWriteCaseHasExactlyOneOperation() {
    Map<LoggedWrite.OpCase, Long> handlers =
        all.stream()
            .filter(LoggedOperation.class::isInstance)
            .map(operation -> ((LoggedOperation) operation).writeCase())
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (LoggedWrite.OpCase op : LoggedWrite.OpCase.values()) {
      long expected = op == LoggedWrite.OpCase.OP_NOT_SET ? 0 : 1;
      assertEquals(expected, handlers.getOrDefault(op, 0L), op.name());
    }
  }

  @Test
  void theRegistryAnswersEachRequestCaseWithItsOperation() {
    Arrays.stream(MetaRequest.OpCase.values())
        .filter(op -> op != MetaRequest.OpCase.OP_NOT_SET)
        .forEach(op -> assertEquals(op, Operations.ALL.forRequest(op).requestCase()));
    assertEquals(null, Operations.ALL.forRequest(MetaRequest.OpCase.OP_NOT_SET));
  }

  @Test
  void metricNamesAreTheOpCasesInLowerCase() {
    for (MetaOperation operation : all) {
      if (operation instanceof ClientOperation client) {
        assertEquals(
            client.requestCase().name().toLowerCase(Locale.ROOT),
            client.metricName(),
            "dashboards and alerts name operations so");
      }
    }
  }

  @Test
  void aSecondOperationForACaseIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new Operations(List.of(new Mkdir(), new Mkdir())));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Operations(List.of(new ReserveBlockIds(), new ReserveBlockIds())));
  }
}
