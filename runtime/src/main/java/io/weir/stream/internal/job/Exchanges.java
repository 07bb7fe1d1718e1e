package io.weir.stream.internal.job;

import io.weir.stream.internal.exec.StreamElement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The node-local directory of subtask inputs: the entry of each deployed subtask's input hub,
 * by {@code job/attempt/vertex/subtask}. An upstream subtask on the same node writes into the
 * entry directly, an in-memory exchange; one on another node gets a SinkRef to it instead.
 */
final class Exchanges implements Extension {
  private static final ExtensionId<Exchanges> ID = new ExtensionId<>() {
    @Override
    public Exchanges createExtension(ActorSystem<?> system) {
      return new Exchanges();
    }
  };

  private final Map<String, Sink<StreamElement, NotUsed>> inputs = new ConcurrentHashMap<>();

  static Exchanges get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  static String key(String jobId, int attempt, String vertex, int subtask) {
    return jobId + "/" + attempt + "/" + vertex + "/" + subtask;
  }

  void register(String key, Sink<StreamElement, NotUsed> input) {
    inputs.put(key, input);
  }

  void unregister(String key) {
    inputs.remove(key);
  }

  /** The input of a subtask deployed on this node; null when there is none. */
  Sink<StreamElement, NotUsed> input(String key) {
    return inputs.get(key);
  }
}
