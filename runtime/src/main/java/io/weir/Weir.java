package io.weir;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weir.log.api.Log;
import io.weir.log.internal.LogImpl;
import io.weir.log.internal.LogSettings;
import io.weir.stream.api.Jobs;
import io.weir.stream.internal.job.JobsImpl;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Weir as a Pekko extension: the entry point on any actor system, whether Weir's embedded node
 * created it or an application embeds Weir in its own.
 *
 * <p>{@code Weir.get(system)} is idempotent and thread-safe; the first call starts Weir's parts
 * on that system (sharding of its entities), later calls return the same instance. The system
 * must use the {@code cluster} actor provider and a configured journal.
 */
public final class Weir implements Extension {

  private static final ExtensionId<Weir> ID = new ExtensionId<>() {
    @Override
    public Weir createExtension(ActorSystem<?> system) {
      return new Weir(system);
    }
  };

  private final ActorSystem<?> system;
  private final Log log;
  private final Jobs jobs;
  private final CompositeMeterRegistry metrics = new CompositeMeterRegistry();

  private Weir(ActorSystem<?> system) {
    this.system = system;
    this.log = new LogImpl(system, LogSettings.fromConfig(system.settings().config()),
        Clock.systemUTC());
    metrics.add(new SimpleMeterRegistry());
    this.jobs = new JobsImpl(system, log, Clock.systemUTC(), metrics);
  }

  /**
   * Returns the Weir extension of {@code system}, starting it on first use.
   *
   * @param system a running actor system, never null
   * @return the extension, never null
   */
  public static Weir get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The partitioned durable log: topics, producers and consumers. */
  public Log log() {
    return log;
  }

  /**
   * The node's metrics (Micrometer): stream operators' counters, tagged by job, operator and
   * subtask. Values are kept in memory; add a registry (Prometheus, JMX...) to export them.
   */
  public CompositeMeterRegistry metrics() {
    return metrics;
  }

  /** Streaming jobs: submit, list, status, cancel. */
  public Jobs jobs() {
    return jobs;
  }

  /** The actor system Weir runs on. */
  public ActorSystem<?> system() {
    return system;
  }
}
