package io.raftfs.meta.statemachine;

import io.raftfs.proto.DedupEntryImage;
import io.raftfs.proto.MetaResponse;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Answers of applied writes per client call, so a call retried after a leader change is answered
 * again instead of applied twice (the RIFL idea). A client's answers below its {@code
 * answered_below} are dropped at once; a client idle for longer than the expiry is forgotten whole.
 * Time is the batch timestamp, so every replica forgets the same entries.
 *
 * <p>Only applied writes change the table, reads never do: {@link #answered} runs on request
 * threads under the store's read lock, beside a snapshot iterating the table.
 */
final class DedupTable {
  private final long expiryMillis;
  // Least recently active client first, so expiry stops early. Insertion order, moved by record()
  // alone: an access-ordered map reorders on get(), so a read on the leader changed which clients
  // its expiry reached (replicas diverged) and broke a snapshot iterating at the same time.
  private final LinkedHashMap<String, ClientCalls> clients = new LinkedHashMap<>();

  DedupTable(long expiryMillis) {
    this.expiryMillis = expiryMillis;
  }

  private static final class ClientCalls {
    long lastActiveMillis;
    final TreeMap<Long, MetaResponse> answers = new TreeMap<>();
  }

  MetaResponse answered(String clientId, long callId) {
    ClientCalls calls = clients.get(clientId);
    return calls == null ? null : calls.answers.get(callId);
  }

  void record(String clientId, long callId, long answeredBelow, MetaResponse response, long now) {
    ClientCalls calls = clients.remove(clientId);
    if (calls == null) {
      calls = new ClientCalls();
    }
    clients.put(clientId, calls);
    calls.lastActiveMillis = now;
    calls.answers.headMap(answeredBelow).clear();
    calls.answers.put(callId, response);
  }

  void expire(long now) {
    Iterator<ClientCalls> oldestFirst = clients.values().iterator();
    while (oldestFirst.hasNext()) {
      if (now - oldestFirst.next().lastActiveMillis <= expiryMillis) {
        return;
      }
      oldestFirst.remove();
    }
  }

  int size() {
    int size = 0;
    for (ClientCalls calls : clients.values()) {
      size += calls.answers.size();
    }
    return size;
  }

  void forEach(Consumer<DedupEntryImage> sink) {
    for (Map.Entry<String, ClientCalls> client : clients.entrySet()) {
      for (Map.Entry<Long, MetaResponse> answer : client.getValue().answers.entrySet()) {
        sink.accept(
            DedupEntryImage.newBuilder()
                .setClientId(client.getKey())
                .setCallId(answer.getKey())
                .setAppliedMillis(client.getValue().lastActiveMillis)
                .setResponse(answer.getValue())
                .build());
      }
    }
  }

  void restore(DedupEntryImage entry) {
    ClientCalls calls = clients.computeIfAbsent(entry.getClientId(), id -> new ClientCalls());
    calls.lastActiveMillis = Math.max(calls.lastActiveMillis, entry.getAppliedMillis());
    calls.answers.put(entry.getCallId(), entry.getResponse());
  }
}
