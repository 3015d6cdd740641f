package io.raftfs.meta.statemachine;

import io.raftfs.proto.DedupEntryImage;
import io.raftfs.proto.MetaResponse;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Answers of applied writes per client call (a client is an access key and a client id: {@link
 * #key}), so a call retried after a leader change is answered again instead of applied twice (the
 * RIFL idea). A client's answers below its {@code answered_below} are dropped at once; a client
 * idle for longer than the expiry is forgotten whole. Time is the batch timestamp, so every replica
 * forgets the same entries.
 *
 * <p>The table is bounded, since clients are not trusted to advance {@code answered_below}: a
 * client keeps at most {@code maxPerClient} answers (its oldest calls go first) and the table at
 * most {@code maxAnswers} (the least recently active clients go first). A retry of a call forgotten
 * that way is applied again, as after expiry. The bounds are far above what a {@code MetaClient}
 * keeps in flight (4 exchanges of 512 calls).
 *
 * <p>Only applied writes change the table, reads never do: {@link #answered} runs on request
 * threads under the store's read lock, beside a snapshot iterating the table.
 */
final class DedupTable {
  static final int MAX_ANSWERS_PER_CLIENT = 4096;
  static final int MAX_ANSWERS = 256 * 1024;

  /**
   * Longer keys are not recorded: the leader refuses longer client ids and access key ids, older
   * log entries may hold one.
   */
  static final int MAX_KEY_CHARS = 2 * 128 + 1;

  private final long expiryMillis;
  private final int maxPerClient;
  private final int maxAnswers;
  private int answers;
  // Least recently active client first, so expiry stops early. Insertion order, moved by record()
  // alone: an access-ordered map reorders on get(), so a read on the leader changed which clients
  // its expiry reached (replicas diverged) and broke a snapshot iterating at the same time.
  private final LinkedHashMap<String, ClientCalls> clients = new LinkedHashMap<>();

  DedupTable(long expiryMillis) {
    this(expiryMillis, MAX_ANSWERS_PER_CLIENT, MAX_ANSWERS);
  }

  DedupTable(long expiryMillis, int maxPerClient, int maxAnswers) {
    this.expiryMillis = expiryMillis;
    this.maxPerClient = maxPerClient;
    this.maxAnswers = maxAnswers;
  }

  private static final class ClientCalls {
    long lastActiveMillis;
    final TreeMap<Long, MetaResponse> answers = new TreeMap<>();
  }

  /**
   * The table's key of a client's calls: the access key that signed them and the client id, so one
   * user's client id can neither collide with nor read another's answers (key ids have no '/').
   */
  static String key(String accessKeyId, String clientId) {
    return accessKeyId + '/' + clientId;
  }

  MetaResponse answered(String clientKey, long callId) {
    ClientCalls calls = clients.get(clientKey);
    return calls == null ? null : calls.answers.get(callId);
  }

  void record(String clientKey, long callId, long answeredBelow, MetaResponse response, long now) {
    if (clientKey.length() > MAX_KEY_CHARS) {
      return;
    }
    ClientCalls calls = clients.remove(clientKey);
    if (calls == null) {
      calls = new ClientCalls();
    }
    clients.put(clientKey, calls);
    calls.lastActiveMillis = now;
    Map<Long, MetaResponse> acknowledged = calls.answers.headMap(answeredBelow);
    answers -= acknowledged.size();
    acknowledged.clear();
    if (calls.answers.put(callId, response) == null) {
      answers++;
    }
    while (calls.answers.size() > maxPerClient) {
      calls.answers.pollFirstEntry();
      answers--;
    }
    Iterator<ClientCalls> leastRecentFirst = clients.values().iterator();
    while (answers > maxAnswers) {
      ClientCalls eldest = leastRecentFirst.next();
      if (eldest == calls) {
        break; // only this client is left: its own bound holds it
      }
      answers -= eldest.answers.size();
      leastRecentFirst.remove();
    }
  }

  void expire(long now) {
    Iterator<ClientCalls> oldestFirst = clients.values().iterator();
    while (oldestFirst.hasNext()) {
      ClientCalls calls = oldestFirst.next();
      if (now - calls.lastActiveMillis <= expiryMillis) {
        return;
      }
      answers -= calls.answers.size();
      oldestFirst.remove();
    }
  }

  int size() {
    return answers;
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
    if (calls.answers.put(entry.getCallId(), entry.getResponse()) == null) {
      answers++;
    }
  }
}
