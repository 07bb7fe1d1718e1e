package io.weir.log.internal;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The log's settings, read once from {@code weir.log}.
 *
 * @param journalPluginId the journal plugin partitions persist their batches to
 * @param readJournalPluginId the query plugin consumers read older batches through
 * @param tailCacheBytes newest batch bytes a partition keeps in memory for tailing consumers
 * @param cleanerInterval how often a partition applies retention and compaction
 * @param askTimeout how long a request to a partition or the registry may take
 * @param maxFetchBytes the most bytes one fetch returns (at least one batch is always returned)
 */
public record LogSettings(String journalPluginId, String readJournalPluginId,
    long tailCacheBytes, Duration cleanerInterval, Duration askTimeout, int maxFetchBytes) {

  /** Reads {@code weir.log} from the system's configuration. */
  public static LogSettings fromConfig(Config config) {
    Config c = config.getConfig("weir.log");
    return new LogSettings(c.getString("journal-plugin"), c.getString("read-journal-plugin"),
        c.getBytes("tail-cache-bytes"), c.getDuration("cleaner-interval"),
        c.getDuration("ask-timeout"), (int) Math.min(Integer.MAX_VALUE, c.getBytes("max-fetch-bytes")));
  }
}
