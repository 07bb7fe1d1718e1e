package io.weir.journal.internal;

import com.typesafe.config.Config;
import io.weir.api.WeirException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The open {@link SegmentStore}s of one actor system, one per journal plugin id, shared by the
 * write journal and the read journal so that readers see the writer's acknowledged state. Each
 * store is closed (files forced, lock released) when the actor system terminates.
 *
 * <p>Thread-safe.
 */
public final class SegmentStores implements Extension {
  private static final Id ID = new Id();

  private static final class Id extends AbstractExtensionId<SegmentStores> {
    @Override
    public SegmentStores createExtension(ExtendedActorSystem system) {
      return new SegmentStores(system);
    }
  }

  private final ActorSystem system;
  private final ConcurrentHashMap<String, SegmentStore> stores = new ConcurrentHashMap<>();

  private SegmentStores(ActorSystem system) {
    this.system = system;
    system.registerOnTermination(this::closeAll);
  }

  /**
   * The extension of {@code system}.
   *
   * @param system a classic actor system, never null
   * @return the extension, never null
   */
  public static SegmentStores get(ActorSystem system) {
    return ID.get(system);
  }

  /**
   * The store of the journal plugin at {@code pluginPath}, opened on first call. May block on
   * file I/O (creating and locking the directory) the first time.
   *
   * @param pluginPath the plugin's configuration path, e.g. {@code weir.journal.segments}
   * @param pluginConfig the plugin's configuration block, never null
   * @return the open store, never null
   * @throws WeirException if the directory cannot be opened or is held by another journal
   * @throws IllegalArgumentException if a setting is out of range
   */
  public SegmentStore storeFor(String pluginPath, Config pluginConfig) {
    return stores.computeIfAbsent(pluginPath, path -> {
      JournalSettings settings = JournalSettings.fromConfig(pluginConfig,
          system.settings().config());
      try {
        return SegmentStore.open(settings);
      } catch (IOException e) {
        throw new WeirException("cannot open the segment journal " + path + " in "
            + settings.dir() + ": " + e.getMessage(), new UncheckedIOException(e));
      }
    });
  }

  /**
   * The store of the journal plugin at {@code pluginPath}, configured from the actor system's
   * configuration at that path. See {@link #storeFor(String, Config)}.
   */
  public SegmentStore storeFor(String pluginPath) {
    return storeFor(pluginPath, system.settings().config().getConfig(pluginPath));
  }

  private void closeAll() {
    stores.values().forEach(SegmentStore::close);
    stores.clear();
  }
}
