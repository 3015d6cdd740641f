package io.raftfs.client.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.http.ScriptedServer;
import io.raftfs.proto.DataNodeAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Blocks go over kept-alive connections. One the node closed while it sat idle (the node restarted,
 * or dropped it) must not fail a transfer: the request goes again on a new connection, once.
 */
@Timeout(30)
class ReusedConnectionTest {
  @Test
  void aConnectionTheNodeClosedMeanwhileIsReplacedAndTheBlockSentOnce() throws Exception {
    byte[] bytes = new byte[4096];
    BlockSlice block = new BlockSlice.InMemory(0, bytes);
    AtomicLong progress = new AtomicLong();
    try (ScriptedServer node = new ScriptedServer(r -> created(r), true);
        DataNodeClient client = new DataNodeClient()) {
      List<String> chain = List.of(node.address());
      List<DataNodeAddress> nodes =
          List.of(DataNodeAddress.newBuilder().setHttpAddress(node.address()).build());
      assertEquals(chain, client.putBlock(nodes, 1, block, block.crc32c(), progress::addAndGet));
      assertEquals(chain, client.putBlock(nodes, 2, block, block.crc32c(), progress::addAndGet));

      assertEquals(2, node.connections(), "the closed connection was replaced");
      assertEquals(2, node.requests().size(), "each block arrived once");
      assertEquals("PUT /blocks/2 HTTP/1.1", node.requests().get(1).requestLine());
      assertEquals(2L * bytes.length, progress.get(), "bytes sent twice are not counted twice");
    }
  }

  private static String created(ScriptedServer.Request request) {
    String host = request.head().lines().filter(l -> l.startsWith("Host: ")).findFirst().get();
    String json = "{\"replicas\":[\"" + host.substring("Host: ".length()) + "\"]}";
    return "HTTP/1.1 201 Created\r\nContent-Length: " + json.length() + "\r\n\r\n" + json;
  }
}
