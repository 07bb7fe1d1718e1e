package io.weir.log.internal;

import io.weir.log.api.TopicDescription;
import io.weir.log.api.UnknownTopicException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** Topic descriptions looked up in the registry once and kept; unknown topics are not cached. */
final class TopicCache {
  private final ActorSystem<?> system;
  private final Duration timeout;
  private final Map<String, TopicDescription> known = new ConcurrentHashMap<>();

  TopicCache(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  /** The topic, from the cache or the registry; fails with {@link UnknownTopicException}. */
  CompletionStage<TopicDescription> lookup(String topic) {
    TopicDescription cached = known.get(topic);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return TopicRegistry.ref(system)
        .ask((ActorRef<TopicRegistry.TopicLookup> r) -> new TopicRegistry.GetTopic(topic, r),
            timeout)
        .thenApply(lookup -> {
          if (lookup.topic() == null) {
            throw new UnknownTopicException("unknown topic '" + topic + "'");
          }
          known.put(topic, lookup.topic());
          return lookup.topic();
        });
  }

  /** Like {@link #lookup} but blocking the caller; for the producer's {@code send}. */
  TopicDescription await(String topic) {
    TopicDescription cached = known.get(topic);
    if (cached != null) {
      return cached;
    }
    return Blocking.await(lookup(topic), timeout, "looking up topic '" + topic + "'");
  }

  /** Forgets a topic (after it was deleted). */
  void forget(String topic) {
    known.remove(topic);
  }
}
