package io.raftfs.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WireMessagesRoundTripTest {

  @Test
  void metaRequestSurvivesSerialization() throws Exception {
    MetaRequest request =
        MetaRequest.newBuilder()
            .setClientId("c1")
            .setCallId(7)
            .setMkdir(MkdirRequest.newBuilder().setPath("/a/b").setParents(true))
            .build();

    MetaRequest parsed = MetaRequest.parseFrom(request.toByteArray());

    assertEquals(MetaRequest.OpCase.MKDIR, parsed.getOpCase());
    assertEquals("/a/b", parsed.getMkdir().getPath());
    assertEquals(7, parsed.getCallId());
  }
}
